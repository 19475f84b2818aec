/**
 * The keys and indexes of a keyed retype built online on a partitioned table (phase-sql.ts, moveKeys). PostgreSQL
 * builds no index concurrently on a partitioned table (0A000), nor takes one as a key (ADD CONSTRAINT ... USING INDEX is
 * refused there), so each is built on the partitions, one by one:
 * - an index: created on the partitioned table alone (ON ONLY: invalid, nothing to build), concurrently on each leaf
 *   partition, on a sub-partitioned one alone again, each attached to its parent's (ALTER INDEX ... ATTACH PARTITION,
 *   catalog only); the parent's becomes valid once every partition's is attached. The swap gives each its final name.
 * - a primary key or unique constraint: a unique index built concurrently on each leaf, made the leaf's constraint in
 *   the swap (USING INDEX), then the partitioned table's constraint added over the columns: the server attaches the
 *   leaves' instead of building them (and makes a sub-partitioned partition's, which holds no rows).
 * Each partition's copy is named as the server names it (table-hierarchy.ts, partitionCopies), as the model expects.
 * The swap stops while the partitioned table's index is not valid: a partition the plan does not know has none attached.
 */
import type { TableKeys } from '../../diff/table-hierarchy.js'
import type { KeyedRetype, KeyMoveStatement, PartitionTree, SwapStatement } from '../../plan/phase-sql.js'
import type { Index, PrimaryKey, QualifiedName, Table, UniqueConstraint } from '../../schema/model.js'
import { displayName } from '../../schema/name.js'
import { objectName } from './object-name.js'
import { dollarQuote, quoteIdent, quoteIdentList, quoteLiteral, quoteQualified } from './quote.js'
import { indexName, renderAlterTable, renderCreateIndex } from './render.js'
import { partitionCopies } from './table-hierarchy.js'
import { keysOfUnknownPartitions } from './unknown-partition-keys.js'

/** What builds one index or key on a partitioned table: before the swap, and in its transaction. */
export interface PartitionedBuild {
  readonly prepare: readonly KeyMoveStatement[]
  readonly settle: readonly SwapStatement[]
}

const tempName = (name: string) => objectName(name, undefined, 'keel_new')

/**
 * `index` (its final name, over the columns' final names) built as `moved` (over the new columns) on partitioned
 * `table` and its `partitions`; the swap renames it, and each partition's, to the final names.
 */
export function partitionedIndex(
  table: QualifiedName,
  index: Index,
  moved: Index,
  partitions: readonly PartitionTree[],
): PartitionedBuild {
  const prepare: KeyMoveStatement[] = []
  const settle: SwapStatement[] = []
  const rename = (on: QualifiedName, from: string, to: string) =>
    settle.push({ sql: `ALTER INDEX ${quoteQualified(indexName(on, from))} RENAME TO ${quoteIdent(to)}`, on: [on] })
  const onlyParent = (on: QualifiedName, name: string): KeyMoveStatement => ({
    kind: 'parentIndex',
    sql: renderCreateIndex(on, { ...moved, name }, false, 'only'),
    // Dropping it drops the partitions' attached to it (which cannot be dropped alone).
    reverse: `DROP INDEX IF EXISTS ${quoteQualified(indexName(on, name))}`,
    on: [on],
    comment: `Create index ${name} on the partitioned table ${displayName(on)} alone (valid once each partition's is attached)`,
  })
  const walk = (parent: QualifiedName, parentIndex: Index, parentTemp: string, nodes: readonly PartitionTree[]) => {
    for (const node of nodes) {
      const on = node.table.name
      const copy = copyOfIndex(node.table, parentIndex)
      const temp = tempName(copy?.name ?? `${on.name}_${parentIndex.name}`)
      if (node.partitions === undefined)
        prepare.push({
          kind: 'index',
          sql: renderCreateIndex(on, { ...moved, name: temp }, true),
          // Attached by the next statement, it goes with its parent's (onlyParent); a partition's alone cannot be dropped.
          reverse: '',
          on: [on],
          comment: `Build index ${temp} on partition ${displayName(on)}, concurrently`,
        })
      else {
        prepare.push(onlyParent(on, temp))
        walk(on, copy ?? parentIndex, temp, node.partitions)
      }
      prepare.push({
        kind: 'attachIndex',
        sql: `ALTER INDEX ${quoteQualified(indexName(parent, parentTemp))} ATTACH PARTITION ${quoteQualified(indexName(on, temp))}`,
        reverse: '',
        on: [parent, on],
        comment: `Attach ${temp} to ${parentTemp} (catalog only)`,
      })
      // An index the server's copy name cannot be told for (an expression part) keeps its temporary name.
      if (copy !== undefined) rename(on, temp, copy.name)
    }
  }
  prepare.push(onlyParent(table, moved.name))
  walk(table, index, moved.name, partitions)
  settle.push({ sql: validOrStop(table, moved.name), on: [table] })
  rename(table, moved.name, index.name)
  return { prepare, settle }
}

/**
 * Stops the swap when the partitioned table's index `name` is not valid: a partition that the migration does not
 * build it on has none attached (one made after the migration was generated, as time-partitioned tables make them).
 * The server leaves such an index invalid, without a word; swapped in, it stayed so, the partition without the index.
 */
function validOrStop(table: QualifiedName, name: string): string {
  const index = quoteQualified(indexName(table, name))
  const message = `index ${index} of the partitioned table ${displayName(table)} is not valid: a partition has no index attached to it, one this migration does not know (made after it was generated?). Build the index on that partition (CREATE INDEX CONCURRENTLY), attach it (ALTER INDEX ${index} ATTACH PARTITION ...), and run keel migrate again`
  return `DO ${dollarQuote(`BEGIN IF NOT (SELECT indisvalid FROM pg_index WHERE indexrelid = ${quoteLiteral(index)}::regclass) THEN RAISE EXCEPTION '%', ${quoteLiteral(message)}; END IF; END`)}`
}

