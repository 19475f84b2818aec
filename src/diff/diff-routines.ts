import { deepEqual, omitKeys } from '../schema/equal.js'
import type { QualifiedName, Routine, Schema, Trigger } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import type { Change } from './change.js'
import { matchByName } from './diff-named.js'
import type { Taint } from './diff-views.js'

/** A key for a routine: its name and identity arguments (overloads are distinct routines). */
export function routineKey(name: QualifiedName, identityArgs: string): string {
  return `${nameKey(name)}(${identityArgs})`
}

/** A key for a trigger: its relation and its name (trigger names are unique per relation). */
export function triggerKey(table: QualifiedName, name: string): string {
  return `${nameKey(table)}\u0001${name}`
}

/**
 * Whether `CREATE OR REPLACE` cannot turn `from` into `to`, so that the routine must be dropped and
 * created: PostgreSQL refuses to replace a routine whose kind, result type or parameter names, modes
 * or defaults change, and an aggregate is recreated whenever it changes.
 */
export function routineNeedsRecreate(from: Routine, to: Routine): boolean {
  if (from.definition === to.definition) return false
  return (
    from.kind !== to.kind || from.kind === 'aggregate' || from.returns !== to.returns || from.arguments !== to.arguments
  )
}

/** Domains by name: any difference (type, default, NOT NULL, checks, comment) is one `alterDomain`. */
export function diffDomains(from: Schema, to: Schema): readonly Change[] {
  const matched = matchByName(from.domains ?? [], to.domains ?? [], (d) => nameKey(d.name))
  return [
    ...matched.dropped.map((domain): Change => ({ kind: 'dropDomain', domain })),
    ...matched.added.map((domain): Change => ({ kind: 'createDomain', domain })),
    ...matched.both.flatMap(([before, after]): Change[] =>
      deepEqual(before, after) ? [] : [{ kind: 'alterDomain', from: before, to: after }],
    ),
  ]
}

/**
 * Routines by name and identity arguments. `dependsOn` is derived from the definition and is not compared, and
 * privileges are diffed with the other privileges (diff-security.ts). A routine that depends on a type in
 * `recreatedTypes` (an enum that is recreated) is dropped and created again: the old type, renamed away, cannot be
 * dropped while a routine still uses it; so is one whose SQL-standard body calls such a routine (routinesBoundTo).
 */
export function diffRoutines(
  from: Schema,
  to: Schema,
  recreatedTypes: ReadonlySet<string> = new Set(),
): readonly Change[] {
  const key = (r: Routine) => routineKey(r.name, r.identityArgs)
  const matched = matchByName(from.routines ?? [], to.routines ?? [], key)
  const rebuilt = routinesBoundTo(from.routines ?? [], recreatedTypes)
  const usesRecreatedType = (routine: Routine) => rebuilt.has(key(routine))
  return [
    ...matched.dropped.map((routine): Change => ({ kind: 'dropRoutine', routine })),
    ...matched.added.map((routine): Change => ({ kind: 'createRoutine', routine })),
    ...matched.both.flatMap(([before, after]): Change[] => {
      if (usesRecreatedType(before)) {
        return [
          { kind: 'dropRoutine', routine: before },
          { kind: 'createRoutine', routine: after },
        ]
      }
      return deepEqual(omitKeys(before, 'dependsOn', 'privileges'), omitKeys(after, 'dependsOn', 'privileges'))
        ? []
        : [{ kind: 'alterRoutine', from: before, to: after }]
    }),
  ]
}

/**
 * The keys of the routines that must be dropped and created again while the types in `recreatedTypes` are: those
 * bound to one (in their signature, or in a SQL-standard body, which PostgreSQL parses and records), and the routines
 * whose SQL-standard body calls one of those, and so on (DROP FUNCTION refuses while such a body calls it).
 */
export function routinesBoundTo(
  routines: readonly Routine[],
  recreatedTypes: ReadonlySet<string>,
): ReadonlySet<string> {
  const keys = new Set<string>()
  if (recreatedTypes.size === 0) return keys
  for (let grew = true; grew; ) {
    grew = false
    for (const routine of routines) {
      const key = routineKey(routine.name, routine.identityArgs)
      if (keys.has(key)) continue
      const bound = routine.dependsOn.some((ref) =>
        ref.kind === 'type'
          ? recreatedTypes.has(nameKey(ref.name))
          : ref.kind === 'routine' && keys.has(routineKey(ref.name, ref.identityArgs)),
      )
      if (!bound) continue
      keys.add(key)
      grew = true
    }
  }
  return keys
}

