/**
 * The names a partition's copy of a new index or key could collide with, and the copy's name chosen as PostgreSQL's
 * ChooseRelationName chooses it: `<partition>_<columns>_idx` (`_key`, `_pkey`), or, while a relation of the
 * partition's schema holds it (for a key's index, a constraint too), the label numbered (`_idx1`, `_idx2`, ...; the
 * names shortened again to fit 63 bytes). The names are those of the plan's `from`: what the database holds when the
 * copy is made. Only names of a copy's shape can collide, so only those are kept: a change carries few.
 */
import { chooseIndexColumnNames, makeObjectName, nameAddition } from '../schema/dsl/naming.js'
import type { QualifiedName, Schema, Table } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import type { HeldName, NewCopy, PartitionLink } from './change.js'

const COPY_SHAPE = /_(idx|key|pkey|excl)[0-9]*$/

/**
 * Names in `schema` of relations (tables, indexes and the indexes of keys and exclusions, sequences, views) and of
 * other constraints (checks, foreign keys), in the namespaces of `partitions`, shaped like a copy's name.
 */
export function heldCopyNames(schema: Schema, partitions: readonly QualifiedName[]): readonly HeldName[] {
  const namespaces = new Set(partitions.map((p) => p.schema))
  // A plan asks once for each alterTable that names a new copy: at 1,000 partitions, each asking listed 10,000 copies.
  const key = JSON.stringify([...namespaces].sort())
  const known = heldBySchema.get(schema)?.get(key)
  if (known !== undefined) return known
  const held: HeldName[] = []
  const add = (at: string | undefined, name: string, constraint = false) => {
    if (!namespaces.has(at) || !COPY_SHAPE.test(name)) return
    held.push({
      ...(at === undefined ? {} : { schema: at }),
      name,
      ...(constraint ? { constraint: true as const } : {}),
    })
  }
  for (const table of schema.tables) {
    const at = table.name.schema
    add(at, table.name.name)
    for (const index of table.indexes) add(at, index.name)
    if (table.primaryKey !== undefined) add(at, table.primaryKey.name)
    for (const unique of table.uniques) add(at, unique.name)
    for (const exclusion of table.exclusions ?? []) add(at, exclusion.name)
    for (const other of [...table.checks, ...table.foreignKeys]) add(at, other.name, true)
  }
  for (const [at, copies] of copiesIn(schema).values()) for (const copy of copies) add(at, copy.name)
  for (const sequence of schema.sequences) add(sequence.name.schema, sequence.name.name)
  for (const view of schema.views) add(view.name.schema, view.name.name)
  const bySchema = heldBySchema.get(schema) ?? new Map<string, readonly HeldName[]>()
  heldBySchema.set(schema, bySchema.set(key, held))
  return held
}

/** heldCopyNames' answers, by schema (read-only data: the same object holds the same names) and namespaces. */
const heldBySchema = new WeakMap<Schema, Map<string, readonly HeldName[]>>()

/** Each partition's copies (copiesOf) in `schema` with its namespace, by the partition's nameKey; made once a schema. */
function copiesIn(schema: Schema): ReadonlyMap<string, readonly [string | undefined, readonly TableIndex[]]> {
  const known = copiesBySchema.get(schema)
  if (known !== undefined) return known
  const tables = new Map(schema.tables.map((table) => [nameKey(table.name), table]))
  const copies = new Map<string, readonly [string | undefined, readonly TableIndex[]]>()
  for (const table of schema.tables) {
    const found = copiesOf(table, tables)
    if (found.length > 0) copies.set(nameKey(table.name), [table.name.schema, found])
  }
  copiesBySchema.set(schema, copies)
  return copies
}

const copiesBySchema = new WeakMap<Schema, ReadonlyMap<string, readonly [string | undefined, readonly TableIndex[]]>>()

/** An index of a table (its own, or its copy of its parent's), and how the server names a partition's copy of it. */
interface TableIndex {
  readonly name: string
  readonly label: 'idx' | 'key' | 'pkey'
  /** The columns part of a copy's name; undefined for a primary key's. */
  readonly addition: string | undefined
  /** False for an expression index, whose copy's name the model cannot tell unless the catalog listed it. */
  readonly nameable: boolean
  /** For a copy: the name of the parent's index it is attached to. */
  readonly of?: string
  /** The index at the top of the tree (an own index of `rootTable`, in its schema) this one is, or is a copy of. */
  readonly root: string
  readonly rootTable: QualifiedName
}

/**
 * `table`'s copies of its ancestors' indexes and keys (those of its parent, and the parent's own copies, up the tree),
 * which the model does not list among its indexes: under the name listed for the copy (attachedIndexes,
 * expressionIndexCopies), or else the one the server gave it (`<partition>_<columns>_idx`, `_key`, `_pkey`). An index
 * added over the columns of one the table has met these names, and its concurrent builds failed with 42P07.
 */