/**
 * A primary key or unique constraint of partitioned `table` built again over the new columns (`temps`). `given`: the
 * names the swap gives (swapNames), which a partition the plan does not know must not take for its key.
 */
export function partitionedKey(
  table: QualifiedName,
  key: { readonly primaryKey: PrimaryKey } | { readonly unique: UniqueConstraint },
  temps: ReadonlyMap<string, string>,
  partitions: readonly PartitionTree[],
  given: readonly QualifiedName[],
): PartitionedBuild {
  const constraint = 'primaryKey' in key ? key.primaryKey : key.unique
  const nullsNotDistinct = 'unique' in key && key.unique.nullsNotDistinct === true
  const index: Index = {
    name: '',
    parts: constraint.columns.map((c) => ({ column: temps.get(c) ?? c })),
    unique: true,
    include: [],
    ...(nullsNotDistinct ? { nullsNotDistinct: true as const } : {}),
  }
  const kind =
    'primaryKey' in key
      ? ('PRIMARY KEY' as const)
      : nullsNotDistinct
        ? ('UNIQUE NULLS NOT DISTINCT' as const)
        : ('UNIQUE' as const)
  const prepare: KeyMoveStatement[] = []
  const settle: SwapStatement[] = []
  const walk = (parentKey: typeof key, nodes: readonly PartitionTree[]) => {
    for (const node of nodes) {
      const copy = copyOfKey(node.table, parentKey)
      if (node.partitions !== undefined) {
        walk(copy, node.partitions)
        continue
      }
      const on = node.table.name
      const name = 'primaryKey' in copy ? copy.primaryKey.name : copy.unique.name
      const temp = tempName(name)
      prepare.push({
        kind: 'index',
        sql: renderCreateIndex(on, { ...index, name: temp }, true),
        reverse: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteQualified(indexName(on, temp))}`,
        on: [on],
        comment: `Build ${constraint.name}'s index ${temp} on partition ${displayName(on)} over the new columns, concurrently`,
      })
      settle.push({
        // USING INDEX takes NULLS NOT DISTINCT from the index: the grammar has no place for it (42601).
        sql: renderAlterTable(
          on,
          `ADD CONSTRAINT ${quoteIdent(name)} ${kind === 'PRIMARY KEY' ? kind : 'UNIQUE'} USING INDEX ${quoteIdent(temp)}`,
        ),
        on: [on],
      })
    }
  }
  walk(key, partitions)
  // A leaf the plan does not know takes a prebuilt index as its key, or the swap stops: the next statement would build
  // one there, under the swap's lock (unknown-partition-keys.ts).
  settle.push({
    sql: keysOfUnknownPartitions(table, { kind, columns: constraint.columns, temps }, given),
    on: [table],
  })
  // The server attaches each leaf's key to the new one instead of building an index (and locks the partitions, as the
  // swap already does).
  settle.push({
    sql: renderAlterTable(
      table,
      `ADD CONSTRAINT ${quoteIdent(constraint.name)} ${kind} (${quoteIdentList(constraint.columns)})`,
    ),
    on: [table],
  })
  return { prepare, settle }
}

/**
 * The names of relations and constraints a keyed retype's swap gives (their schemas): its keys' and indexes', the known
 * partitions' copies of them, its moved foreign keys'. Some are given after an unknown partition's key is named.
 */
export function swapNames(spec: KeyedRetype): QualifiedName[] {
  const at = (on: QualifiedName, name: string): QualifiedName => ({ ...on, name })
  const namesOf = (on: QualifiedName, keys: TableKeys) =>
    [...(keys.primaryKey === undefined ? [] : [keys.primaryKey]), ...keys.uniques, ...keys.indexes].map((k) =>
      at(on, k.name),
    )
  const own: TableKeys = {
    ...(spec.primaryKey === undefined ? {} : { primaryKey: spec.primaryKey }),
    uniques: spec.uniques,
    indexes: spec.indexes,
    foreignKeys: [],
  }
  const names = [...namesOf(spec.table, own), ...spec.foreignKeys.map((m) => at(m.table, m.fk.name))]
  const walk = (parent: TableKeys, nodes: readonly PartitionTree[]) => {
    for (const node of nodes) {
      const copies = partitionCopies(node.table, parent)
      names.push(...namesOf(node.table.name, copies))
      if (node.partitions !== undefined) walk(copies, node.partitions)
    }
  }
  walk(own, spec.partitions ?? [])
  return names
}

/** `index` of a partitioned table as `partition` holds its copy (its name there), if the name can be told. */
function copyOfIndex(partition: Table, index: Index): Index | undefined {
  return partitionCopies(partition, { uniques: [], indexes: [index], foreignKeys: [] }).indexes[0]
}

function copyOfKey(
  partition: Table,
  key: { readonly primaryKey: PrimaryKey } | { readonly unique: UniqueConstraint },
): { readonly primaryKey: PrimaryKey } | { readonly unique: UniqueConstraint } {
  if ('primaryKey' in key) {
    const copy = partitionCopies(partition, { primaryKey: key.primaryKey, uniques: [], indexes: [], foreignKeys: [] })
    return { primaryKey: copy.primaryKey ?? key.primaryKey }
  }
  const copy = partitionCopies(partition, { uniques: [key.unique], indexes: [], foreignKeys: [] })
  return { unique: copy.uniques[0] ?? key.unique }
}
