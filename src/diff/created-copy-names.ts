/**
 * The names of a created partition's copies of expression indexes. A plan that creates a partition tree creates each
 * parent's index with CREATE INDEX on it, and the server names each partition's copy from the expression as the
 * plan's text prints it (`(k)::text` gives `<partition>_k_idx`), while the goal's catalog may list another name, the
 * one the server made of the text written there (`text(k)`: `_text_idx`). Such a copy is listed among the partition's
 * attached indexes (TableExt attachedIndexes), with the name the server gives it as its default: the created
 * partition's copies are renamed once they exist (postgres/expand-table.ts), as those attached under a name of their
 * own are.
 */
import type { IndexColumnNames } from '../plan/phase-sql.js'
import { chooseIndexColumnNames, makeObjectName, nameAddition } from '../schema/dsl/naming.js'
import type { AttachedIndex, Index, Schema, Table } from '../schema/model.js'
import { nameKey } from '../schema/name.js'

/**
 * `table` (a partition `schema` holds, created by the plan) with its expression index copies whose catalog name is not
 * the one the server gives them listed as attached indexes. Left out, to the server's name: a copy whose default
 * cannot be told (no namer's answer), or is the default or the name of another of the table's indexes or copies (the
 * server numbers the second of two alike, in the order the plan makes them; a rename could meet another).
 */
export function withCopyRenames(table: Table, schema: Schema, names: IndexColumnNames): Table {
  const postgres = table.ext?.postgres
  const copies = postgres?.expressionIndexCopies ?? []
  if (copies.length === 0) return table
  const tables = new Map(schema.tables.map((t) => [nameKey(t.name), t]))
  const defaults = copies.map((copy) => {
    const root = rootIndex(table, copy.parent, tables)
    const columns = root === undefined ? undefined : names(root.table.name, root.index)
    return columns === undefined
      ? undefined
      : makeObjectName(table.name.name, nameAddition(chooseIndexColumnNames(columns)), 'idx')
  })
  const held = new Set([
    ...table.indexes.map((index) => index.name),
    ...(postgres?.attachedIndexes ?? []).flatMap((a) => [a.name, a.defaultName]),
    ...copies.map((copy) => copy.name),
  ])
  const renamed: AttachedIndex[] = copies.flatMap((copy, i) => {
    const defaultName = defaults[i]
    if (defaultName === undefined || defaultName === copy.name || held.has(defaultName)) return []
    if (defaults.filter((other) => other === defaultName).length > 1) return []
    return [{ parent: copy.parent, name: copy.name, defaultName }]
  })
  if (renamed.length === 0) return table
  const attachedIndexes = [...(postgres?.attachedIndexes ?? []), ...renamed].sort((a, b) =>
    a.parent < b.parent ? -1 : a.parent > b.parent ? 1 : 0,
  )
  return { ...table, ext: { ...table.ext, postgres: { ...postgres, attachedIndexes } } }
}

/**
 * The index at the top of the tree that `table`'s copy attached to `parentIndex` (an index of its parent) copies: the
 * parent's own index of that name, or, on a partition of a partition, the one its copy of that name copies.
 */
function rootIndex(
  table: Table,
  parentIndex: string,
  tables: ReadonlyMap<string, Table>,
  depth = 0,
): { readonly table: Table; readonly index: Index } | undefined {
  const of = table.ext?.postgres?.partitionOf
  const parent = of === undefined ? undefined : tables.get(nameKey(of.parent))
  // A partition tree is a tree; the depth bounds a model that is not one.
  if (parent === undefined || depth > 100) return undefined
  const own = parent.indexes.find((index) => index.name === parentIndex)
  if (own !== undefined) return { table: parent, index: own }
  const copy = parent.ext?.postgres?.expressionIndexCopies?.find((c) => c.name === parentIndex)
  return copy === undefined ? undefined : rootIndex(parent, copy.parent, tables, depth + 1)
}
