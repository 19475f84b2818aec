import type { Step } from '../plan/step.js'
import { type LintOptions, lintSource } from './lint.js'
import { type LintedFile, parseFor } from './lint-migration.js'
import type { MigrationInfo } from './rule.js'

/**
 * Lints generated SQL with the same rules as hand-written SQL, each statement carrying the plan step it came
 * from, so that rules use the planner's facts (a type change that the planner knows is catalog-only, its lock
 * on every table it names) instead of guessing from the text.
 */
export async function lintSteps(
  file: string,
  text: string,
  steps: readonly Step[],
  migration: MigrationInfo | undefined,
  options: LintOptions = {},
): Promise<LintedFile> {
  const statements = await parseFor(text, file, options)
  // A step's SQL may hold several statements: each takes the step it came from, in order.
  const owners: (Step | undefined)[] = []
  for (const step of steps) {
    const count = (await parseFor(step.sql, file, options)).length
    for (let i = 0; i < count; i++) owners.push(step)
  }
  const aligned = owners.length === statements.length ? owners : statements.map(() => undefined)
  const findings = lintSource(
    { file, text, statements, steps: aligned, ...(migration === undefined ? {} : { migration }) },
    options,
  )
  return { file, text, findings }
}
