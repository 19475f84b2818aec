import type { DialectName } from '../dialect/registry.js'
import type { Change } from '../diff/change.js'
import type { QualifiedName } from '../schema/model.js'

/** Phases of an expand/contract change; each phase becomes its own migration. */
export type Phase = 'expand' | 'backfill' | 'contract'

/** The lock a step takes, in the server's words ('ACCESS EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', ...). */
export interface Lock {
  readonly mode: string
  readonly blocks: 'nothing' | 'writes' | 'readsAndWrites'
  readonly on: readonly QualifiedName[]
  /**
   * Weaker locks the same statement takes on other relations (ATTACH PARTITION: SHARE UPDATE EXCLUSIVE on the
   * parent besides ACCESS EXCLUSIVE on the partition). `mode` and `blocks` above are the strongest lock's.
   */
  readonly also?: readonly { readonly mode: string; readonly on: readonly QualifiedName[] }[]
  /**
   * Relations the statement locks that the same plan creates, left out of `on`: no other session can use them yet,
   * so their lock blocks nobody (said in the step's label, so that a plain CREATE INDEX there reads as safe, not odd).
   */
  readonly created?: readonly QualifiedName[]
}

export type Reverse = { readonly sql: string } | { readonly irreversible: string }

/** A Step is one SQL statement with its reverse, the lock it takes, its cost, and the change it came from. */
export interface Step {
  readonly sql: string
  /** The SQL that undoes this step, or why none exists (computed by the planner, never declared by hand). */
  readonly reverse: Reverse
  /** False for statements PostgreSQL refuses inside a transaction block (CREATE INDEX CONCURRENTLY, ...). */
  readonly transactional: boolean
  readonly lock: Lock
  readonly rewritesTable: boolean
  readonly scansTable: boolean
  readonly dataLoss: 'none' | 'possible' | 'certain'
  /**
   * MySQL and MariaDB: the ALTER TABLE algorithm the statement demands (written into its SQL, so that the server
   * refuses rather than falls back to a slower one). `COPY` copies every row through the server while writes wait.
   */
  readonly algorithm?: 'INSTANT' | 'INPLACE' | 'COPY'
  readonly phase: Phase
  /**
   * Set when the statement blocks writers and PostgreSQL (or the dialect) has no online form of it: why. The planner
   * still emits it (the schema asks for it), and `keel generate` refuses to write it under the default policy unless
   * the user accepts it (`--allow-unsafe`, which marks it with `-- keel:lint-ignore`).
   */
  readonly noOnlineForm?: string
  /** Provenance: the change this step implements. */
  readonly source: Change
  /** A one-line human description: "Add index users_email_idx concurrently". */
  readonly comment: string
}

/** A Plan is the ordered list of steps that turns one schema into another on one dialect. */
export interface Plan {
  readonly dialect: DialectName
  readonly steps: readonly Step[]
}

/** Whether every step of the plan can be undone. */
export const isReversible = (plan: Plan): boolean => plan.steps.every((step) => 'sql' in step.reverse)

/** Whether every step can run inside one transaction. */
export const isTransactional = (plan: Plan): boolean => plan.steps.every((step) => step.transactional)

/**
 * The reverse of a plan, as SQL texts in execution order (last step undone first), or the reasons it
 * cannot be reversed. One text may hold several statements, some of which cannot run in a transaction
 * (a dropped unique constraint comes back as CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT
 * USING INDEX): run them one statement at a time, as `keel migrate` runs a generated down.sql.
 */
export function reversePlan(
  plan: Plan,
): { readonly sql: readonly string[] } | { readonly irreversible: readonly string[] } {
  const reasons = plan.steps.flatMap((step) => ('irreversible' in step.reverse ? [step.reverse.irreversible] : []))
  if (reasons.length > 0) return { irreversible: reasons }
  // A VALIDATE step has nothing to undo: its reverse is the empty statement, which is left out.
  const statements = [...plan.steps].reverse().map((step) => ('sql' in step.reverse ? step.reverse.sql : ''))
  return { sql: statements.filter((sql) => sql.trim() !== '') }
}
