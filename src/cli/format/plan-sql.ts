import { keepRunsWhole, recreatesEnum } from '../../migrate/whole-runs.js'
import { describeStep } from '../../plan/describe-step.js'
import type { Plan, Step } from '../../plan/step.js'

/** The comment above the BEGIN of a run planToSql wraps (atomicRuns): the one comment line of the script that describes no step. */
export const ATOMIC_RUN_NOTE = 'All or nothing: the statements up to COMMIT run in one transaction'

/**
 * Renders a plan as a SQL script: each statement preceded by a comment with what it does and what it costs.
 *
 * `atomic` (a dialect with transactional DDL): the run of transactional steps around a step that must not stop
 * half-way is wrapped in BEGIN and COMMIT (see atomicRuns). `keel diff | psql` runs each statement on its own
 * otherwise, and a failure in the middle of an enum recreated in place left the type renamed away and some of its
 * columns converted; a rerun then failed too. Under `psql -1` the inner BEGIN only warns and the COMMIT ends the
 * outer transaction early: the wrapped run is still all or nothing.
 */
export function planToSql(
  plan: Plan,
  options: { readonly annotate?: boolean; readonly atomic?: boolean } = {},
): string {
  const annotate = options.annotate ?? true
  // In the order keel push runs them (apply-plan.ts): no step outside a transaction inside a run that must not stop.
  const steps = keepRunsWhole(plan.steps, (step) => !step.transactional)
  const runs = options.atomic ? atomicRuns(steps) : []
  return steps
    .flatMap((step, i) => {
      const text = (annotate ? `-- ${describeStep(step)}\n` : '') + terminate(step.sql)
      const begins = runs.some((run) => run.start === i)
      const ends = runs.some((run) => run.end === i)
      return [
        ...(begins ? [`${annotate ? `-- ${ATOMIC_RUN_NOTE}\n` : ''}BEGIN;`] : []),
        text,
        ...(ends ? ['COMMIT;'] : []),
      ]
    })
    .join('\n')
}

/**
 * The runs of consecutive transactional steps (first and last index) that hold a step which must not stop half-way:
 * an enum recreated in place (renamed away, created again, its columns converted, the old type dropped), with the
 * drops and creates of what reads its columns around it. The same runs `keel migrate` gives one transaction each.
 */
export function atomicRuns(steps: readonly Step[]): readonly { readonly start: number; readonly end: number }[] {
  const runs: { start: number; end: number }[] = []
  let start = -1
  let held = false
  steps.forEach((step, i) => {
    if (!step.transactional) {
      start = -1
      held = false
      return
    }
    if (start === -1) start = i
    held ||= recreatesEnum(step)
    const last = i === steps.length - 1 || !steps[i + 1]?.transactional
    if (last && held && i > start) runs.push({ start, end: i })
    if (last) {
      start = -1
      held = false
    }
  })
  return runs
}

/** The plan's reverse as SQL, last step first; an irreversible step becomes a comment saying why. */
export function reverseToSql(plan: Plan): string {
  return [...plan.steps]
    .reverse()
    .map((step) =>
      'sql' in step.reverse
        ? `-- undo: ${step.comment}\n${terminate(step.reverse.sql)}`
        : `-- cannot undo: ${step.comment}: ${step.reverse.irreversible}`,
    )
    .join('\n')
}

function terminate(sql: string): string {
  return /;\s*$/.test(sql) ? sql : `${sql};`
}