/** What else changes in the diff, which may force a trigger that did not change to be dropped and created. */
export interface TriggerContext {
  /** `renameTable` changes (tables and views): `from`'s triggers name their relation by its old name. */
  readonly renames: readonly Change[]
  /** Every other change of the diff: dropped relations, retyped columns, recreated routines. */
  readonly changes: readonly Change[]
  /**
   * Columns an enum recreated in place converts, its own and its domains' (diffEnums): PostgreSQL refuses to retype a
   * column a trigger names (0A000), so the trigger is dropped and created around the conversion.
   */
  readonly converted?: Taint
}

/**
 * Triggers by relation and name, matched across table renames. A trigger whose definition (or MySQL sql_mode) changes is
 * dropped (under the name its relation has in `from`: triggers are dropped before renames run) and
 * created; so is an unchanged trigger that PostgreSQL would lose or refuse to keep: its relation is
 * dropped (a view being recreated), its function is dropped and created, or a column it names changes
 * type. An enabled-state or comment difference alone is an `alterTrigger`.
 */
export function diffTriggers(from: Schema, to: Schema, context: TriggerContext): readonly Change[] {
  const renamed = new Map<string, QualifiedName>()
  for (const change of context.renames) if (change.kind === 'renameTable') renamed.set(nameKey(change.from), change.to)
  const newTable = (trigger: Trigger) => renamed.get(nameKey(trigger.table)) ?? trigger.table
  const fromByKey = new Map((from.triggers ?? []).map((t) => [triggerKey(newTable(t), t.name), t] as const))
  const toByKey = new Map((to.triggers ?? []).map((t) => [triggerKey(t.table, t.name), t] as const))
  const forced = forcedRecreate(context.changes, context.converted ?? new Map())
  const changes: Change[] = []
  for (const [key, before] of [...fromByKey].sort(byKey)) {
    const after = toByKey.get(key)
    if (after === undefined) {
      changes.push({ kind: 'dropTrigger', trigger: before })
    } else if (
      before.definition !== after.definition ||
      !deepEqual(before.ext, after.ext) ||
      forced(before, newTable(before))
    ) {
      changes.push({ kind: 'dropTrigger', trigger: before }, { kind: 'createTrigger', trigger: after })
    } else if (before.enabled !== after.enabled || before.comment !== after.comment) {
      changes.push({ kind: 'alterTrigger', from: { ...before, table: after.table }, to: after })
    }
  }
  for (const [key, after] of [...toByKey].sort(byKey)) {
    if (!fromByKey.has(key)) changes.push({ kind: 'createTrigger', trigger: after })
  }
  return changes
}

function byKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
}

/** Whether an unchanged trigger must still be dropped and created, given the other changes of the diff. */
function forcedRecreate(
  changes: readonly Change[],
  converted: Taint,
): (trigger: Trigger, table: QualifiedName) => boolean {
  const droppedRelations = new Set<string>()
  const recreatedFunctions = new Set<string>()
  const retyped = new Set<string>()
  for (const [table, columns] of converted) {
    if (columns !== 'all') for (const column of columns) retyped.add(`${table}\u0001${column}`)
  }
  for (const change of changes) {
    if (change.kind === 'dropTable') droppedRelations.add(nameKey(change.table.name))
    if (change.kind === 'dropView') droppedRelations.add(nameKey(change.view.name))
    if (change.kind === 'alterRoutine' && routineNeedsRecreate(change.from, change.to))
      recreatedFunctions.add(routineKey(change.from.name, change.from.identityArgs))
    if (change.kind === 'dropRoutine')
      recreatedFunctions.add(routineKey(change.routine.name, change.routine.identityArgs))
    if (change.kind === 'alterColumn' && change.aspects.includes('type'))
      retyped.add(`${nameKey(change.table)}\u0001${change.from.name}`)
  }
  return (trigger, table) =>
    droppedRelations.has(nameKey(trigger.table)) ||
    droppedRelations.has(nameKey(table)) ||
    recreatedFunctions.has(routineKey(trigger.function, '')) ||
    trigger.columns.some((column) => retyped.has(`${nameKey(table)}\u0001${column}`))
}

/**
 * Domains, routines and triggers: the part of `diff` for them. `renames` are the relation renames the
 * diff applies, and `others` its table and view changes, which may force triggers to be recreated;
 * `recreatedTypes` the enums that are recreated, which force the routines using them to be recreated, and
 * `converted` the columns they convert, which force the triggers naming them to be.
 */
export function diffRoutineObjects(
  from: Schema,
  to: Schema,
  renames: readonly Change[],
  others: readonly Change[],
  recreatedTypes: ReadonlySet<string> = new Set(),
  converted: Taint = new Map(),
): readonly Change[] {
  const objects = [...diffDomains(from, to), ...diffRoutines(from, to, recreatedTypes)]
  return [...objects, ...diffTriggers(from, to, { renames, changes: [...others, ...objects], converted })]
}
