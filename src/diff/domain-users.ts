import { KeelError } from '../errors.js'
import { deepEqual } from '../schema/equal.js'
import type { ColumnType, Domain, Schema } from '../schema/model.js'
import { displayName, nameKey } from '../schema/name.js'
import type { Change } from './change.js'
import { routineKey } from './diff-routines.js'
import { namesDomain } from './diff-types.js'

/**
 * Refuses a domain whose base type or collation changes while something uses it. The server cannot alter either, so
 * the plan drops the domain and creates it anew, and the drop fails (2BP01) while a column keeps it, another domain is
 * over it, or a routine names it: keel push stopped at it, and keel generate wrote a migration that keel migrate could
 * not apply. Said at planning time instead, naming what uses it. `from`: the current schema, renames applied; `to`: the
 * desired one.
 */
export function refuseDomainsInUse(from: Schema, to: Schema, changes: readonly Change[]): void {
  for (const change of changes) {
    if (change.kind !== 'alterDomain') continue
    const { from: before, to: after } = change
    if (deepEqual(before.type, after.type) && before.collation === after.collation) continue
    const users = usersOf(before, from, to, changes, droppedBefore(changes))
    if (users.length === 0) continue
    throw new KeelError(
      'DOMAIN_IN_USE',
      `cannot change the base type or collation of domain ${displayName(before.name)}: the server can only drop the domain and create it anew, which it refuses while ${users.join(', ')} ${users.length === 1 ? 'uses' : 'use'} it`,
    )
  }
}

/**
 * What the plan drops before it makes a changed domain again (plan/order.ts: dropView, dropIndex and dropConstraint
 * come before createDomain), by kind and key: a view it recreates, an index or a check it changes, each created again
 * after the domain exists.
 */
function droppedBefore(changes: readonly Change[]): ReadonlySet<string> {
  const keys = new Set<string>()
  for (const change of changes) {
    if (change.kind === 'dropView') keys.add(`view\u0001${nameKey(change.view.name)}`)
    if (change.kind === 'dropIndex') keys.add(`index\u0001${nameKey(change.table)}\u0001${change.index.name}`)
    if (change.kind === 'dropCheck') keys.add(`check\u0001${nameKey(change.table)}\u0001${change.check.name}`)
  }
  return keys
}

/**
 * What keeps `domain` from being dropped, in `from`, and is still there in `to`: columns that still hold it when it is
 * dropped (stillHolds: one moved off it is retyped before, unless its new type cannot exist yet), domains over it (one the
 * plan drops too when something still holds that one: it is dropped early only when nothing does), routines that
 * name it and stay (the plan drops the others before the domain, as for a recreated enum), views whose SELECT names
 * it (a cast to it: the view depends on the type), and a table's defaults, generated columns, checks and indexes
 * whose expressions name it. A column or view gone from `to`, and a view, check or index the plan drops to create it
 * anew (`dropped`), are dropped before the domain is.
 */
