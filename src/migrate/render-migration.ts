import { runtimeOf } from '../dialect/runtimes.js'
import type { Change } from '../diff/change.js'
import { describeStep } from '../plan/describe-step.js'
import type { Phase, Plan, Step } from '../plan/step.js'
import { keepRunsWhole } from './whole-runs.js'

/** The text of one generated migration. */
export interface RenderedMigration {
  /** Set when the plan was split into one migration per expand/contract phase. */
  readonly phase: Phase | undefined
  /** Whether it starts with `-- keel:no-transaction` (a backfill, or steps that cannot run in a transaction). */
  readonly noTransaction: boolean
  readonly steps: readonly Step[]
  readonly files: Readonly<Record<string, string>>
  /** Why there is no down.sql (the reasons of the irreversible steps); empty when there is one. */
  readonly irreversible: readonly string[]
  /** The 1-based lines of up.sql on which each step's SQL starts and ends (by index of `steps`). */
  readonly stepLines: readonly { readonly first: number; readonly last: number }[]
}

/**
 * Steps accepted as they are although they block writers (`keel generate --allow-unsafe`): each gets
 * `-- keel:lint-ignore RULES reason` at the end of its SQL, so that `keel migrate` runs it knowingly.
 */
export type AcceptedSteps = ReadonlyMap<Step, { readonly rules: readonly string[]; readonly reason: string }>

const PHASE_ORDER: readonly Phase[] = ['expand', 'backfill', 'contract']

/**
 * Renders a plan as migration files: up.sql from the steps, each preceded by a comment with what it
 * does and what it costs (lock, rewrite, data loss), and down.sql from the steps' reverses in reverse
 * order. A plan whose steps are not all reversible gets no down.sql, so that rollback says NO_DOWN
 * instead of half-undoing it. When the steps fall into phases in phase order, each phase becomes its
 * own migration, so that an application release can go between them (`keel migrate --to`); `phased`
 * (a plan from plan/phases.ts) labels even a single phase. A backfill runs under `-- keel:no-transaction`:
 * the runner commits it batch by batch. Steps the dialect refuses in a transaction block (its runner's
 * `runsApart`: PostgreSQL's CREATE INDEX CONCURRENTLY) get migrations of their own, under `-- keel:no-transaction`,
 * apart from the steps around them, in a phase too (a contract's concurrent builds beside its swap): in one migration
 * the runner would run them alone and commit what came before, so a failure after them would leave that migration
 * half applied, which `keel rollback` then refuses; split, every transactional migration stays atomic (and lints clean).
 * The plan's dialect has its runtime half loaded (runtimeOf): a Plan is made by its Dialect, which loads with it.
 */
export function renderMigrations(
  plan: Plan,
  options: { readonly unsafe: boolean; readonly phased?: boolean; readonly accepted?: AcceptedSteps },
): readonly RenderedMigration[] {
  const accepted = options.accepted ?? new Map()
  const { runner } = runtimeOf(plan.dialect)
  const apart = runner.runsApart ?? (() => false)
  const alone = runner.commitsAlone ?? ((step: Step) => !step.transactional)
  const phases = [...new Set(plan.steps.map((s) => s.phase))]
  const ordered = plan.steps.every((s, i) => i === 0 || rank(s.phase) >= rank((plan.steps[i - 1] as Step).phase))
  if ((phases.length > 1 || options.phased === true) && ordered) {
    return phases.flatMap((phase) => {
      const steps = plan.steps.filter((s) => s.phase === phase)
      // A backfill is a no-transaction migration already, committed batch by batch.
      const runs = phase === 'backfill' ? [{ apart: true, steps }] : splitByTransaction(steps, apart, alone)
      return runs.map((run) => render(run, phase, options.unsafe, accepted))
    })
  }
  return splitByTransaction(plan.steps, apart, alone).map((run) => render(run, undefined, options.unsafe, accepted))
}

/** Steps that go in one migration; `apart`: under `-- keel:no-transaction`, whatever each step says of itself. */
interface Run {
  readonly apart: boolean
  readonly steps: readonly Step[]
}

/**
 * Consecutive runs of steps that can share a transaction, and runs of steps that cannot (order kept). A step that the
 * runner commits on its own in any migration (`alone`: a VALIDATE CONSTRAINT, an ADD VALUE; SQLite's PRAGMAs) stays in
 * the run it follows, or joins the run after it: a contract that builds its keys' indexes concurrently between
 * validations, then swaps, is two migrations, not one per statement.
 */
function splitByTransaction(
  planned: readonly Step[],
  apart: (step: Step) => boolean,
  alone: (step: Step) => boolean,
): readonly Run[] {
  // A run that must not stop half-way gets no step that would split it (whole-runs.ts).
  const steps = keepRunsWhole(planned, (step) => apart(step) || alone(step))
  const kinds = steps.map((step) => (apart(step) ? 'apart' : alone(step) ? 'either' : 'together'))
  const runs: { kind: 'apart' | 'together'; steps: Step[] }[] = []
  for (const [i, step] of steps.entries()) {
    const last = runs[runs.length - 1]
    const own = kinds[i] as (typeof kinds)[number]
    const kind = own !== 'either' ? own : (last?.kind ?? nextKind(kinds, i))
    if (last !== undefined && last.kind === kind) last.steps.push(step)
    else runs.push({ kind, steps: [step] })
  }
  return runs.map((run) => ({ apart: run.kind === 'apart', steps: run.steps }))
}

