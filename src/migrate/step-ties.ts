/**
 * Whether two steps of a plan are tied: must keep their order, or move together when whole-runs.ts moves one past an
 * enum's recreation. Conservative where it cannot tell (a false tie only keeps steps where the planner put them); finer
 * where a tie the lock alone makes would refuse a plan that can run (error[SPLIT_RUN]).
 */
import type { Change } from '../diff/change.js'
import { onlyAdds } from '../plan/enum-swap.js'
import type { Step } from '../plan/step.js'
import type { Column, ForeignKey, QualifiedName } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import { readsOf, wordsOf as statementWords } from './change-reads.js'
import { NameRefs, type ObjectRef, objectsOf, refsOfReads, refsOfSql } from './step-ties-names.js'

/**
 * Whether `step` may need `other` to have run (or to run first), conservatively: they lock a table in common, or one's
 * SQL or what its change's object reads by the model (see readsOf: a dropped table's column types, a dropped view's
 * definition) names an object the other's change is about (an index dropped and one of the same name created, a type
 * or a function the other reads). False dependencies only keep steps where the planner put them; a missed one let a
 * move put a drop after the drop of what it depended on. The lock an index and a foreign key of its table or to it
 * share is not one, unless the key can use the index (see indexApartFromKey).
 */
export function dependsOn(step: Step, other: Step): boolean {
  if (indexApartFromKey(step, other) || indexApartFromKey(other, step)) return false
  if (indexBesidePolicyOrTrigger(step, other) || indexBesidePolicyOrTrigger(other, step)) return false
  if (indexBesideView(step, other) || indexBesideView(other, step)) return false
  const tables = new Set(tablesOf(other))
  if (tablesOf(step).some((t) => tables.has(t))) return true
  const refs = refsReadBy(step, other)
  const otherRefs = refsReadBy(other, step)
  return (
    objectsOf(other.source).some((o) => refs.mentions(o)) || objectsOf(step.source).some((o) => otherRefs.mentions(o))
  )
}

/** The names of {@link namesReadBy}, each where it may resolve (step-ties-names.ts): schema-aware, for {@link dependsOn}. */
function refsReadBy(step: Step, about?: Step): NameRefs {
  const source = about?.source
  const sqlOnly = source?.kind === 'alterEnum' && onlyAdds(source.from.values, source.to.values)
  const cached = refsCache.get(step) ?? { sql: refsOfSql(step.sql) }
  refsCache.set(step, cached)
  if (sqlOnly) return cached.sql
  if (cached.all === undefined) {
    const all = new NameRefs()
    all.addAll(cached.sql)
    all.addAll(refsOfReads(step.source))
    cached.all = all
  }
  return cached.all
}

/** Each step's names (refsReadBy), read once: dependsOn runs over pairs of a plan's steps. */
const refsCache = new WeakMap<Step, { readonly sql: NameRefs; all?: NameRefs }>()

/** The index a createIndex or dropIndex change is about, in its table's schema. */
const indexRef = (change: Extract<Change, { kind: 'createIndex' | 'dropIndex' }>): ObjectRef => ({
  schema: change.table.schema?.toLowerCase(),
  name: change.index.name.toLowerCase(),
})

/**
 * What a step names in its SQL and what its change's object reads by the model (see readsOf), the latter left out
 * against an enum's ADD VALUE (`about`): a value added changes nothing a table, a column or a view already reads, and
 * what uses the new value names it in its SQL. Counted, a dropped table with a column of mood (in the run for its
 * column of state) tied an ADD VALUE to mood there to the run from both sides: error[SPLIT_RUN] (fc.sample of the
 * round trip's pairs, seed 42, pair 2312).
 */
function namesReadBy(step: Step, about?: Step): Set<string> {
  const source = about?.source
  if (source?.kind === 'alterEnum' && onlyAdds(source.from.values, source.to.values)) return wordsOf(step.sql)
  return new Set([...wordsOf(step.sql), ...readsOf(step.source)])
}

