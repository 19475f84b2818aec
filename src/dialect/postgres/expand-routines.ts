/**
 * Domain, routine and trigger changes → units, each in its step category (plan/order.ts) and at its
 * rank within it. Most of the order is the category list; what is left is decided here from each
 * object's dependencies:
 * - a domain over another domain comes after it (and is dropped before it);
 * - a routine comes after the routines it depends on (an aggregate after its support functions);
 * - a routine whose signature or bound body uses a relation created in this plan waits for it: it is
 *   ordered among the created views (`createView`), right after the last relation it needs, so that
 *   views created after it may call it; symmetrically, a routine that uses a relation dropped in this
 *   plan is dropped among the dropped views, right before the first relation it needs.
 */
import { assertNever } from '../../assert-never.js'
import type { Change, RoutineChange } from '../../diff/change.js'
import { routineKey } from '../../diff/diff-routines.js'
import { namesDomain } from '../../diff/diff-types.js'
import type { StepCategory } from '../../plan/order.js'
import { topoSort } from '../../plan/order.js'
import { deepEqual } from '../../schema/equal.js'
import type { Domain, Routine } from '../../schema/model.js'
import { nameKey } from '../../schema/name.js'
import type { PlanContext, Unit } from './context.js'
import { quoteQualified } from './quote.js'
import { unit } from './units.js'

/** Topological positions of the views a plan creates and drops (as expand.ts computes them). */
export interface ViewRanks {
  readonly created: ReadonlyMap<string, number>
  readonly dropped: ReadonlyMap<string, number>
}

/** Where each domain and routine of a plan goes: category and rank, by `nameKey` / `routineKey`. */
export interface RoutinePlacement {
  readonly domains: {
    readonly created: ReadonlyMap<string, number>
    readonly dropped: ReadonlyMap<string, number>
    /** Dropped domains over a domain the plan makes anew: dropped before it, in `createDomain` (see droppedEarly). */
    readonly early: ReadonlySet<string>
  }
  readonly created: ReadonlyMap<string, Placement>
  readonly dropped: ReadonlyMap<string, Placement>
}

interface Placement {
  readonly category: StepCategory
  readonly rank: number
}

/** Ranks within a category are small integers; these keep routines between and after them. */
const AFTER_ALL_VIEWS = 1e9
const STEP = 1e-6

/** Computes the placement of every domain and routine that `changes` create, alter or drop. */
export function placeRoutines(
  changes: readonly RoutineChange[],
  scope: Omit<PlanContext, 'safe'>,
  views: ViewRanks,
  leavers: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): RoutinePlacement {
  const createdDomains = changes.flatMap((c) =>
    c.kind === 'createDomain' ? [c.domain] : c.kind === 'alterDomain' ? [c.to] : [],
  )
  const droppedDomains = changes.flatMap((c) => (c.kind === 'dropDomain' ? [c.domain] : []))
  const createdRoutines = changes.flatMap((c) =>
    c.kind === 'createRoutine' ? [c.routine] : c.kind === 'alterRoutine' ? [c.to] : [],
  )
  const droppedRoutines = changes.flatMap((c) => (c.kind === 'dropRoutine' ? [c.routine] : []))
  return {
    domains: {
      created: positions(domainOrder(createdDomains, leavers)),
      dropped: positions(domainOrder(droppedDomains).reverse()),
      early: domainsDroppedEarly(changes),
    },
    created: placeCreated(createdRoutines, scope.created, views.created),
    dropped: placeDropped(droppedRoutines, scope.dropped, views.dropped, scope.recreatedTypes ?? new Set()),
  }
}

/**
 * The domains the plan drops and creates anew (a changed base type or collation, which ALTER DOMAIN cannot change),
 * and the domains it drops for good that are over one of them (by `nameKey`). The server refuses to drop a domain
 * while another is over it, so those go first, in `createDomain` before any domain is made (the differ refuses it,
 * DOMAIN_IN_USE, while something else still holds such a domain); and the routines the plan drops that name any of
 * them go before too (`recreatedTypes`, as for a recreated enum).
 */