/** The kind of the first step after `i` that is not 'either' ('together' if none is). */
function nextKind(kinds: readonly ('apart' | 'together' | 'either')[], i: number): 'apart' | 'together' {
  const next = kinds.slice(i + 1).find((k) => k !== 'either')
  return next === 'apart' ? 'apart' : 'together'
}

/**
 * The suffix of a generated migration's name when the plan became several (`all`): its phase, and `concurrently`
 * (or `no_transaction`) for a migration split off because its steps cannot run in a transaction. Where none of
 * them runs in one (MySQL's DDL commits implicitly), no_transaction would be on every name and tell nothing.
 */
export function migrationSuffix(migration: RenderedMigration, all: readonly RenderedMigration[]): string {
  if (all.length < 2) return ''
  const phase = migration.phase === undefined ? '' : `_${migration.phase}`
  const splitOff = all.some((other) => !other.noTransaction)
  if (!migration.noTransaction || !splitOff || migration.phase === 'backfill') return phase
  // Split off for its concurrent builds (and the validations beside them), or for other steps outside a transaction.
  const concurrent = migration.steps.some((s) => /\bconcurrently\b/i.test(s.sql))
  return `${phase}_${concurrent ? 'concurrently' : 'no_transaction'}`
}

function render(run: Run, phase: Phase | undefined, unsafe: boolean, accepted: AcceptedSteps): RenderedMigration {
  const { steps } = run
  const noTransaction = run.apart || (steps.length > 0 && steps.every((s) => !s.transactional))
  const header = [
    '-- Generated by `keel generate`. Review it, edit it if needed, then run `keel sum --rehash`.',
    ...(unsafe ? ['-- UNSAFE: generated with --unsafe, without online-safe rewrites. Check the locks below.'] : []),
    ...(phase === undefined ? [] : [`-- keel:phase ${phase}`]),
    ...(noTransaction ? ['-- keel:no-transaction'] : []),
  ]
  const blocks = steps.map((step) => {
    const ignore = accepted.get(step)
    const sql = terminate(step.sql)
    return ignore === undefined ? sql : `${sql} -- keel:lint-ignore ${ignore.rules.join(',')} ${ignore.reason}`
  })
  const texts = steps.map((step, i) => `\n-- ${describeStep(step)}\n${blocks[i]}`)
  const stepLines: { first: number; last: number }[] = []
  let line = header.length
  for (const [i, text] of texts.entries()) {
    // Before the SQL: a blank line and the step's comment (which may span lines).
    const sqlLines = (blocks[i] ?? '').split('\n').length
    const last = line + text.split('\n').length
    stepLines.push({ first: last - sqlLines + 1, last })
    line = last
  }
  const up = [...header, ...texts].join('\n')
  // Once per reason: a swap is several statements with one reason.
  const irreversible = [
    ...new Set(steps.flatMap((s) => ('irreversible' in s.reverse ? [`${s.comment}: ${s.reverse.irreversible}`] : []))),
  ]
  const files: Record<string, string> = { 'up.sql': `${up}\n` }
  if (irreversible.length === 0) {
    const undo = [...steps]
      .reverse()
      .flatMap((s) =>
        'sql' in s.reverse && s.reverse.sql.trim() !== ''
          ? [`\n-- undo: ${s.comment}${lostForGood(s)}\n${terminate(s.reverse.sql)}`]
          : [],
      )
    files['down.sql'] = `${['-- Generated by `keel generate`: undoes up.sql, last step first.', ...undo].join('\n')}\n`
  }
  return { phase, noTransaction, steps, files, irreversible, stepLines }
}

/**
 * The warning on the undo of a step that loses data: the reverse restores the schema, never the data (a dropped
 * column comes back empty, an enum value comes back unused), so nobody mistakes down.sql for a restore.
 */
function lostForGood(step: Step): string {
  if (step.dataLoss === 'none') return ''
  return step.dataLoss === 'certain'
    ? ' (the schema only: the data it dropped does not come back)'
    : ' (the schema only: values it changed or lost do not come back)'
}

/** A migration name from what the changes do: `create_users`, `add_users_nickname`, ... */
export function suggestName(changes: readonly Change[]): string {
  const first = changes[0]
  if (first === undefined) return 'schema_change'
  const more = changes.length > 1 ? '_and_more' : ''
  const named =
    first.kind === 'createTable' || first.kind === 'dropTable'
      ? `${first.kind === 'createTable' ? 'create' : 'drop'}_${first.table.name.name}`
      : first.kind === 'addColumn' || first.kind === 'dropColumn'
        ? `${first.kind === 'addColumn' ? 'add' : 'drop'}_${first.table.name}_${first.column.name}`
        : first.kind === 'createIndex'
          ? `add_index_${first.index.name}`
          : first.kind.replace(/([A-Z])/g, '_$1').toLowerCase()
  return `${named}${more}`
}

function rank(phase: Phase): number {
  return PHASE_ORDER.indexOf(phase)
}

function terminate(sql: string): string {
  const trimmed = sql.trim()
  return trimmed.endsWith(';') ? trimmed : `${trimmed};`
}