function copiesOf(table: Table, tables: ReadonlyMap<string, Table>, depth = 0): TableIndex[] {
  const of = table.ext?.postgres?.partitionOf
  const parent = of === undefined ? undefined : tables.get(nameKey(of.parent))
  // A partition tree is a tree; the depth bounds a model that is not one.
  if (parent === undefined || depth > 100) return []
  const listed = new Map(
    [...(table.ext?.postgres?.attachedIndexes ?? []), ...(table.ext?.postgres?.expressionIndexCopies ?? [])].map(
      (copy) => [copy.parent, copy.name],
    ),
  )
  const copies: TableIndex[] = []
  for (const index of [...ownIndexes(parent), ...copiesOf(parent, tables, depth + 1)]) {
    const name =
      listed.get(index.name) ??
      (index.nameable ? makeObjectName(table.name.name, index.addition, index.label) : undefined)
    if (name !== undefined) copies.push({ ...index, name, of: index.name })
  }
  return copies
}

function ownIndexes(table: Table): TableIndex[] {
  const addition = (names: readonly string[]) => nameAddition(chooseIndexColumnNames(names))
  const root = (name: string) => ({ name, root: name, rootTable: table.name })
  const indexes: TableIndex[] = table.indexes.map((index) => ({
    ...root(index.name),
    label: 'idx',
    addition: addition([...index.parts.map((part) => part.column ?? ''), ...index.include]),
    nameable: index.parts.every((part) => part.column !== undefined),
  }))
  const key = table.primaryKey
  if (key !== undefined) indexes.push({ ...root(key.name), label: 'pkey', addition: undefined, nameable: true })
  for (const unique of table.uniques)
    indexes.push({ ...root(unique.name), label: 'key', addition: addition(unique.columns), nameable: true })
  return indexes
}

/**
 * Whether `table`'s copy of its parent's index `parent` is named `name` in `schema`: the name is then the copy's own,
 * held by no other relation (a copy renamed away from its default name is a rename, not a name held).
 */
export function isCopyNamed(schema: Schema, table: QualifiedName, parent: string, name: string): boolean {
  const [, copies = []] = copiesIn(schema).get(nameKey(table)) ?? []
  return copies.some((copy) => copy.of === parent && copy.name === name)
}

/**
 * `table`'s copies in `to` of the indexes and keys a plan from `from` makes (their root is not in `from`), with a name
 * the model can tell. Which copy the server numbered depends on the order the plan made them in, not the goal's.
 */
export function newCopiesOn(from: Schema, to: Schema, table: QualifiedName): readonly NewCopy[] {
  const [, copies = []] = copiesIn(to).get(nameKey(table)) ?? []
  const roots = (at: QualifiedName) => {
    const found = from.tables.find((t) => nameKey(t.name) === nameKey(at))
    return new Set(found === undefined ? [] : ownIndexes(found).map((index) => index.name))
  }
  return copies
    .filter((copy) => copy.nameable && copy.of !== undefined && !roots(copy.rootTable).has(copy.root))
    .map((copy) => ({
      parent: copy.of as string,
      name: copy.name,
      root: { ...(copy.rootTable.schema === undefined ? {} : { schema: copy.rootTable.schema }), name: copy.root },
      defaultName: makeObjectName(table.name, copy.addition, copy.label),
    }))
}

/** Whether `name` in the schema of `on` is held for a copy (`key`: a constraint's index, which constraints hold too). */
export function isHeld(taken: readonly HeldName[], on: QualifiedName, name: string, key: boolean): boolean {
  return taken.some((t) => t.name === name && t.schema === on.schema && (key || t.constraint !== true))
}

/**
 * The name a plan gives the copy on `link`'s partition: the one the target's catalog lists (copyName), the goal's, when
 * no name held takes it; else the one the server gives it (chooseCopyName).
 */
export function planCopyName(
  link: Pick<PartitionLink, 'table' | 'copyName'>,
  addition: string | undefined,
  label: 'idx' | 'key' | 'pkey',
  taken: readonly HeldName[],
): string {
  const goal = link.copyName
  if (goal !== undefined && !isHeld(taken, link.table, goal, label !== 'idx')) return goal
  return chooseCopyName(link.table, addition, label, taken)
}

/**
 * The name PostgreSQL gives `partition`'s copy (ChooseRelationName over makeObjectName): the label as it is, then
 * numbered from 1, until the name is not in `taken` (nor in `also`, names this plan gives first).
 *
 * @example
 * chooseCopyName({ name: 'm_us' }, 'k', 'idx', [{ name: 'm_us_k_idx' }]) // m_us_k_idx1
 */
export function chooseCopyName(
  partition: QualifiedName,
  addition: string | undefined,
  label: 'idx' | 'key' | 'pkey',
  taken: readonly HeldName[],
  also: ReadonlySet<string> = new Set(),
): string {
  for (let pass = 0; ; pass++) {
    const name = makeObjectName(partition.name, addition, pass === 0 ? label : `${label}${pass}`)
    if (!isHeld(taken, partition, name, label !== 'idx') && !also.has(name)) return name
  }
}
