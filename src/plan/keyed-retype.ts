/**
 * Keyed retypes (a retyped column a key, an index or a foreign key names): what the contract builds again on the new
 * columns before the swap (KeyedRetype, built by PhaseSql.moveKeys), the foreign keys that move with them, and the
 * steps those statements become.
 */
import type { TableHierarchy } from '../diff/table-hierarchy.js'
import { KeelError } from '../errors.js'
import { deepEqual, omitKeys } from '../schema/equal.js'
import type { QualifiedName, Schema, Table } from '../schema/model.js'
import { displayName, nameKey } from '../schema/name.js'
import type { Expansion, TableExpansion } from './expansion.js'
import { isPlainIndex } from './mentions.js'
import type { DrawnColumn, KeyedRetype, KeyMoveStatement, MovedForeignKey, PartitionTree } from './phase-sql.js'
import type { Step } from './step.js'

/**
 * Refuses a foreign key that must move onto the new columns of a partitioned table's retyped key. It is added again
 * before the swap, NOT VALID, over the new columns, which needs a unique key on them in the referenced table; a
 * partitioned table takes none before the swap (its key is added over the columns in the swap: partitioned-keys.ts),
 * so the contract failed there (42830: no unique constraint matching given keys), after the expand and the backfill.
 */
export function refuseReferencedPartitionedKeys(
  moves: ReadonlyMap<TableExpansion, readonly MovedForeignKey[]>,
  schema: Schema,
  hierarchy: TableHierarchy,
): void {
  for (const list of moves.values()) {
    for (const move of list) {
      const referenced = schema.tables.find((t) => nameKey(t.name) === nameKey(move.references.table))
      if (referenced === undefined || hierarchy.facts(referenced).partitionBy === undefined) continue
      // The referenced columns move when they are the key's retyped ones (mapped to their new columns).
      if (move.references.columns.every((c, i) => c === move.fk.references.columns[i])) continue
      throw new KeelError(
        'UNSUPPORTED',
        `cannot move foreign key ${move.fk.name} of ${displayName(move.table)} onto the new columns of ${displayName(referenced.name)}'s key online: ${displayName(referenced.name)} is partitioned, and a partitioned table's key over the new columns exists only from the swap on, which the foreign key would have to be added under (and validated in), blocking writers`,
        `Drop the foreign key in a change of its own first, retype the key (and ${displayName(move.table)}'s columns), then add the foreign key again in a later change (Keel adds it NOT VALID, then validates it).`,
      )
    }
  }
}

/**
 * The partitions of `table` in `schema`, each with its own, when `table` is a partitioned table (undefined when it is
 * not): a keyed retype builds its indexes on each of them (KeyedRetype.partitions).
 */
export function partitionsOf(schema: Schema, table: Table, hierarchy: TableHierarchy): PartitionTree[] | undefined {
  if (hierarchy.facts(table).partitionBy === undefined) return undefined
  return schema.tables
    .filter((t) => {
      const parent = hierarchy.facts(t).partitionOf?.parent
      return parent !== undefined && nameKey(parent) === nameKey(table.name)
    })
    .map((t) => {
      const partitions = partitionsOf(schema, t, hierarchy)
      return partitions === undefined ? { table: t } : { table: t, partitions }
    })
}

/** The keyed retypes of one table, with what depends on them (see KeyedRetype). */
export function keyedRetype(
  facts: TableExpansion,
  foreignKeys: readonly MovedForeignKey[],
  partitions: readonly PartitionTree[] | undefined,
): KeyedRetype | undefined {
  const keyed = facts.retyped.filter((r) => r.keyed)
  if (keyed.length === 0) return undefined
  const table = facts.before
  const temps = new Map(keyed.map((r) => [r.column, r.temp]))
  const names = (columns: readonly string[]) => columns.some((c) => temps.has(c))
  const primaryKey = table.primaryKey !== undefined && names(table.primaryKey.columns) ? table.primaryKey : undefined
  return {
    table: facts.after.name,
    temps,
    primaryKey,
    uniques: table.uniques.filter((u) => names(u.columns) && keepsUnique(u, facts.after)),
    indexes: table.indexes.filter((i) => isRebuilt(i, new Set(temps.keys()), facts.after)),
    notNull: keyed
      .filter((r) => !(primaryKey?.columns ?? []).includes(r.column))
      .filter((r) => facts.after.columns.find((c) => c.name === r.column)?.nullable === false)
      .map((r) => r.column),
    foreignKeys,
    ...(partitions === undefined ? {} : { partitions }),
    drawn: keyed.flatMap((r): DrawnColumn[] => {
      const column = facts.after.columns.find((c) => c.name === r.column)
      if (column === undefined || column.type.kind !== 'integer' || !(column.serial || column.identity)) return []
      return [
        {
          column: r.column,
          temp: r.temp,
          type: column.type,
          ...(column.serial ? { serial: true as const } : {}),
          ...(column.identity ? { identity: column.identity } : {}),
        },
      ]
    }),
  }
}