/**
 * Whether `index` builds or drops an index that `other` reaches only through a foreign key, which the model says
 * commute though both lock the index's table: `other` adds or drops a key (of the index's table, or of another table
 * that references it), or creates or drops another table holding such a key, and the index is not one the key can use
 * (a unique index over exactly the referenced columns of the index's table). PostgreSQL locks both of a key's tables
 * for its triggers; the key reads only the index over its referenced columns, never one over its own columns (that
 * index speeds up its checks; the key neither needs it nor stops its drop). Tied by the lock on the referenced table,
 * a DROP INDEX CONCURRENTLY on orders held a DROP TABLE notes (notes.orders_id references orders) behind it when it
 * went past an enum's recreation, after the drop of the type notes.f still had (round trip, seed 896117121, path "45").
 * Tied by the lock on its own table, a DROP INDEX CONCURRENTLY of orders_b_idx needed the drop of orders' key to
 * accounts before it, which tied it to the run's drop of accounts_pkey: error[SPLIT_RUN] (keel diff's safe plan,
 * fc.sample of the round trip's pairs, seed 8, pair 349; seed 5, pair 132).
 */
function indexApartFromKey(index: Step, other: Step): boolean {
  const source = index.source
  if (source.kind !== 'createIndex' && source.kind !== 'dropIndex') return false
  const table = nameKey(source.table)
  const o = other.source
  const keys =
    o.kind === 'addForeignKey' || o.kind === 'dropForeignKey'
      ? { own: nameKey(o.table), foreignKeys: [o.foreignKey] }
      : o.kind === 'createTable' || o.kind === 'dropTable'
        ? { own: nameKey(o.table.name), foreignKeys: o.table.foreignKeys }
        : undefined
  if (keys === undefined) return false
  // A table made or dropped with the index's own table in it: the index needs the table.
  if (keys.own === table && o.kind !== 'addForeignKey' && o.kind !== 'dropForeignKey') return false
  // Every table the other step locks is its own or one its keys reference; the index step locks its table alone.
  const referenced = new Set([keys.own, ...keys.foreignKeys.map((fk) => nameKey(fk.references.table))])
  if (!tablesOf(other).every((t) => referenced.has(t)) || !tablesOf(index).every((t) => t === table)) return false
  if (keys.foreignKeys.some((fk) => keyCanUse(fk, source))) return false
  // Nothing of one names the other (an expression index calling a function the other step drops, say), the index's
  // table left out: a key of that table names it, and the locks above are all that share it.
  const otherNames = refsReadBy(other)
  const indexNames = refsReadBy(index)
  const own = { schema: source.table.schema?.toLowerCase(), name: source.table.name.toLowerCase() }
  const isOwn = (n: ObjectRef) => n.name === own.name && n.schema === own.schema
  return !otherNames.mentions(indexRef(source)) && !objectsOf(o).some((n) => !isOwn(n) && indexNames.mentions(n))
}

/**
 * Whether foreign key `fk` can use the index `change` builds or drops: a unique index without a predicate over
 * exactly the columns it references of the index's table (PostgreSQL then refuses to drop the index while the key
 * stands, and to add the key before such an index exists).
 */
function keyCanUse(fk: ForeignKey, change: Extract<Change, { kind: 'createIndex' | 'dropIndex' }>): boolean {
  const columns = change.index.parts.map((p) => p.column)
  return (
    nameKey(fk.references.table) === nameKey(change.table) &&
    change.index.unique &&
    change.index.where === undefined &&
    columns.length === fk.references.columns.length &&
    fk.references.columns.every((c) => columns.includes(c))
  )
}

/**
 * Whether `index` builds or drops an index that the key `other` adds or drops can use (see keyCanUse), the key's table
 * the index's own (a key referencing its table): {@link mustKeepOrder} takes two changes of one table as commuting
 * unless one names the other's object or column, and the key's SQL names neither the index nor its columns' own names.
 */
