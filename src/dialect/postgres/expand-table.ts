import type { Change } from '../../diff/change.js'
import { omitKeys } from '../../schema/equal.js'
import type { ForeignKey, Table, UniqueConstraint } from '../../schema/model.js'
import { nameKey } from '../../schema/name.js'
import type { ChangeOf, Unit } from './context.js'
import { withAttachedIndexes } from './expand-partitions.js'
import { createdTableSecurityUnits } from './expand-security.js'
import type { TableRanks } from './units.js'
import { addForeignKeyUnits, commentUnit, constraintComment, unit } from './units.js'

type TableChange = ChangeOf<'createTable' | 'dropTable'>

/**
 * Units for a created or dropped table. A created table is created with the foreign keys that
 * reference tables existing before it (outside the plan, itself, or earlier in the topological
 * order); the others are added after every table exists, which breaks cycles. So are those that
 * reference an existing table whose primary key or unique key is added in the same plan (the key
 * comes in `addConstraint` or `createIndex`, after `createTable`). Indexes, comments, row-level
 * security, policies and privileges become units of their own. A dropped table first loses the
 * foreign keys that reference tables dropped before it, or tables whose keys the plan drops, for
 * the same reasons in reverse.
 */
export function expandTable(change: TableChange, ranks: TableRanks): Unit[] {
  return change.kind === 'createTable'
    ? expandCreateTable(change.table, change, ranks)
    : expandDropTable(change.table, change, ranks)
}

function expandCreateTable(table: Table, origin: Change, ranks: TableRanks): Unit[] {
  const key = nameKey(table.name)
  const rank = ranks.created.get(key) ?? 0
  const isDeferred = (fk: ForeignKey) => {
    const ref = nameKey(fk.references.table)
    const refRank = ranks.created.get(ref)
    // CREATE TABLE marks a NOT VALID constraint valid (its table is empty): it is added after, as pg_dump does.
    if (fk.notValid) return true
    if (ref === key) return false
    return (refRank !== undefined && refRank > rank) || (ranks.keysAdded?.has(ref) ?? false)
  }
  const inline = table.foreignKeys.filter((fk) => !isDeferred(fk))
  const inlineChecks = table.checks.filter((check) => !check.notValid)
  const repeated = repeatedUniques(table)
  const afterCopies = uniquesOfCopyNames(table)
  const inlineUniques = table.uniques.filter((unique) => !repeated.has(unique) && !afterCopies.has(unique))
  const bare: Table = {
    ...omitKeys(table, 'comment', 'privileges', 'rowLevelSecurity', 'policies'),
    columns: table.columns.map((column) => omitKeys(column, 'comment')),
    uniques: inlineUniques.map((unique) => omitKeys(unique, 'comment')),
    checks: inlineChecks.map((check) => omitKeys(check, 'comment')),
    ...(table.exclusions ? { exclusions: table.exclusions.map((x) => omitKeys(x, 'comment')) } : {}),
    foreignKeys: inline.map((fk) => omitKeys(fk, 'comment')),
    indexes: [],
  }
  const name = table.name
  const { partitionBy, partitionOf, inherits, attachedIndexes } = table.ext?.postgres ?? {}
  const plain = !partitionBy && !partitionOf && !inherits && !attachedIndexes
  // A created partition renames its copies of its parent's indexes, then creates its own (ranked after its
  // ancestors', whose indexes make the copies): see 'createPartitionIndex' in plan/order.ts.
  const indexCategory = plain ? 'createTableIndex' : partitionOf ? 'createPartitionIndex' : 'createIndex'
  const renameCategory = partitionOf ? 'createPartitionIndex' : 'renameAttachedIndex'
  const [renameRank, indexRank] = partitionOf ? [2 * rank, 2 * rank + 1] : [0, 0]
  return [
    unit('createTable', { kind: 'createTable', table: bare }, origin, rank),
    ...table.foreignKeys.filter(isDeferred).flatMap((fk) => addForeignKeyUnits(name, fk, origin)),
    ...[...repeated].flatMap((unique) => [
      unit('addConstraint', { kind: 'addUnique', table: name, unique: omitKeys(unique, 'comment') }, origin),
      ...constraintComment(name, unique, origin),
    ]),
    ...table.checks
      .filter((check) => check.notValid)
      .flatMap((check) => [
        unit('addConstraint', { kind: 'addCheck', table: name, check: omitKeys(check, 'comment') }, origin),
        ...constraintComment(name, check, origin),
      ]),
    // The partition's copies of its parent's indexes get their own names once they exist. Each is found by the index
    // it is attached to (heldDefaults): a relation of the schema made before may hold a copy's default name, the copy
    // is then numbered, and an ALTER INDEX of the default name renamed that relation (another table's index).
    ...(attachedIndexes === undefined
      ? []
      : [
          unit(
            renameCategory,
            {
              kind: 'alterTable',
              table: name,
              from: withAttachedIndexes(bare, undefined),
              to: bare,
              heldDefaults: attachedIndexes.map((copy) => copy.defaultName),
            },
            origin,
            renameRank,
          ),
        ]),
    // Its own unique constraints of a name a copy has until renamed, after the rename, as its own indexes.
    ...[...afterCopies].flatMap((unique) => [
      unit(indexCategory, { kind: 'addUnique', table: name, unique: omitKeys(unique, 'comment') }, origin, indexRank),
      ...constraintComment(name, unique, origin),
    ]),
    ...table.indexes.flatMap((index) => [
      unit(indexCategory, { kind: 'createIndex', table: name, index: omitKeys(index, 'comment') }, origin, indexRank),
      ...commentUnit({ kind: 'index', table: name, index: index.name }, index.comment, origin),
    ]),
    ...commentUnit({ kind: 'table', name }, table.comment, origin),
    ...table.columns.flatMap((column) =>
      commentUnit({ kind: 'column', table: name, column: column.name }, column.comment, origin),
    ),
    ...[...inlineUniques, ...inlineChecks, ...(table.exclusions ?? []), ...inline].flatMap((constraint) =>
      constraintComment(name, constraint, origin),
    ),
    ...createdTableSecurityUnits(table, origin),
  ]
}

