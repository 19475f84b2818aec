import type { Change } from '../../diff/change.js'
import { invertChange } from '../../plan/invert.js'
import type { Ordered } from '../../plan/order.js'
import type { Lock, Reverse, Step } from '../../plan/step.js'
import type { QualifiedName } from '../../schema/model.js'
import { nameKey } from '../../schema/name.js'
import type { FunctionsByName } from './default-volatility.js'
import type { LockScope } from './locks.js'

/** What the planner knows about the plan as a whole while it renders one unit. */
export interface PlanContext extends LockScope {
  /** Online-safe rewrites on. */
  readonly safe: boolean
  /** Tables, views and sequences created in this plan (by `nameKey`): new, empty, and used by nobody yet. */
  readonly created: ReadonlySet<string>
  /** Tables, views and sequences dropped in this plan. */
  readonly dropped: ReadonlySet<string>
  /** Columns added or dropped in this plan (by `columnKey`). */
  readonly addedColumns: ReadonlySet<string>
  readonly droppedColumns: ReadonlySet<string>
  /** Partitioned tables the plan touches (by `nameKey`): their indexes and foreign keys have no online form. */
  readonly partitioned?: ReadonlySet<string>
  /**
   * Enums the plan recreates (by `nameKey`) because they lose or reorder values, and those it adds values to (the
   * reverse recreates them): routines the plan drops that take one are dropped before it changes.
   */
  readonly recreatedTypes?: ReadonlySet<string>
  /**
   * Tables whose columns an enum recreated in place converts (its own columns and those of a domain over it), by
   * `nameKey`: the conversion holds ACCESS EXCLUSIVE on each until the recreation commits, so an index dropped around
   * it is dropped in its transaction, not concurrently apart (a failure then left it dropped, and a rerun failed).
   */
  readonly convertedTables?: ReadonlySet<string>
  /**
   * Columns that become identity columns in this plan, by the `nameKey` of the sequence name PostgreSQL gives an
   * identity's sequence (`<table>_<column>_seq`): while a sequence of that name still exists (a serial's, dropped
   * later in the plan), the identity gets `<name>1`, and the drop gives it the name back (steps-objects.ts).
   */
  readonly identities?: ReadonlyMap<string, { readonly table: QualifiedName; readonly column: string }>
  /**
   * The user's functions in the schema the plan leads to: a column default calling a VOLATILE one is computed for
   * every row when the column is added. Absent, or a function missing, means unknown: taken for volatile.
   */
  readonly routines?: FunctionsByName
}

/** A key for a column of a table, for the sets above. */
export function columnKey(table: QualifiedName, column: string): string {
  return `${nameKey(table)}\u0001${column}`
}

/**
 * Whether a relation is created or dropped in this plan. Online-safe rewrites (CONCURRENTLY, NOT
 * VALID) buy nothing on a table that is empty or about to go, and CONCURRENTLY cannot even see a
 * table created in the same transaction.
 */
export function isFresh(ctx: PlanContext, name: QualifiedName): boolean {
  return ctx.created.has(nameKey(name)) || ctx.dropped.has(nameKey(name))
}

/** One unit of planning: a change (or a part of one) in its category, before it is rendered to steps. */
export interface Unit extends Ordered {
  /** What this unit does: the original change, or the part of it this unit carries out. */
  readonly change: Change
  /** The change the unit came from, which decides the phase. */
  readonly origin: Change
}

/**
 * A step before the planner resolves its reverse and fills defaults. `reverse` is either final, or
 * `{ of: change }`: the SQL that the planner renders for `change` (usually `invertChange(source)`).
 */
export interface Draft {
  readonly sql: string
  readonly reverse: Reverse | { readonly of: Change }
  readonly lock: Lock
  readonly source: Change
  readonly comment: string
  readonly transactional?: boolean
  readonly rewritesTable?: boolean
  readonly scansTable?: boolean
  readonly dataLoss?: Step['dataLoss']
  /** Step.noOnlineForm: why the statement has no online form, when it has none. */
  readonly noOnlineForm?: string
}

/** The reverse of a step that carries out `change` exactly: the SQL of the inverse change. */
export function inverseOf(change: Change): { readonly of: Change } {
  return { of: invertChange(change) }
}

/** The change of kind `K` (works where one member of the union covers several kinds). */
export type ChangeOf<K extends Change['kind']> = Change & { readonly kind: K }
