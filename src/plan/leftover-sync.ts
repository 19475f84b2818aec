import { KeelError } from '../errors.js'
import type { QualifiedName, Routine, Schema, Trigger } from '../schema/model.js'
import { displayName, nameKey } from '../schema/name.js'
import type { Expansion } from './expansion.js'
import type { ColumnSync, PhaseSql } from './phase-sql.js'

/** Where a synced table's function and triggers go: the function in its schema, a trigger on it and on each child. */
export interface SyncTarget {
  readonly table: QualifiedName
  readonly syncs: readonly ColumnSync[]
  /** The tables that get the trigger: the table, then its INHERITS children. */
  readonly on: readonly QualifiedName[]
}

/**
 * `current` and the expanded schema without the sync function and triggers that an earlier push of this same
 * expansion left (stopped by Ctrl-C, a kill or a crash after its expand): the expand creates them again (CREATE OR
 * REPLACE) and the contract drops them. Seen as the user's own, the diff dropped the trigger before the expand (leaving
 * the writes between two of its transactions unsynced) and the function after the contract, and the expand's CREATE
 * FUNCTION failed on the one left. The expanded schema keeps a routine of `current` that the desired schema drops
 * until the contract: a leftover function would be created again there.
 *
 * A function is Keel's only when it proves it (PhaseSql.leftoverSyncs: the mark the expand writes, or an older Keel's
 * body exactly): one that merely has the name is the user's, and the expand would replace it and the contract drop it,
 * so the plan is refused (SYNC_NAME_TAKEN), as it is when the desired schema declares a routine or trigger of that name.
 * A leftover written for other values than this expansion's (a backfill hint changed since the stopped push) is
 * refused too (BACKFILL_CHANGED): the rows it filled, and those written since, hold the old hint's values, which a
 * backfill of the rows still unset would keep.
 *
 * Only the tables this expansion syncs: another table's leftovers stay the diff's to drop.
 */
export function withoutLeftoverSync(
  current: Schema,
  to: Schema,
  expansion: Expansion,
  targets: readonly SyncTarget[],
  sql: PhaseSql,
): { readonly from: Schema; readonly expanded: Schema } {
  const leftovers = new Set<Routine>()
  const leftoverTriggers = new Set<Trigger>()
  for (const target of targets) {
    const name = sql.syncName(target.table)
    const fn = nameKey({ ...target.table, name })
    const sameFunction = (r: Routine) => nameKey(r.name) === fn && r.identityArgs === ''
    const onTarget = (t: Trigger) => t.name === name && target.on.some((o) => nameKey(o) === nameKey(t.table))
    const declared = [...(to.routines ?? []).filter(sameFunction), ...(to.triggers ?? []).filter(onTarget)]
    if (declared.length > 0) throw taken(target, name, 'the schema declares it')
    const routine = (current.routines ?? []).find(sameFunction)
    if (routine !== undefined) {
      const written = sql.leftoverSyncs(routine, target.syncs)
      if (written === undefined)
        throw taken(target, name, 'the database has a function of that name that Keel did not write')
      refuseChanged(current, target, written)
      leftovers.add(routine)
    }
    for (const trigger of (current.triggers ?? []).filter(onTarget)) {
      if (routine === undefined || nameKey(trigger.function) !== fn)
        throw taken(
          target,
          name,
          `the database has a trigger of that name on ${displayName(trigger.table)} that Keel did not write`,
        )
      leftoverTriggers.add(trigger)
    }
  }
  if (leftovers.size === 0) return { from: current, expanded: expansion.schema }
  const without = (schema: Schema): Schema => ({
    ...schema,
    ...(schema.routines === undefined ? {} : { routines: schema.routines.filter((r) => !isLeftover(r)) }),
    ...(schema.triggers === undefined ? {} : { triggers: schema.triggers.filter((t) => !leftoverTriggers.has(t)) }),
  })
  // The expanded schema holds the same routine objects it took from `current` (expandSchema keeps them as they are).
  const isLeftover = (r: Routine) => leftovers.has(r)
  return { from: without(current), expanded: without(expansion.schema) }
}

function taken(target: SyncTarget, name: string, why: string): KeelError {
  return new KeelError(
    'SYNC_NAME_TAKEN',
    `the expand phase of ${displayName(target.table)} needs the name ${name} for its sync function and trigger, but ${why}`,
  )
}

/**
 * Refuses a leftover written for other values than `target`'s for a column the table already has: its rows hold what
 * the old sync wrote (the backfill so far, and every write since), and the backfill fills only the rows still unset.
 */
function refuseChanged(current: Schema, target: SyncTarget, written: readonly ColumnSync[]): void {
  const table = current.tables.find((t) => nameKey(t.name) === nameKey(target.table))
  for (const sync of target.syncs) {
    const before = written.find((w) => w.column === sync.column)
    if (before === undefined || sameSync(before, sync)) continue
    if (!table?.columns.some((c) => c.name === sync.column)) continue
    const column = `${displayName(target.table)}.${sync.column}`
    throw new KeelError(
      'BACKFILL_CHANGED',
      `${column} was being filled with ${describe(before)} by a push that stopped before its contract, and is now to be filled with ${describe(sync)}: the rows filled so far hold the old values, and the backfill fills only the rows still unset`,
      `Put the old backfill hint back and run \`keel push\` to finish (then change the values with an UPDATE), or drop column ${column} (it holds only what the stopped push filled, and what was written since) and push again to fill every row with the new hint.`,
    )
  }
}

function sameSync(a: ColumnSync, b: ColumnSync): boolean {
  return a.kind === 'derive' ? b.kind === 'derive' && a.expr === b.expr : b.kind === 'mirror' && a.from === b.from
}

function describe(sync: ColumnSync): string {
  return sync.kind === 'derive' ? `(${sync.expr})` : `a copy of ${sync.from}`
}

/**
 * The columns of each table of `current` that a stopped push's expand added and its sync function, marked as Keel's
 * (PhaseSql.syncMark), still fills (ExpansionHooks.stillFilling). An older Keel's unmarked function says nothing here.
 */
export function stillFilling(current: Schema, sql: PhaseSql): (table: QualifiedName) => ReadonlySet<string> {
  const routines = new Map(
    (current.routines ?? []).filter((r) => r.identityArgs === '').map((r) => [nameKey(r.name), r] as const),
  )
  if (routines.size === 0) return () => new Set()
  return (table) => {
    const routine = routines.get(nameKey({ ...table, name: sql.syncName(table) }))
    const syncs = routine === undefined ? undefined : sql.leftoverSyncs(routine)
    return new Set((syncs ?? []).map((s) => s.column))
  }
}