/**
 * The unique constraints CREATE TABLE would drop without a word: PostgreSQL merges an index specification that
 * repeats an earlier one in the same statement (the primary key's columns, or another unique's, in order), though
 * ALTER TABLE makes such a pair. These are added after the table, by ALTER TABLE, so that both exist, as in the
 * database they were read from.
 */
function repeatedUniques(table: Table): ReadonlySet<UniqueConstraint> {
  const columnsOf = (columns: readonly string[]) => JSON.stringify(columns)
  const seen = new Set(table.primaryKey === undefined ? [] : [columnsOf(table.primaryKey.columns)])
  const repeated = new Set<UniqueConstraint>()
  for (const unique of table.uniques) {
    const key = columnsOf(unique.columns)
    if (seen.has(key)) repeated.add(unique)
    seen.add(key)
  }
  return repeated
}

/**
 * A created partition's unique constraints named as one of its copies of its parents' indexes is until renamed (the
 * name PostgreSQL gives the copy): in CREATE TABLE, the constraint's index took the name first, the server named the
 * copy `<name>1` itself, and the plan's rename of the copy to that name failed (42P07). Added after the rename instead.
 */
function uniquesOfCopyNames(table: Table): ReadonlySet<UniqueConstraint> {
  const { partitionOf, attachedIndexes } = table.ext?.postgres ?? {}
  if (!partitionOf || attachedIndexes === undefined) return new Set()
  const held = new Set(attachedIndexes.map((copy) => copy.defaultName))
  return new Set(table.uniques.filter((unique) => held.has(unique.name)))
}

function expandDropTable(table: Table, origin: Change, ranks: TableRanks): Unit[] {
  const key = nameKey(table.name)
  const rank = ranks.dropped.get(key) ?? 0
  const isSplit = (fk: ForeignKey) => {
    const ref = nameKey(fk.references.table)
    const refRank = ranks.dropped.get(ref)
    if (ref === key) return false
    return (refRank !== undefined && refRank < rank) || (ranks.keysDropped?.has(ref) ?? false)
  }
  return [
    ...table.foreignKeys
      .filter(isSplit)
      .map((fk) => unit('dropForeignKey', { kind: 'dropForeignKey', table: table.name, foreignKey: fk }, origin)),
    unit(
      'dropTable',
      { kind: 'dropTable', table: { ...table, foreignKeys: table.foreignKeys.filter((fk) => !isSplit(fk)) } },
      origin,
      rank,
    ),
  ]
}