function indexServesKey(index: Step, other: Step): boolean {
  const source = index.source
  const o = other.source
  if (source.kind !== 'createIndex' && source.kind !== 'dropIndex') return false
  if (o.kind !== 'addForeignKey' && o.kind !== 'dropForeignKey') return false
  return keyCanUse(o.foreignKey, source)
}

/**
 * Whether `index` builds or drops an index of a table that a view made or dropped by `other` reads, the view not being
 * the index's own table (a materialized view's index): a query never names an index, and the two lock nothing in
 * common. Tied by the table's name in the view's query, a DROP INDEX CONCURRENTLY on other stood between the drop of a
 * view joining other to posts (whose m the recreation converts, so the drop is in the run) and its CREATE VIEW after
 * the run: error[SPLIT_RUN].
 */
function indexBesideView(index: Step, other: Step): boolean {
  const source = index.source
  if (source.kind !== 'createIndex' && source.kind !== 'dropIndex') return false
  const o = other.source
  if (o.kind !== 'createView' && o.kind !== 'dropView') return false
  if (nameKey(o.view.name) === nameKey(source.table)) return false
  const tables = new Set(tablesOf(other))
  if (tablesOf(index).some((t) => tables.has(t))) return false
  return !refsReadBy(other).mentions(indexRef(source))
}

/** Changes of a table's policies and triggers (see indexBesidePolicyOrTrigger). */
const POLICY_OR_TRIGGER: ReadonlySet<string> = new Set([
  'createPolicy',
  'dropPolicy',
  'alterPolicy',
  'createTrigger',
  'dropTrigger',
  'alterTrigger',
])

/**
 * Whether `index` builds or drops an index of the table that a policy or a trigger made, changed or dropped by `other`
 * is on, neither naming the other: PostgreSQL locks the table for both, but neither reads the other. Tied by that
 * lock, a DROP INDEX CONCURRENTLY on tags stood between the run's DROP POLICY on tags (whose USING casts to the
 * recreated type) and its CREATE POLICY, which could then go neither before the run nor after it: error[SPLIT_RUN].
 */
function indexBesidePolicyOrTrigger(index: Step, other: Step): boolean {
  const source = index.source
  if (source.kind !== 'createIndex' && source.kind !== 'dropIndex') return false
  const o = other.source
  if (!POLICY_OR_TRIGGER.has(o.kind)) return false
  const table = nameKey(localTable(o))
  if (table !== nameKey(source.table)) return false
  if (!tablesOf(index).every((t) => t === table) || !tablesOf(other).every((t) => t === table)) return false
  const otherNames = namesReadBy(other)
  const indexNames = namesReadBy(index)
  return !otherNames.has(source.index.name.toLowerCase()) && !ownNamesOf(o).some((n) => indexNames.has(n))
}

/**
 * Whether two steps must keep their order, more finely than {@link dependsOn} for two steps on the same table: they
 * are changes of one (the check, its VALIDATE, the SET NOT NULL it proves), or one changes the table as a whole (a
 * rename, its options, a key, ...), or one's SQL names a column or an object the other's change is about, the table's
 * name left out, and a column's NOT NULL alone is not about what reads it. Two changes of different columns, indexes
 * or checks of one table commute: a NOT NULL validated apart and a generated column made again over another column,
 * or a check made again over that column. Steps on no common table fall back to dependsOn.
 */
export function mustKeepOrder(step: Step, other: Step): boolean {
  if (step.source === other.source) return true
  if (indexServesKey(step, other) || indexServesKey(other, step)) return true
  if (indexApartFromKey(step, other) || indexApartFromKey(other, step)) return false
  const beside = viewBesideLocal(step, other) ?? viewBesideLocal(other, step)
  if (beside !== undefined) return beside
  const tables = new Set(tablesOf(other))
  if (!tablesOf(step).some((t) => tables.has(t))) {
    const referenced = keyBesideLocal(step, other) ?? keyBesideLocal(other, step)
    return referenced ?? dependsOn(step, other)
  }
  if (!LOCAL_KINDS.has(step.source.kind) || !LOCAL_KINDS.has(other.source.kind)) return true
  const words = wordsOf(step.sql)
  const otherWords = wordsOf(other.sql)
  if (keyOverChangedColumn(step.source, other.source) || keyOverChangedColumn(other.source, step.source)) return true
  return (
    readNamesOfLocal(other.source).some((n) => words.has(n)) ||
    readNamesOfLocal(step.source).some((n) => otherWords.has(n))
  )
}

