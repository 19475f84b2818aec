import type { DialectName } from '../dialect/registry.js'
import type { LintOptions } from '../lint/lint.js'
import { type LintedFile, lintInRunOrder } from '../lint/lint-migration.js'
import { lintSteps } from '../lint/lint-plan.js'
import type { Finding } from '../lint/rule.js'
import type { Step } from '../plan/step.js'
import type { AcceptedSteps, RenderedMigration } from './render-migration.js'

/** A generated step that lint judges an error: it blocks writers (or worse), with the findings that say so. */
export interface BlockingStep {
  readonly step: Step
  readonly findings: readonly Finding[]
}

/** Generated migrations linted as `keel generate` lints them, and the steps with error findings. */
export interface LintedGeneration {
  /** One per migration, in order. */
  readonly files: readonly LintedFile[]
  readonly blocking: readonly BlockingStep[]
}

/**
 * Lints generated migrations with the steps' facts, as `keel lint` and `keel migrate` will judge them (no database:
 * every table that exists before is assumed large and busy), and finds the steps that carry error findings. Under
 * the default policy each of those is a step with no online form (Step.noOnlineForm), or a planner gap; either
 * way `keel generate` does not write it unless told to (--allow-unsafe).
 */
export async function lintGenerated(
  migrations: readonly { readonly id: string; readonly file: string; readonly migration: RenderedMigration }[],
  options: { readonly dialect: DialectName; readonly severities?: LintOptions['severities'] },
): Promise<LintedGeneration> {
  const lintOptions = {
    dialect: options.dialect,
    ...(options.severities === undefined ? {} : { severities: options.severities }),
  }
  // Each migration knows what the ones before it create and validate, as keel migrate will lint them (a table an
  // earlier migration of the plan creates is new in the later ones, split around a concurrent build).
  const linted = await lintInRunOrder(migrations, lintOptions, async ({ id, file, migration }, earlier) => {
    const info = {
      id,
      noTransaction: migration.noTransaction,
      hasDown: 'down.sql' in migration.files,
      upFile: file,
      ...(migration.phase === undefined ? {} : { phase: migration.phase }),
    }
    const result = await lintSteps(file, migration.files['up.sql'] ?? '', migration.steps, info, earlier)
    return { result: { migration, result }, statements: result.statements }
  })
  const files: LintedFile[] = linted.map(({ result }) => result)
  const blocking = new Map<Step, Finding[]>()
  for (const { migration, result } of linted) {
    for (const finding of result.findings) {
      if (finding.severity !== 'error') continue
      const step = stepAt(migration, finding.statementLine ?? finding.line)
      // A finding about the migration as a whole has no step: it stays a finding (printed, never accepted).
      if (step === undefined) continue
      blocking.set(step, [...(blocking.get(step) ?? []), finding])
    }
  }
  return { files, blocking: [...blocking].map(([step, findings]) => ({ step, findings })) }
}

/** The step of `migration` whose SQL holds `line` of its up.sql. */
function stepAt(migration: RenderedMigration, line: number): Step | undefined {
  const index = migration.stepLines.findIndex((lines) => line >= lines.first && line <= lines.last)
  return index < 0 ? undefined : migration.steps[index]
}

/**
 * The blocking steps as `--allow-unsafe` accepts them: each marked with the rules it breaks and why (its
 * Step.noOnlineForm, else that Keel has no online plan for it yet), which `-- keel:lint-ignore` requires.
 */
export function acceptedSteps(blocking: readonly BlockingStep[]): AcceptedSteps {
  return new Map(
    blocking.map(({ step, findings }) => [
      step,
      {
        rules: [...new Set(findings.map((f) => f.rule))],
        reason: `accepted with --allow-unsafe: ${whyBlocking(step)}`,
      },
    ]),
  )
}

/** Why a blocking step is in the plan: its Step.noOnlineForm, else a gap of the planner. */
export function whyBlocking(step: Step): string {
  return step.noOnlineForm ?? 'Keel has no online-safe plan for this change yet'
}
