import type { Change } from '../diff/change.js'
import { KeelError } from '../errors.js'
import { onlyAdds } from '../plan/enum-swap.js'
import type { Step } from '../plan/step.js'
import type { Column, QualifiedName } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import { readsOf, wordsOf as statementWords } from './change-reads.js'

/**
 * A step of an enum recreated in place: its change removes or reorders values (ADD VALUE cannot reach them). The
 * type is renamed away, created again and its columns converted; what reads the columns is dropped before and made
 * again after, in one transaction (the planner sets the online forms aside for it: PlanContext.convertedTables).
 */
export function recreatesEnum(step: Step): boolean {
  const source = step.source
  return source.kind === 'alterEnum' && !onlyAdds(source.from.values, source.to.values)
}

/**
 * Keeps each run of steps that must not stop half-way (an enum recreated in place, with the drops and creates of
 * what reads its columns around it) free of steps that break a migration's transaction (`breaks`: a step the dialect
 * runs outside a transaction block, or one the runner commits alone), so that splitting by transaction
 * (render-migration.ts) leaves the run in one migration and one transaction. The planner orders a phase's steps by
 * kind (the drops, then the creates), so a concurrent build or drop on another table can fall between the drop of an
 * index that reads a converted column and its conversion: split there, a failed conversion left the index dropped.
 *
 * Such a step moves to just before the run, with the steps between the run's start and it that it is tied to (see
 * {@link tiedTo}: a NOT VALID check before its VALIDATE), when none of them is part of the run; else to just after
 * the run, with the steps between it and the run's end tied to it (a unique index built apart and the foreign key
 * that references it, a drop apart and a create of the same name keep their order). A step that can go neither way
 * is refused (error[SPLIT_RUN]) rather than written as a run that can stop half-way.
 *
 * The run is the span of its members (see {@link runMembers}); what lies between them is kept in it, whatever it is.
 */
export function keepRunsWhole(steps: readonly Step[], breaks: (step: Step) => boolean): readonly Step[] {
  // In place only: a recreation that converts (rewrites) a table's column. A swap's steps (plan/enum-swap.ts: the
  // expand's CREATE TYPE, the contract's catalog-only DROP TYPE and RENAME) hold nothing dropped across them, and the
  // run would reach every later step that names the type (a view, an index built concurrently after the swap).
  const members = runMembers(steps, breaks)
  if (members.size === 0) return steps
  const recreation = steps.filter((step) => recreatesEnum(step) && step.transactional)
  // Taken from the planner's order once: a step moved past the run does not join it by where it lands.
  const core = (step: Step) => members.has(step)
  let order = [...steps]
  // Each pass moves one breaking step (with what it is tied to) out of the run: at most one pass per step.
  for (let pass = 0; pass <= steps.length; pass++) {
    const first = order.findIndex(core)
    const last = order.findLastIndex(core)
    const at = order.findIndex((step, i) => i > first && i < last && breaks(step))
    if (first === -1 || at === -1) return order
    const step = order[at] as Step
    const earlier = tiedTo(order, at, first)
    const later = tiedTo(order, at, last)
    // Past the recreation's last step, a step of the converted table comes after the conversion by the planner's
    // order, and the members after it are objects made again: it goes after them when nothing between names what
    // it changes (see mustKeepOrder), where the table alone tied them both ways.
    const pastRecreation = at > order.findLastIndex((s) => core(s) && recreatesEnum(s))
    const laterApart = pastRecreation ? tiedTo(order, at, last, mustKeepOrder) : []
    const moves = !earlier.some(core)
      ? { group: earlier, to: first }
      : !later.some(core)
        ? { group: later, to: last + 1 }
        : pastRecreation && !laterApart.some(core)
          ? { group: laterApart, to: last + 1 }
          : undefined
    if (moves === undefined) {
      const needs = earlier.find(core) as Step
      const needed = later.find(core) as Step
      throw new KeelError(
        'SPLIT_RUN',
        `"${step.comment}" cannot run in a transaction, and it falls inside "${(recreation[0] as Step).comment}", which must run in one: it needs "${needs.comment}" before it, and "${needed.comment}" needs it`,
      )
    }
    const group = new Set(moves.group)
    const head = order.slice(0, moves.to).filter((s) => !group.has(s))
    const tail = order.slice(moves.to).filter((s) => !group.has(s))
    order = [...head, ...moves.group, ...tail]
  }
  return order
}