/**
 * Whether a view made or dropped (`view`) and a local change of a table it reads must keep their order, or undefined
 * when they are not such a pair: as for two local changes, only when the view names a column or an object the change
 * is about, or the change names the view. The view's name for its table (which {@link dependsOn} finds in both) tied a
 * view over orders to a NOT NULL of orders.a validated apart, and through it to the run's ADD COLUMN h over orders.a:
 * error[SPLIT_RUN] once the run reached a view made again after it (round trip, seed 896117121, path "240").
 */
function viewBesideLocal(view: Step, local: Step): boolean | undefined {
  const source = local.source
  if ((view.source.kind !== 'createView' && view.source.kind !== 'dropView') || !LOCAL_KINDS.has(source.kind))
    return undefined
  const table = nameKey(localTable(source))
  if (!view.source.view.dependsOn.some((d) => nameKey(d) === table)) return undefined
  const read = namesReadBy(view)
  const words = wordsOf(local.sql)
  return readNamesOfLocal(source).some((n) => read.has(n)) || namesOf(view.source).some((n) => words.has(n))
}

/**
 * Whether a foreign key's step (`key`: its NOT VALID add, its VALIDATE, its drop) and a local change of the table it
 * references, sharing no lock, must keep their order, or undefined when they are not such a pair: the key reads the
 * referenced table's columns it names and the key or index over them, nothing else of it. Only when the change is of
 * such a column (as what reads it sees it), or is a key or an index of that table (one the foreign key may use), or
 * one names the other. The referenced table's name (which {@link dependsOn} finds in the key's reads and in every
 * change of that table) tied a VALIDATE of notes' key to orders to a NOT NULL of orders.c validated apart and to the
 * run's check over orders.d made again: error[SPLIT_RUN] (round trip, seed 1038100368, path "190").
 */
function keyBesideLocal(key: Step, local: Step): boolean | undefined {
  const k = key.source
  const source = local.source
  if ((k.kind !== 'addForeignKey' && k.kind !== 'dropForeignKey') || !LOCAL_KINDS.has(source.kind)) return undefined
  const table = nameKey(localTable(source))
  if (nameKey(k.foreignKey.references.table) !== table || nameKey(k.table) === table) return undefined
  if (KEY_KINDS.has(source.kind)) return true
  const columns = new Set(k.foreignKey.references.columns.map((c) => c.toLowerCase()))
  const words = wordsOf(key.sql)
  const localWords = wordsOf(local.sql)
  return (
    readNamesOfLocal(source).some((n) => columns.has(n) || words.has(n)) || namesOf(k).some((n) => localWords.has(n))
  )
}

/** Local changes that make or take away a key or an index, which a foreign key referencing the table may use. */
const KEY_KINDS: ReadonlySet<string> = new Set([
  'createIndex',
  'dropIndex',
  'addPrimaryKey',
  'dropPrimaryKey',
  'addUnique',
  'dropUnique',
])

/**
 * Whether `key` is a primary key or unique constraint added or dropped over a column that `column` adds, drops or
 * changes: the key holds it NOT NULL (a DROP NOT NULL must follow the drop of the key), though its SQL may name only
 * its index (USING INDEX) or itself (a drop). What only reads the columns (a check, an index) commutes with it.
 */
