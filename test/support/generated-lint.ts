import type { DialectName } from '../../src/dialect/runtimes.js'
import { lintGenerated } from '../../src/migrate/blocking-steps.js'
import { renderMigrations } from '../../src/migrate/render-migration.js'
import type { Plan } from '../../src/plan/step.js'

/**
 * The SQL of the steps of `plan` that keel generate's lint finds blocking, written and linted as generate does (every
 * table taken as large and busy): what a test of an online form expects to be none.
 */
export async function blockingWhenGenerated(plan: Plan, dialect: DialectName = 'postgres'): Promise<readonly string[]> {
  const rendered = renderMigrations(plan, { unsafe: false, phased: false })
  const linted = await lintGenerated(
    rendered.map((migration, i) => ({ id: `2026010100000${i}_generated`, file: `${i}/up.sql`, migration })),
    { dialect },
  )
  return linted.blocking.map((b) => b.step.sql)
}
