import type { Table } from '../schema/model.js'
import { diffNamed, type NamedDiff } from './diff-named.js'
import { mentionsIdentifier } from './rename-identifier.js'

/**
 * Diffs the exclusion constraints of a table present on both sides, matched by name: PostgreSQL cannot alter one,
 * so any difference but the comment is a drop and an add. One over a column in `gone` goes with the column.
 */
export function diffExclusions(from: Table, to: Table, gone: ReadonlySet<string>): NamedDiff {
  const table = to.name
  return diffNamed(from.exclusions ?? [], to.exclusions ?? [], {
    drop: (exclusion) => ({ kind: 'dropExclusion', table, exclusion }),
    add: (exclusion) => ({ kind: 'addExclusion', table, exclusion }),
    commentTarget: (exclusion) => ({ kind: 'constraint', table, constraint: exclusion.name }),
    lost: (exclusion) => [...gone].some((column) => mentionsIdentifier(exclusion.definition, column)),
  })
}