/**
 * The steps of a phase that must share the recreation's transaction (none when no enum is recreated in place), in the
 * planner's order: the recreation's own steps; before its last step, every transactional step that depends on one of
 * them (the drops of what reads the converted columns, and what the planner put among them); after it, only the steps
 * that make again an object one of those drops took away and read the recreation (an index, a view, a check, a
 * generated column whose SQL names the type, a converted column or such an object made again before it: one made
 * again over another column of the table only shares its table). A later step on the converted table, or one that
 * names the new type, needs the recreation to have run, not to share its transaction: the type and the columns are
 * whole once it commits. Counted in, such a step (a column's NOT NULL proven by a check validated apart, after the
 * conversion) stretched the run over the VALIDATE the runner commits alone, which could then go neither before the
 * run nor after it: error[SPLIT_RUN] for a plan that can run (the round trip, seed -1960771233, path "11").
 */
export function runMembers(steps: readonly Step[], breaks: (step: Step) => boolean): ReadonlySet<Step> {
  // In place only: a recreation that converts (rewrites) a table's column (see keepRunsWhole).
  const recreation = steps.filter((step) => recreatesEnum(step) && step.transactional)
  if (recreation.length < 2 || !recreation.some((step) => step.rewritesTable)) return new Set()
  const eligible = (step: Step) => step.transactional && !breaks(step)
  const start = steps.indexOf(recreation[0] as Step)
  const end = steps.lastIndexOf(recreation[recreation.length - 1] as Step)
  // What a dependent made again reads of the recreation: the type, a domain over it, a converted column (by name), or
  // a dependent made again before it.
  const read = new Set(recreation.flatMap((r) => readNamesOf(r.source)))
  const members = new Set<Step>()
  const dropped = new Set<string>()
  steps.forEach((step, i) => {
    if (!eligible(step)) return
    if (recreatesEnum(step) || (i < end && recreation.some((r) => dependsOn(step, r)))) {
      members.add(step)
      const key = objectKey(step.source, 'drop')
      if (i < start && key !== undefined) dropped.add(key)
    } else if (i > end) {
      const key = objectKey(step.source, 'make')
      if (key === undefined || !dropped.has(key) || ![...wordsOf(step.sql)].some((w) => read.has(w))) return
      members.add(step)
      // What reads it in turn (an index over a generated column made again) is as much the recreation's.
      for (const name of ownNamesOf(step.source)) read.add(name)
    }
  })
  return members
}

/** The names of an enum recreation's type, the domains over it and the columns it converts, lower-cased. */
function readNamesOf(change: Change): string[] {
  if (change.kind !== 'alterEnum') return []
  const domains = change.domains ?? []
  const columns = [...change.usages, ...domains.flatMap((d) => d.columns)].map((u) => u.column.name)
  return [...namesOf(change), ...domains.map((d) => d.domain.name.name), ...columns].map((n) => n.toLowerCase())
}

/**
 * What a drop (`drop...`) or a make (`create...`, `add...`) change is about, as one key for both (`index public.t
 * t_idx`), so that a make can be matched with the drop it undoes; undefined for other changes.
 */
function objectKey(change: Change, verb: 'drop' | 'make'): string | undefined {
  const match = /^(drop|create|add)([A-Z]\w*)$/.exec(change.kind)
  if (match === null || (match[1] === 'drop') !== (verb === 'drop')) return undefined
  const column = (change as { column?: { name?: unknown } }).column?.name
  return [match[2], ...namesOf(change), ...(typeof column === 'string' ? [column.toLowerCase()] : [])].join(' ')
}

/**
 * The steps between `at` and `bound` (either side) tied to the step at `at`, in their order, itself included: those it
 * depends on, those they depend on, and so on (dependsOn is symmetric). Moved together past the others, they keep
 * their order among themselves, and nothing they leave behind depended on them.
 */
function tiedTo(
  order: readonly Step[],
  at: number,
  bound: number,
  tie: (step: Step, other: Step) => boolean = dependsOn,
): Step[] {
  const [from, to] = bound < at ? [bound, at] : [at, bound]
  const window = order.slice(from, to + 1)
  const tied = new Set<Step>([order[at] as Step])
  for (let grown = true; grown; ) {
    grown = false
    for (const step of window)
      if (!tied.has(step) && [...tied].some((t) => tie(step, t))) {
        tied.add(step)
        grown = true
      }
  }
  return window.filter((step) => tied.has(step))
}

