/**
 * Copy names given across the changes of one plan. Each change on a partitioned table reads the names held in `from`
 * (heldCopyNames); two new indexes (or keys) of one plan over the same columns then named their copies alike on each
 * leaf, and the second's concurrent build failed with 42P07. The server, making them one after the other, numbers the
 * second's (`_idx1`): each change here also holds the names the changes before it give their copies.
 */
import { chooseIndexColumnNames, nameAddition } from '../schema/dsl/naming.js'
import type { Change, HeldName, PartitionLink } from './change.js'
import { planCopyName } from './held-names.js'

/** `changes` with each new index's or key's `taken` holding the copy names the changes before it give. */
export function heldAcrossPlan(changes: readonly Change[]): Change[] {
  const given: HeldName[] = []
  return changes.map((change) => {
    if (change.kind !== 'createIndex' && change.kind !== 'addPrimaryKey' && change.kind !== 'addUnique') return change
    const copies = plannedCopies(change)
    if (copies === undefined) return change
    const taken = [...(change.taken ?? []), ...given]
    for (const link of copies.on)
      given.push({
        ...(link.table.schema === undefined ? {} : { schema: link.table.schema }),
        name: planCopyName(link, copies.addition, copies.label, taken),
      })
    return taken.length === 0 ? change : { ...change, taken }
  })
}

/** The partitions a new index or key gets copies on that the plan names, and how their names are made. */
function plannedCopies(change: Planned): PlannedCopies | undefined {
  if (change.partitioned !== true) return undefined
  const addition = (names: readonly string[]) => nameAddition(chooseIndexColumnNames(names))
  if ('index' in change) {
    const { partitions } = change
    const columns = copyColumnNames(change)
    if (partitions === undefined || columns === undefined) return undefined
    return { on: partitions, addition: addition(columns), label: 'idx' }
  }
  if (change.leaves === undefined) return undefined
  const leaves = change.leaves.map((table) => ({ table }))
  if ('primaryKey' in change) return { on: leaves, addition: undefined, label: 'pkey' }
  return { on: leaves, addition: addition(change.unique.columns), label: 'key' }
}

/**
 * The names a new index's columns give its partitions' copies (key columns, then INCLUDE columns): an expression's as
 * the differ's namer read it (`columnNames`), or undefined when it had none (the server names those copies: the plan
 * leaves them to it, in the direct form).
 */
export function copyColumnNames(
  change: Extract<Change, { kind: 'createIndex' | 'dropIndex' }>,
): readonly string[] | undefined {
  const { index, columnNames } = change
  if (index.parts.every((part) => part.column !== undefined))
    return [...index.parts.map((part) => part.column ?? ''), ...index.include]
  return columnNames
}

/** The members of Change that carry `taken` (the drops among them have no copies to name: passed over before). */
type Planned = Extract<
  Change,
  { readonly kind: 'createIndex' | 'dropIndex' | 'addPrimaryKey' | 'dropPrimaryKey' | 'addUnique' | 'dropUnique' }
>

interface PlannedCopies {
  /** The partitions, each with the name the target lists for its copy, if it lists one (PartitionLink.copyName). */
  readonly on: readonly Pick<PartitionLink, 'table' | 'copyName'>[]
  readonly addition: string | undefined
  readonly label: 'idx' | 'key' | 'pkey'
}
