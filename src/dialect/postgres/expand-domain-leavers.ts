/**
 * Columns moved off a domain that the plan drops to make it anew (its base type or collation changes), or drops early
 * as a domain over such a one (expand-routines.ts domainsMadeAnew). Those drops go in `createDomain`, before the
 * columns change in `alterColumn`, and the server refuses to drop a domain a column still has (2BP01): so such a
 * column's change up to its new type runs just before the drop, in `createDomain` too, and the rest (NOT NULL, a
 * default, a comment) keeps its place. The new type exists by then: an enum or a collation comes before `createDomain`,
 * and a domain the plan makes is ranked before the domain the column leaves (expand-routines.ts domainOrder). The
 * differ refuses the rest (diff/domain-users.ts, DOMAIN_IN_USE).
 */
import type { Change, ColumnAspect } from '../../diff/change.js'
import { namesDomain } from '../../diff/diff-types.js'
import { deepEqual } from '../../schema/equal.js'
import type { Column, Domain } from '../../schema/model.js'
import { nameKey } from '../../schema/name.js'
import { columnTransitions } from './column-transitions.js'
import type { ChangeOf, Unit } from './context.js'

type AlterColumn = ChangeOf<'alterColumn'>

/** Half a rank: before the drop's unit, after the domains ranked before it. */
const BEFORE_THE_DROP = 0.5

/** `units` with the type change of each column leaving a domain dropped in `createDomain` moved before the drop. */
export function retypeBeforeDomainDrops(units: readonly Unit[], madeAnew: ReadonlySet<string>): Unit[] {
  if (madeAnew.size === 0) return [...units]
  const drops: DomainDrop[] = []
  for (const u of units) {
    if (u.category !== 'createDomain') continue
    const domain = droppedDomainOf(u.change)
    if (domain !== undefined && madeAnew.has(nameKey(domain.name))) drops.push({ domain, rank: u.rank })
  }
  return units.flatMap((u) => {
    if (u.category !== 'alterColumn' || u.change.kind !== 'alterColumn') return [u]
    const ranks = domainsLeft(u.change.from, u.change.to, drops)
    if (ranks.length === 0) return [u]
    const [early, late] = splitAfterType(u.change)
    if (early === undefined) return [u]
    return [
      { ...u, category: 'createDomain' as const, rank: Math.min(...ranks) - BEFORE_THE_DROP, change: early },
      ...(late === undefined ? [] : [{ ...u, change: late }]),
    ]
  })
}

/**
 * For each domain the plan makes anew, by `nameKey`: the domains that columns leaving it move to, which must exist
 * before it is dropped (so are ranked before it among the domains the plan makes).
 */
export function leaversTargets(changes: readonly Change[], madeAnew: ReadonlySet<string>): Map<string, Set<string>> {
  const made = changes.flatMap((c) => (c.kind === 'createDomain' ? [c.domain] : c.kind === 'alterDomain' ? [c.to] : []))
  const targets = new Map<string, Set<string>>()
  for (const change of changes) {
    if (change.kind !== 'alterColumn') continue
    for (const left of made.filter((d) => madeAnew.has(nameKey(d.name)))) {
      if (!namesDomain(change.from.type, left.name) || namesDomain(change.to.type, left.name)) continue
      const set = targets.get(nameKey(left.name)) ?? new Set<string>()
      for (const target of made) if (namesDomain(change.to.type, target.name)) set.add(nameKey(target.name))
      targets.set(nameKey(left.name), set)
    }
  }
  return targets
}

/** The domain a `createDomain` unit drops: a domain made anew, or one dropped early. */
function droppedDomainOf(change: Change): Domain | undefined {
  if (change.kind === 'dropDomain') return change.domain
  if (change.kind !== 'alterDomain') return undefined
  const { from, to } = change
  return deepEqual(from.type, to.type) && from.collation === to.collation ? undefined : from
}

interface DomainDrop {
  readonly domain: Domain
  readonly rank: number
}

/** The ranks of the drops of the domains the column's type names and its new type does not. */
function domainsLeft(from: Column, to: Column, drops: readonly DomainDrop[]): readonly number[] {
  return drops.flatMap(({ domain, rank }) =>
    namesDomain(from.type, domain.name) && !namesDomain(to.type, domain.name) ? [rank] : [],
  )
}

/**
 * The column's change up to and including its new type (what goes first: identity, expression, a default that
 * would not survive the cast, NOT NULL), and the rest; undefined for a half that does nothing.
 */
function splitAfterType(change: AlterColumn): readonly [AlterColumn | undefined, AlterColumn | undefined] {
  const transitions = columnTransitions(change)
  const typeAt = transitions.findIndex((t) => t.kind === 'type')
  const retyped = transitions[typeAt]
  if (retyped === undefined) return [undefined, change]
  const aspectsOf = (part: typeof transitions) => [...new Set(part.flatMap((t) => t.change.aspects))] as ColumnAspect[]
  const rest = transitions.slice(typeAt + 1)
  const mid = retyped.change.to
  return [
    { ...change, to: mid, aspects: aspectsOf(transitions.slice(0, typeAt + 1)) },
    rest.length === 0 ? undefined : { ...change, from: mid, aspects: aspectsOf(rest) },
  ]
}
