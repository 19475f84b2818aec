import { deepEqual } from '../schema/equal.js'
import type { Table } from '../schema/model.js'
import type { Change, CommentTarget } from './change.js'
import { diffExclusions } from './diff-exclusions.js'
import { comparable, diffNamed, type NamedDiff } from './diff-named.js'
import { mentionsIdentifier } from './rename-identifier.js'

/**
 * Diffs the constraints of a table present on both sides (after renames): primary key, uniques, checks and foreign
 * keys, each matched by name. PostgreSQL cannot alter a constraint's definition, so any difference but the comment
 * is a drop and an add. A constraint over a column in `gone` is dropped by PostgreSQL with the column; it is dropped
 * here too, and added again when `to` still has it (a column dropped and added to change its generation). So is a
 * check whose expression reads a column in `converted` (an enum that is recreated): PostgreSQL cannot re-parse it,
 * and a foreign key over such a column (converting either side first would leave its types apart).
 */
export function diffConstraints(
  from: Table,
  to: Table,
  gone: ReadonlySet<string>,
  converted: ReadonlySet<string> = new Set(),
): NamedDiff {
  const table = to.name
  const usesGone = (columns: readonly string[]): boolean => columns.some((column) => gone.has(column))
  const target = (item: { readonly name: string }): CommentTarget => ({
    kind: 'constraint',
    table,
    constraint: item.name,
  })
  const uniques = diffNamed(from.uniques, to.uniques, {
    drop: (unique) => ({ kind: 'dropUnique', table, unique }),
    add: (unique) => ({ kind: 'addUnique', table, unique }),
    commentTarget: target,
    lost: (unique) => usesGone(unique.columns),
  })
  const checks = diffNamed(from.checks, to.checks, {
    drop: (check) => ({ kind: 'dropCheck', table, check }),
    add: (check) => ({ kind: 'addCheck', table, check }),
    commentTarget: target,
    lost: (check) => [...gone, ...converted].some((column) => mentionsIdentifier(check.expr, column)),
  })
  const foreignKeys = diffNamed(from.foreignKeys, to.foreignKeys, {
    drop: (foreignKey) => ({ kind: 'dropForeignKey', table, foreignKey }),
    add: (foreignKey) => ({ kind: 'addForeignKey', table, foreignKey }),
    commentTarget: target,
    // A converted column's key is dropped and added again around the conversion: its other side is converted too
    // (both columns are of the enum or a domain over it), and until both are, their types do not match.
    lost: (foreignKey) => usesGone(foreignKey.columns) || foreignKey.columns.some((column) => converted.has(column)),
  })
  const primaryKey = diffPrimaryKey(from, to, usesGone)
  const exclusions = diffExclusions(from, to, gone)
  return {
    drops: [...primaryKey.drops, ...uniques.drops, ...checks.drops, ...exclusions.drops, ...foreignKeys.drops],
    adds: [...primaryKey.adds, ...uniques.adds, ...checks.adds, ...exclusions.adds, ...foreignKeys.adds],
    comments: [...uniques.comments, ...checks.comments, ...exclusions.comments, ...foreignKeys.comments],
  }
}

/** A primary key has no comment in the model: any difference, a new name included, is a drop and an add. */
function diffPrimaryKey(from: Table, to: Table, usesGone: (columns: readonly string[]) => boolean): NamedDiff {
  const table = to.name
  const before = from.primaryKey
  const after = to.primaryKey
  const changed =
    before === undefined || usesGone(before.columns) || after === undefined || !deepEqual(...comparable(before, after))
  if (!changed) return { drops: [], adds: [], comments: [] }
  const drops: Change[] = before ? [{ kind: 'dropPrimaryKey', table, primaryKey: before }] : []
  const adds: Change[] = after ? [{ kind: 'addPrimaryKey', table, primaryKey: after }] : []
  return { drops, adds, comments: [] }
}
