/**
 * Index, key and foreign key changes on partitioned tables, marked with what their plans need of the partition tree:
 * PostgreSQL builds no index concurrently on a partitioned table, so the online forms build on the partitions
 * (postgres/partitioned-add-index.ts, partitioned-add-key.ts), named as the server names them (held-names.ts).
 */
import type { IndexColumnNames } from '../plan/phase-sql.js'
import type { QualifiedName, Schema } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import type { Change, HeldName, PartitionLink } from './change.js'
import { withCopyRenames } from './created-copy-names.js'
import { heldCopyNames, isCopyNamed, newCopiesOn } from './held-names.js'
import { heldAcrossPlan } from './held-names-plan.js'
import type { TableHierarchy } from './table-hierarchy.js'

/**
 * `changes` with index, key and foreign key changes on partitioned tables marked `partitioned` (the table as `to` has it
 * for creates and adds, as `from` has it for drops), since PostgreSQL has no online form of them there.
 */
export function markPartitioned(
  changes: readonly Change[],
  from: Schema,
  to: Schema,
  hierarchy: TableHierarchy,
  indexColumnNames?: IndexColumnNames,
): Change[] {
  const partitioned = (schema: Schema) =>
    new Set(schema.tables.filter((t) => hierarchy.facts(t).partitionBy !== undefined).map((t) => nameKey(t.name)))
  const before = partitioned(from)
  const after = partitioned(to)
  if (before.size === 0 && after.size === 0) return [...changes]
  const marked = changes.map((change): Change => {
    if ((change.kind === 'addPrimaryKey' || change.kind === 'addUnique') && after.has(nameKey(change.table))) {
      const leaves = leavesOf(to, change.table, hierarchy)
      return {
        ...change,
        partitioned: true,
        leaves,
        ...takenBy(from, leaves),
        ...foreignOf([from, to], change.table, hierarchy),
      }
    }
    if (change.kind === 'createIndex' && after.has(nameKey(change.table)))
      return { ...change, ...indexTree(change, { on: to, held: from }, hierarchy, indexColumnNames) }
    // A drop's inverse, the undo, takes the online form on the tree the plan leaves as it found it: the tree's
    // partitions as `from` has them, the names held as `to` has them (what holds them when the undo runs).
    const kept = (table: QualifiedName) =>
      before.has(nameKey(table)) && after.has(nameKey(table)) && sameTree(from, to, table, hierarchy)
    if (change.kind === 'dropIndex' && kept(change.table))
      return { ...change, ...indexTree(change, { on: from, held: to }, hierarchy, indexColumnNames) }
    if ((change.kind === 'dropPrimaryKey' || change.kind === 'dropUnique') && kept(change.table)) {
      const leaves = leavesOf(from, change.table, hierarchy)
      return {
        ...change,
        partitioned: true,
        leaves,
        ...takenBy(to, leaves),
        ...foreignOf([from, to], change.table, hierarchy),
      }
    }
    // A created partition's expression index copies under the goal's names (created-copy-names.ts).
    if (change.kind === 'createTable' && indexColumnNames !== undefined)
      return { ...change, table: withCopyRenames(change.table, to, indexColumnNames) }
    if (change.kind === 'alterTable') return withHeldDefaults(change, from, to)
    if (change.kind === 'addForeignKey')
      return after.has(nameKey(change.table)) ? { ...change, partitioned: true } : change
    if (change.kind === 'dropIndex' || change.kind === 'dropForeignKey')
      return before.has(nameKey(change.table)) ? { ...change, partitioned: true } : change
    return change
  })
  return heldAcrossPlan(marked)
}

/**
 * What an index on a partitioned table needs for its online form (change.ts): the tree as `schemas.on` has it (for an
 * expression index, each copy's name its catalog lists), the names `schemas.held` holds that a copy cannot take, the
 * names of an expression's columns (`names`), the foreign partitions.
 */
function indexTree(
  change: Extract<Change, { kind: 'createIndex' | 'dropIndex' }>,
  schemas: { readonly on: Schema; readonly held: Schema },
  hierarchy: TableHierarchy,
  names: IndexColumnNames | undefined,
) {
  const tree = partitionTree(schemas.on, change.table, hierarchy)
  const expression = change.index.parts.some((part) => part.column === undefined)
  const partitions = expression ? withCopyNames(tree, schemas.on, change.table, change.index.name) : tree
  return {
    partitioned: true as const,
    partitions,
    ...columnNamesOf(change, expression ? names : undefined),
    ...takenBy(
      schemas.held,
      partitions.map((p) => p.table),
    ),
    ...foreignOf([schemas.on, schemas.held], change.table, hierarchy),
  }
}

/** Whether partitioned `table` has the same partitions, under the same parents, in `from` and `to`. */
function sameTree(from: Schema, to: Schema, table: QualifiedName, hierarchy: TableHierarchy): boolean {
  const tree = (schema: Schema) =>
    partitionTree(schema, table, hierarchy)
      .map((p) => JSON.stringify([nameKey(p.table), nameKey(p.parent), p.leaf]))
      .sort()
  return JSON.stringify(tree(from)) === JSON.stringify(tree(to))
}