/**
 * The foreign keys of `from` whose referencing or referenced columns are keyed retypes, each added again on the
 * new columns (both sides mapped) by the spec of one table: the referencing table's when its columns are retyped
 * (it moves the key whatever the referenced table does), else the referenced table's.
 */
export function movedForeignKeys(from: Schema, expansion: Expansion): Map<TableExpansion, MovedForeignKey[]> {
  const byName = new Map(expansion.tables.map((t) => [nameKey(t.before.name), t]))
  const temps = (t: TableExpansion | undefined) =>
    new Map((t?.retyped ?? []).filter((r) => r.keyed).map((r) => [r.column, r.temp]))
  const current = (name: QualifiedName) =>
    expansion.renamedTables.find((r) => nameKey(r.from) === nameKey(name))?.to ?? name
  const moves = new Map<TableExpansion, MovedForeignKey[]>()
  for (const table of from.tables) {
    const child = byName.get(nameKey(table.name))
    const childTemps = temps(child)
    for (const fk of table.foreignKeys) {
      const parent = byName.get(nameKey(fk.references.table))
      const parentTemps = temps(parent)
      const own = fk.columns.some((c) => childTemps.has(c))
      const owner = own ? child : fk.references.columns.some((c) => parentTemps.has(c)) ? parent : undefined
      if (owner === undefined) continue
      const after = parent?.after
      const type = (column: string | undefined) => after?.columns.find((c) => c.name === column)?.type
      const narrower = fk.columns.filter((c, i) => {
        if (childTemps.has(c)) return false
        const mine = table.columns.find((x) => x.name === c)?.type
        const theirs = type(fk.references.columns[i])
        return mine?.kind === 'integer' && theirs?.kind === 'integer' && mine.bytes < theirs.bytes
      })
      const list = moves.get(owner) ?? []
      list.push({
        table: child?.after.name ?? current(table.name),
        fk,
        columns: fk.columns.map((c) => childTemps.get(c) ?? c),
        references: {
          table: parent?.after.name ?? current(fk.references.table),
          columns: fk.references.columns.map((c) => parentTemps.get(c) ?? c),
        },
        narrower,
      })
      moves.set(owner, list)
    }
  }
  return moves
}

/** A statement that prepares a keyed swap, with the lock it takes and what it costs. */
export function keyMoveStep(statement: KeyMoveStatement): Step {
  const [table = { name: '' }] = statement.on
  const lock: Step['lock'] = {
    index: { mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on: [table] } as const,
    // Catalog only, on a partitioned table (which holds no rows): a moment's lock.
    parentIndex: { mode: 'SHARE', blocks: 'writes', on: [table] } as const,
    attachIndex: { mode: 'ACCESS SHARE', blocks: 'nothing', on: statement.on } as const,
    check: { mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on: [table] } as const,
    validateCheck: { mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on: [table] } as const,
    foreignKey: { mode: 'SHARE ROW EXCLUSIVE', blocks: 'writes', on: statement.on } as const,
    validateForeignKey: {
      mode: 'SHARE UPDATE EXCLUSIVE',
      blocks: 'nothing',
      on: [table],
      also: [{ mode: 'ROW SHARE', on: statement.on.slice(1) }],
    } as const,
  }[statement.kind]
  return {
    sql: statement.sql,
    reverse: { sql: statement.reverse },
    // An index of a partitioned table's is created and attached beside its partitions' concurrent builds, in the same
    // migration without a transaction (each statement commits at once).
    transactional: !['index', 'parentIndex', 'attachIndex'].includes(statement.kind),
    lock,
    rewritesTable: false,
    scansTable: !['check', 'foreignKey', 'parentIndex', 'attachIndex'].includes(statement.kind),
    dataLoss: 'none',
    phase: 'contract',
    source: {
      kind: 'addColumn',
      table,
      column: { name: '', type: { kind: 'native', sql: 'unknown' }, nullable: true },
    },
    comment: statement.comment,
  }
}

/**
 * An index of a keyed retype that moveKeys builds again on the new columns: it names them as plain columns only, and
 * the goal keeps it as it is. One the goal drops or changes goes with the old column at the swap, and the contract
 * plan makes the desired one: built again on the new column, it was renamed at the swap and dropped right after
 * (seed 1106, pair 284 of the round trip's generator).
 */
export function isRebuilt(index: Table['indexes'][number], keyed: ReadonlySet<string>, goal: Table): boolean {
  const named = [...index.parts.map((p) => p.column ?? ''), ...index.include].some((c) => keyed.has(c))
  const kept = goal.indexes.some((g) => deepEqual(omitKeys(g, 'comment'), omitKeys(index, 'comment')))
  return named && kept && isPlainIndex(index, keyed)
}

/** Whether the goal keeps a unique constraint as it is: moveKeys builds only those again (see isRebuilt). */
export function keepsUnique(unique: Table['uniques'][number], goal: Table): boolean {
  return goal.uniques.some((g) => deepEqual(omitKeys(g, 'comment'), omitKeys(unique, 'comment')))
}