function keyOverChangedColumn(key: Change, column: Change): boolean {
  const columns =
    key.kind === 'addPrimaryKey' || key.kind === 'dropPrimaryKey'
      ? key.primaryKey.columns
      : key.kind === 'addUnique' || key.kind === 'dropUnique'
        ? key.unique.columns
        : []
  const changed =
    column.kind === 'alterColumn'
      ? [column.from.name, column.to.name]
      : column.kind === 'addColumn' || column.kind === 'dropColumn'
        ? [column.column.name]
        : []
  return columns.some((c) => changed.includes(c))
}

/**
 * The names a local change is about, as what reads them sees it: none for a column whose change is only of its NOT
 * NULL, its default or its comment (an index, a check or a generated column over it reads its values the same either
 * way), else {@link ownNamesOf}.
 */
function readNamesOfLocal(change: Change): string[] {
  if (change.kind === 'alterColumn' && JSON.stringify(asRead(change.from)) === JSON.stringify(asRead(change.to)))
    return []
  return ownNamesOf(change)
}

/** A column as what reads it sees it. */
function asRead(column: Column): Partial<Column> {
  const { nullable: _nullable, default: _default, comment: _comment, ...read } = column
  return read
}

/**
 * The table a local change is of: a trigger's names it in the trigger. Read as `change.table`, a trigger beside a view
 * over its table, or beside a foreign key to it, threw a TypeError out of keepRunsWhole.
 */
function localTable(change: Change): QualifiedName {
  if (change.kind === 'createTrigger' || change.kind === 'dropTrigger') return change.trigger.table
  if (change.kind === 'alterTrigger') return change.to.table
  return (change as Change & { table: QualifiedName }).table
}

/**
 * Changes of one column, index, key, constraint, trigger or policy of a table, which leave the rest of it as it was. A
 * policy counted otherwise tied a NOT NULL validated apart on its table to the policy made again after an enum's run
 * (the policy's table in both): error[SPLIT_RUN].
 */
const LOCAL_KINDS: ReadonlySet<string> = new Set([
  'alterColumn',
  'addColumn',
  'dropColumn',
  'createIndex',
  'dropIndex',
  'addCheck',
  'dropCheck',
  'addPrimaryKey',
  'dropPrimaryKey',
  'addUnique',
  'dropUnique',
  'addForeignKey',
  'dropForeignKey',
  'createTrigger',
  'dropTrigger',
  'createPolicy',
  'dropPolicy',
  'alterPolicy',
])

/** The names a local change is about: its object's and its columns', not its table's (which both steps share). */
export function ownNamesOf(change: Change): string[] {
  const { table, ...rest } = change as Change & { table?: unknown }
  const columns =
    change.kind === 'alterColumn'
      ? [change.from.name, change.to.name]
      : change.kind === 'addColumn' || change.kind === 'dropColumn'
        ? [change.column.name]
        : []
  return [...namesOf(rest as Change), ...columns.map((c) => c.toLowerCase())]
}

function tablesOf(step: Step): string[] {
  const { lock } = step
  return [...lock.on, ...(lock.also ?? []).flatMap((a) => a.on), ...(lock.created ?? [])].map(nameKey)
}

/** The identifiers of a statement, lower-cased and unquoted; string literals left out. */
export function wordsOf(sql: string): Set<string> {
  return new Set(statementWords(sql))
}

/**
 * The names of the objects a change is about (its table, index, constraint, type, routine, ...), lower-cased: the
 * `name` of each object it holds, not of its columns (a column is its table's, which the locks compare).
 */
export function namesOf(change: Change): string[] {
  const names: string[] = []
  const add = (value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return
    const name = (value as { name?: unknown }).name
    if (typeof name === 'string') names.push(name.toLowerCase())
    else if (typeof name === 'object' && name !== null) add(name)
  }
  // An altered column's from and to are the column (its name is not an object's).
  const skip = change.kind === 'alterColumn' ? ['kind', 'from', 'to'] : ['kind', 'column']
  for (const [key, value] of Object.entries(change)) if (!skip.includes(key)) add(value)
  return names
}