/** The foreign partitions (at any depth) of partitioned `table` in `schemas` (introspected only), when it has any. */
function foreignOf(
  schemas: readonly Schema[],
  table: QualifiedName,
  hierarchy: TableHierarchy,
): { readonly foreignPartitions?: readonly QualifiedName[] } {
  const found = new Map<string, QualifiedName>()
  for (const schema of schemas) {
    const tree = [
      table,
      ...partitionTree(schema, table, hierarchy)
        .filter((p) => !p.leaf)
        .map((p) => p.table),
    ]
    for (const name of tree) {
      const at = schema.tables.find((t) => nameKey(t.name) === nameKey(name))
      for (const foreign of at === undefined ? [] : (hierarchy.facts(at).foreignPartitions ?? []))
        found.set(nameKey(foreign), foreign)
    }
  }
  return found.size === 0 ? {} : { foreignPartitions: [...found.values()] }
}

/** `columnNames` for a new expression index (change.ts), when `names` can tell them. */
function columnNamesOf(
  change: Extract<Change, { kind: 'createIndex' | 'dropIndex' }>,
  names: IndexColumnNames | undefined,
): { readonly columnNames?: readonly string[] } {
  const columnNames = names?.(change.table, change.index)
  return columnNames === undefined ? {} : { columnNames }
}

/**
 * `partitions` of a new index `name` on `root` with the names `schema`'s catalog lists for their copies of it
 * (copyName), each found by the name of the index it is attached to: `name` on a direct partition, its parent's copy's
 * below.
 */
function withCopyNames(
  partitions: readonly PartitionLink[],
  schema: Schema,
  root: QualifiedName,
  name: string,
): PartitionLink[] {
  const tables = new Map(schema.tables.map((t) => [nameKey(t.name), t]))
  const copyNames = new Map<string, string>()
  const nameOn = (table: QualifiedName) => copyNames.get(nameKey(table))
  // partitionTree lists a partition's own partitions before it: reversed, each parent comes before its partitions.
  for (const link of [...partitions].reverse()) {
    const attachedTo = nameKey(link.parent) === nameKey(root) ? name : nameOn(link.parent)
    const copies = tables.get(nameKey(link.table))?.ext?.postgres?.expressionIndexCopies ?? []
    const copy = attachedTo === undefined ? undefined : copies.find((c) => c.parent === attachedTo)?.name
    if (copy !== undefined) copyNames.set(nameKey(link.table), copy)
  }
  return partitions.map((link) => {
    const copyName = nameOn(link.table)
    return copyName === undefined ? link : { ...link, copyName }
  })
}

/** `taken` for a change on `partitions` (held-names.ts), when a name is. */
function takenBy(from: Schema, partitions: readonly QualifiedName[]): { readonly taken?: readonly HeldName[] } {
  const taken = heldCopyNames(from, partitions)
  return taken.length === 0 ? {} : { taken }
}

/**
 * `change` marked with the default names of the partition's new copies (attached indexes `to` names and `from` does
 * not) that the plan makes (no copy of `from` has the name): the server (and the online forms) give the copy another
 * name when a relation holds the default, in `from` or made after the plan (a table the plain ALTER INDEX of the
 * default name renamed), so the rename to the goal's name finds the copy by its parent index instead. Marked too
 * (`newCopies`) with the copies of indexes and keys the plan makes whose names the plan settles by their root index:
 * those of the renamed copies' default names, whichever of them the server (or the online form) numbered.
 */
function withHeldDefaults(change: Change & { readonly kind: 'alterTable' }, from: Schema, to: Schema): Change {
  const before = new Set((change.from.ext?.postgres?.attachedIndexes ?? []).map((a) => a.parent))
  const fresh = (change.to.ext?.postgres?.attachedIndexes ?? []).filter((a) => !before.has(a.parent))
  // Most alterTable changes rename no new copy: the schema is read only for those that do.
  if (fresh.length === 0) return change
  const held = fresh
    // A copy that has its default name in `from` holds it itself: the plain rename finds it.
    .filter((a) => !isCopyNamed(from, change.table, a.parent, a.defaultName))
    .map((a) => a.defaultName)
  const defaults = new Set(fresh.map((a) => a.defaultName))
  const made = newCopiesOn(from, to, change.table).filter((copy) => defaults.has(copy.defaultName))
  return {
    ...change,
    ...(held.length === 0 ? {} : { heldDefaults: held }),
    ...(made.length === 0 ? {} : { newCopies: made }),
  }
}

/** The leaf partitions of partitioned `table` in `schema`, at any depth (a partitioned partition's own leaves). */
function leavesOf(schema: Schema, table: QualifiedName, hierarchy: TableHierarchy): QualifiedName[] {
  return partitionTree(schema, table, hierarchy)
    .filter((p) => p.leaf)
    .map((p) => p.table)
}

/** Every partition of partitioned `table` in `schema`, at any depth, each partition's own partitions before it. */
function partitionTree(schema: Schema, table: QualifiedName, hierarchy: TableHierarchy): PartitionLink[] {
  return schema.tables.flatMap((t) => {
    const parent = hierarchy.facts(t).partitionOf?.parent
    if (parent === undefined || nameKey(parent) !== nameKey(table)) return []
    const leaf = hierarchy.facts(t).partitionBy === undefined
    return [...(leaf ? [] : partitionTree(schema, t.name, hierarchy)), { table: t.name, parent, leaf }]
  })
}
