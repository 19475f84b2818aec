import type { Step } from '../plan/step.js'
import { type LintOptions, lintSource } from './lint.js'
import { type LintedFile, parseFor } from './lint-migration.js'
import type { MigrationInfo } from './rule.js'
import type { ParsedStatement } from './sql/parse.js'

/** A generated file linted, with its statements (what it creates and validates counts in the files after it). */
export interface LintedSteps extends LintedFile {
  readonly statements: readonly ParsedStatement[]
}

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
): Promise<LintedSteps> {
  const statements = await parseFor(text, file, options)
  // A step's SQL may hold several statements: each takes the step it came from, in order.
  const owners: (Step | undefined)[] = []
  for (const step of steps) {
    const count = (await parseFor(step.sql, file, options)).length
    for (let i = 0; i < count; i++) owners.push(step)
  }
  const aligned = owners.length === statements.length ? owners : alignedAround(statements, owners, 'TransactionStmt')
  const findings = await lintSource(
    { file, text, statements, steps: aligned, ...(migration === undefined ? {} : { migration }) },
    options,
  )
  return { file, text, findings, statements }
}

/**
 * The owners of the statements of a text that wraps some steps in BEGIN and COMMIT (`keel diff`, plan-sql.ts): those
 * statements own no step, the others take the steps in order; when the counts still differ, no statement owns one.
 */
function alignedAround(
  statements: readonly { readonly kind: string }[],
  owners: readonly (Step | undefined)[],
  added: string,
): readonly (Step | undefined)[] {
  if (statements.filter((s) => s.kind !== added).length !== owners.length) return statements.map(() => undefined)
  let next = 0
  return statements.map((s) => (s.kind === added ? undefined : owners[next++]))
}