function usersOf(
  domain: Domain,
  from: Schema,
  to: Schema,
  changes: readonly Change[],
  dropped: ReadonlySet<string>,
): readonly string[] {
  const goalColumn = (table: Schema['tables'][number], column: string) =>
    to.tables.find((t) => nameKey(t.name) === nameKey(table.name))?.columns.find((c) => c.name === column)
  const columns = from.tables.flatMap((table) =>
    table.columns
      .filter((c) => namesDomain(c.type, domain.name))
      .filter((c) => {
        const goal = goalColumn(table, c.name)
        return goal !== undefined && stillHolds(goal.type, domain, from, to, changes)
      })
      .map((c) => `column ${displayName(table.name)}.${c.name}`),
  )
  const stays = (d: Domain) => (to.domains ?? []).some((g) => nameKey(g.name) === nameKey(d.name))
  const domains = (from.domains ?? [])
    .filter((d) => namesDomain(d.type, domain.name))
    .filter((d) => stays(d) || usersOf(d, from, to, changes, dropped).length > 0)
    .map((d) => `domain ${displayName(d.name)}`)
  const goalRoutines = new Set((to.routines ?? []).map((r) => routineKey(r.name, r.identityArgs)))
  const routines = (from.routines ?? [])
    .filter((r) => goalRoutines.has(routineKey(r.name, r.identityArgs)))
    .filter((r) => r.dependsOn.some((ref) => ref.kind === 'type' && nameKey(ref.name) === nameKey(domain.name)))
    .map((r) => `routine ${displayName(r.name)}`)
  // A view's dependencies on types are not in the model (View.dependsOn lists relations): its SELECT's text is read,
  // conservatively (a column of the domain's name refuses too, and says which view).
  const views = from.views
    .filter((v) => to.views.some((w) => nameKey(w.name) === nameKey(v.name)))
    .filter((v) => !dropped.has(`view\u0001${nameKey(v.name)}`))
    .filter((v) => identifiersOf(v.definition).has(domain.name.name))
    .map((v) => `view ${displayName(v.name)}`)
  // So are a table's expressions that cast to it (a default, a generated column, a check, an index's expression or
  // predicate): each depends on the type. Read from their text, as a view's, where the table and the object stay.
  const names = (sql: string | undefined) => sql !== undefined && identifiersOf(sql).has(domain.name.name)
  const expressions = from.tables.flatMap((table) => {
    const goal = to.tables.find((t) => nameKey(t.name) === nameKey(table.name))
    if (goal === undefined) return []
    const where = displayName(table.name)
    return [
      ...table.columns
        .filter((c) => goal.columns.some((g) => g.name === c.name))
        .filter((c) => names(c.default?.sql) || names(c.generated?.expr))
        .map((c) => `the default of column ${where}.${c.name}`),
      ...table.checks
        .filter((c) => goal.checks.some((g) => g.name === c.name) && names(c.expr))
        .filter((c) => !dropped.has(`check\u0001${nameKey(table.name)}\u0001${c.name}`))
        .map((c) => `check ${c.name} of ${where}`),
      ...table.indexes
        .filter((i) => goal.indexes.some((g) => g.name === i.name))
        .filter((i) => names(i.where) || i.parts.some((part) => names(part.expr)))
        .filter((i) => !dropped.has(`index\u0001${nameKey(table.name)}\u0001${i.name}`))
        .map((i) => `index ${i.name} of ${where}`),
    ]
  })
  return [...columns, ...domains, ...routines, ...views, ...expressions]
}

/**
 * Whether a column of `domain` whose goal type is `goal` still holds the domain when the plan drops it. One that stays on
 * it does. One moved off it is retyped before the domain is dropped (postgres/expand-domain-leavers.ts), unless its new
 * type cannot be ready by then: a domain the plan makes anew too, or one over such a domain (the domains made anew are
 * ordered by the columns leaving them, and two columns trading domains would need each before the other: the server
 * refused the second drop, 2BP01), or a domain the plan makes while `domain` is one dropped early, before any domain is
 * made (expand-routines.ts domainsMadeAnew). A domain the plan creates over none of them, or one that stays as it is,
 * is ready.
 */
function stillHolds(goal: ColumnType, domain: Domain, from: Schema, to: Schema, changes: readonly Change[]): boolean {
  if (namesDomain(goal, domain.name)) return true
  const target = (to.domains ?? []).find((d) => namesDomain(goal, d.name))
  if (target === undefined) return false
  const madeAnew = new Set(
    changes.flatMap((c) =>
      c.kind === 'alterDomain' && (!deepEqual(c.from.type, c.to.type) || c.from.collation !== c.to.collation)
        ? [nameKey(c.from.name)]
        : [],
    ),
  )
  if (overMadeAnew(target, to, madeAnew)) return true
  const created = !(from.domains ?? []).some((f) => nameKey(f.name) === nameKey(target.name))
  return created && !madeAnew.has(nameKey(domain.name))
}

/** Whether `domain` is one of `madeAnew`, or over one of them in `schema` (directly or through other domains). */
function overMadeAnew(
  domain: Domain,
  schema: Schema,
  madeAnew: ReadonlySet<string>,
  seen: ReadonlySet<string> = new Set(),
): boolean {
  const key = nameKey(domain.name)
  if (madeAnew.has(key)) return true
  if (seen.has(key)) return false
  const base = (schema.domains ?? []).find((d) => namesDomain(domain.type, d.name))
  return base !== undefined && overMadeAnew(base, schema, madeAnew, new Set([...seen, key]))
}

/** The identifiers of an SQL text, unquoted (a bare one lower-cased, as the server folds it); string literals left out. */
function identifiersOf(sql: string): Set<string> {
  const text = sql.replace(/'(?:[^']|'')*'/g, ' ')
  const words = new Set<string>()
  for (const match of text.matchAll(/"((?:[^"]|"")+)"|[A-Za-z_][A-Za-z0-9_$]*/g))
    words.add(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[0].toLowerCase())
  return words
}