export function domainsMadeAnew(changes: readonly Change[]): ReadonlySet<string> {
  return new Set([...recreatedDomains(changes)].map((d) => nameKey(d.name)).concat([...domainsDroppedEarly(changes)]))
}

function recreatedDomains(changes: readonly Change[]): readonly Domain[] {
  return changes.flatMap((c) =>
    c.kind === 'alterDomain' && (!deepEqual(c.from.type, c.to.type) || c.from.collation !== c.to.collation)
      ? [c.from]
      : [],
  )
}

function domainsDroppedEarly(changes: readonly Change[]): ReadonlySet<string> {
  const recreated = recreatedDomains(changes)
  return new Set(
    changes.flatMap((c) =>
      c.kind === 'dropDomain' && recreated.some((d) => namesDomain(c.domain.type, d.name))
        ? [nameKey(c.domain.name)]
        : [],
    ),
  )
}

function positions(domains: readonly Domain[]): Map<string, number> {
  return new Map(domains.map((domain, i) => [nameKey(domain.name), i]))
}

/**
 * Domains after the domains they are over (the base type of a domain names another domain verbatim), and a domain made
 * anew after the domains its columns move to (`leavers`, by `nameKey`: they are retyped before it is dropped, see
 * expand-domain-leavers.ts).
 */
function domainOrder(
  domains: readonly Domain[],
  leavers: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): Domain[] {
  const byType = new Map(domains.map((d) => [quoteQualified(d.name), nameKey(d.name)] as const))
  const deps = (domain: Domain): readonly string[] => {
    const type = domain.type.kind === 'array' ? domain.type.element : domain.type
    const key = type.kind === 'native' ? byType.get(type.sql) : undefined
    return [...(key === undefined ? [] : [key]), ...(leavers.get(nameKey(domain.name)) ?? [])]
  }
  return topoSort(domains, (d) => nameKey(d.name), deps)
}

const keyOf = (routine: Routine) => routineKey(routine.name, routine.identityArgs)

function routineDeps(routine: Routine): readonly string[] {
  return routine.dependsOn.flatMap((dep) => (dep.kind === 'routine' ? [routineKey(dep.name, dep.identityArgs)] : []))
}

function relationDeps(routine: Routine, relations: ReadonlySet<string>): readonly string[] {
  return routine.dependsOn.flatMap((dep) =>
    dep.kind === 'relation' && relations.has(nameKey(dep.name)) ? [nameKey(dep.name)] : [],
  )
}

/**
 * Created routines in dependency order. One that needs a relation created in this plan, or a routine
 * placed so, goes in `createView` after the last view it needs (after all tables, before views
 * when it needs tables only); the others in `createRoutine`, before every table.
 */
function placeCreated(
  routines: readonly Routine[],
  createdRelations: ReadonlySet<string>,
  viewRanks: ReadonlyMap<string, number>,
): Map<string, Placement> {
  const placed = new Map<string, Placement>()
  topoSort(routines, keyOf, routineDeps).forEach((routine, i) => {
    const relations = relationDeps(routine, createdRelations)
    const late = routineDeps(routine).flatMap((key) => {
      const dep = placed.get(key)
      return dep?.category === 'createView' ? [dep.rank] : []
    })
    if (relations.length === 0 && late.length === 0) {
      placed.set(keyOf(routine), { category: 'createRoutine', rank: i })
      return
    }
    const after = Math.max(-1, ...relations.map((key) => viewRanks.get(key) ?? -1))
    placed.set(keyOf(routine), { category: 'createView', rank: Math.max(after + 0.5, ...late) + STEP * (i + 1) })
  })
  return placed
}

/**
 * Dropped routines, dependents first. One that uses a relation dropped in this plan, or whose
 * dependency is placed so, goes in `dropView` before the first view it needs (after all views when it
 * needs tables only, which are dropped later); one that uses an enum the plan recreates (or calls a routine that
 * does) in `dropRoutineOfRecreatedType`, before the enum is recreated; the others in `dropRoutine`, after the tables.
 */