/**
 * Whether `step` may need `other` to have run (or to run first), conservatively: they lock a table in common, or one's
 * SQL or what its change's object reads by the model (see readsOf: a dropped table's column types, a dropped view's
 * definition) names an object the other's change is about (an index dropped and one of the same name created, a type
 * or a function the other reads). False dependencies only keep steps where the planner put them; a missed one let a
 * move put a drop after the drop of what it depended on. The lock an index and a foreign key to its table share is
 * not one (see indexApartFromKey).
 */
export function dependsOn(step: Step, other: Step): boolean {
  if (indexApartFromKey(step, other) || indexApartFromKey(other, step)) return false
  const tables = new Set(tablesOf(other))
  if (tablesOf(step).some((t) => tables.has(t))) return true
  const words = namesReadBy(step, other)
  const otherWords = namesReadBy(other, step)
  return namesOf(other.source).some((n) => words.has(n)) || namesOf(step.source).some((n) => otherWords.has(n))
}

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
 * Whether `index` builds or drops an index that `other` reaches only through a foreign key that references the
 * index's table, which the model says commute though both lock that table: `other` adds or drops the key, or creates
 * or drops the table holding it, on another table, and the index is not one the key can use (a unique index over
 * exactly the referenced columns). PostgreSQL locks the referenced table for the key's triggers; the key reads only
 * the index over its referenced columns. Tied by that lock, a DROP INDEX CONCURRENTLY on orders held a DROP TABLE
 * notes (notes.orders_id references orders) behind it when it went past an enum's recreation, after the drop of the
 * type notes.f still had (round trip, seed 896117121, path "45").
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
  if (keys === undefined || keys.own === table) return false
  // Every table the other step locks is its own or one its keys reference; the index step locks its table alone.
  const referenced = new Set([keys.own, ...keys.foreignKeys.map((fk) => nameKey(fk.references.table))])
  if (!tablesOf(other).every((t) => referenced.has(t)) || !tablesOf(index).every((t) => t === table)) return false
  const columns = source.index.parts.map((p) => p.column)
  const usable = (fk: { references: { table: QualifiedName; columns: readonly string[] } }) =>
    nameKey(fk.references.table) === table &&
    source.index.unique &&
    source.index.where === undefined &&
    columns.length === fk.references.columns.length &&
    fk.references.columns.every((c) => columns.includes(c))
  if (keys.foreignKeys.some(usable)) return false
  // Nothing of one names the other (an expression index calling a function the other step drops, say).
  const otherNames = namesReadBy(other)
  const indexNames = namesReadBy(index)
  return !otherNames.has(source.index.name.toLowerCase()) && !namesOf(o).some((n) => indexNames.has(n))
}

/**
 * Whether two steps must keep their order, more finely than {@link dependsOn} for two steps on the same table: they
 * are changes of one (the check, its VALIDATE, the SET NOT NULL it proves), or one changes the table as a whole (a
 * rename, its options, a key, ...), or one's SQL names a column or an object the other's change is about, the table's
 * name left out, and a column's NOT NULL alone is not about what reads it. Two changes of different columns, indexes
 * or checks of one table commute: a NOT NULL validated apart and a generated column made again over another column,
 * or a check made again over that column. Steps on no common table fall back to dependsOn.
 */
function mustKeepOrder(step: Step, other: Step): boolean {
  if (step.source === other.source) return true
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
  const table = nameKey((source as Change & { table: QualifiedName }).table)
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
  const table = nameKey((source as Change & { table: QualifiedName }).table)
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

/** Changes of one column, index, key, constraint or trigger of a table, which leave the rest of it as it was. */
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
])

/** The names a local change is about: its object's and its columns', not its table's (which both steps share). */
function ownNamesOf(change: Change): string[] {
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
function wordsOf(sql: string): Set<string> {
  return new Set(statementWords(sql))
}

/**
 * The names of the objects a change is about (its table, index, constraint, type, routine, ...), lower-cased: the
 * `name` of each object it holds, not of its columns (a column is its table's, which the locks compare).
 */
function namesOf(change: Change): string[] {
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