function placeDropped(
  routines: readonly Routine[],
  droppedRelations: ReadonlySet<string>,
  viewRanks: ReadonlyMap<string, number>,
  recreatedTypes: ReadonlySet<string>,
): Map<string, Placement> {
  const placed = new Map<string, Placement>()
  const order = topoSort(routines, keyOf, routineDeps)
  // Dependencies before dependents here, so that a dependent sees where its dependencies went.
  order.forEach((routine, i) => {
    const relations = relationDeps(routine, droppedRelations)
    const early = routineDeps(routine).flatMap((key) => {
      const dep = placed.get(key)
      return dep?.category === 'dropView' ? [dep.rank] : []
    })
    const reverseRank = order.length - i
    // Or calls, in a SQL-standard body, a routine that does: it must be gone before that one (routinesBoundTo).
    const usesRecreatedType =
      routine.dependsOn.some((dep) => dep.kind === 'type' && recreatedTypes.has(nameKey(dep.name))) ||
      routineDeps(routine).some((key) => placed.get(key)?.category === 'dropRoutineOfRecreatedType')
    if (relations.length === 0 && early.length === 0 && usesRecreatedType) {
      placed.set(keyOf(routine), { category: 'dropRoutineOfRecreatedType', rank: reverseRank })
      return
    }
    if (relations.length === 0 && early.length === 0) {
      placed.set(keyOf(routine), { category: 'dropRoutine', rank: reverseRank })
      return
    }
    const before = Math.min(AFTER_ALL_VIEWS, ...relations.map((key) => viewRanks.get(key) ?? AFTER_ALL_VIEWS))
    placed.set(keyOf(routine), {
      category: 'dropView',
      rank: Math.min(before - 0.5, ...early) - STEP * (i + 1),
    })
  })
  return placed
}

const ROUTINE_KINDS: ReadonlySet<Change['kind']> = new Set<RoutineChange['kind']>([
  'createDomain',
  'dropDomain',
  'alterDomain',
  'createRoutine',
  'dropRoutine',
  'alterRoutine',
  'createTrigger',
  'dropTrigger',
  'alterTrigger',
])

/** Whether the change is about a domain, routine or trigger (the changes this module expands). */
export function isRoutineChange(change: Change): change is RoutineChange {
  return ROUTINE_KINDS.has(change.kind)
}

/** The units of one domain, routine or trigger change. */
export function expandRoutineChange(change: RoutineChange, placement: RoutinePlacement): Unit[] {
  switch (change.kind) {
    case 'createDomain':
      return [unit('createDomain', change, change, placement.domains.created.get(nameKey(change.domain.name)) ?? 0)]
    case 'alterDomain':
      return [unit('createDomain', change, change, placement.domains.created.get(nameKey(change.to.name)) ?? 0)]
    case 'dropDomain': {
      const key = nameKey(change.domain.name)
      const rank = placement.domains.dropped.get(key) ?? 0
      // Before every domain the plan makes (ranks from 0 up), dependents first as among the other drops.
      if (placement.domains.early.has(key))
        return [unit('createDomain', change, change, rank - placement.domains.dropped.size)]
      return [unit('dropDomain', change, change, rank)]
    }
    case 'createRoutine':
      return [placedUnit(change, placement.created.get(keyOf(change.routine)), 'createRoutine')]
    case 'alterRoutine':
      return [placedUnit(change, placement.created.get(keyOf(change.to)), 'createRoutine')]
    case 'dropRoutine':
      return [placedUnit(change, placement.dropped.get(keyOf(change.routine)), 'dropRoutine')]
    case 'createTrigger':
    case 'alterTrigger':
      return [unit('createTrigger', change, change)]
    case 'dropTrigger':
      return [unit('dropTrigger', change, change)]
    default:
      return assertNever(change)
  }
}

function placedUnit(change: RoutineChange, where: Placement | undefined, fallback: StepCategory): Unit {
  return unit(where?.category ?? fallback, change, change, where?.rank ?? 0)
}
