/**
 * ban-volatile-default and the planner agree on a generated ADD COLUMN whose default calls a user's function. Lint
 * alone cannot see the function (it is not built in: "volatile unless declared STABLE or IMMUTABLE", a warning),
 * but a generated step carries the planner's verdict, which read the function's declared volatility from the schema:
 * an IMMUTABLE function is no rewrite and no finding, a VOLATILE one keeps the warning the plan's "(rewrites the
 * table)" backs.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { getDialect } from '../../src/dialect/registry.js'
import { loadRuntimes } from '../../src/dialect/runtimes.js'
import { diff } from '../../src/diff/diff.js'
import { lintGenerated } from '../../src/migrate/blocking-steps.js'
import { renderMigrations } from '../../src/migrate/render-migration.js'
import { safePolicy } from '../../src/plan/policy.js'
import { col, routineOf, tableOf } from '../../src/schema/build.js'
import { emptySchema, type Schema } from '../../src/schema/model.js'

beforeAll(async () => {
  await loadRuntimes()
})

const dialect = getDialect('postgres')

/** The ban-volatile-default findings of the generated migration adding `items.x int DEFAULT f()`. */
async function findingsFor(volatility: '' | 'IMMUTABLE'): Promise<readonly string[]> {
  const f = routineOf(
    'public.f',
    `CREATE OR REPLACE FUNCTION public.f()\n RETURNS integer\n LANGUAGE sql\n${volatility === '' ? '' : ` ${volatility}\n`}AS $function$ select 7 $function$`,
    { returns: 'integer' },
  )
  const items = tableOf('public.items', [col('id', 'int4', { nullable: false })])
  const from: Schema = { ...emptySchema, tables: [items], routines: [f] }
  const to: Schema = {
    ...from,
    tables: [{ ...items, columns: [...items.columns, col('x', 'int4', { default: 'f()' })] }],
  }
  const plan = dialect.plan(diff(from, to, [], dialect).changes, safePolicy, { from, to })
  const rendered = renderMigrations(plan, { unsafe: false, phased: false })
  const linted = await lintGenerated(
    rendered.map((migration, i) => ({ id: `2026010100000${i}_generated`, file: `${i}/up.sql`, migration })),
    { dialect: 'postgres' },
  )
  return linted.files
    .flatMap((file) => file.findings)
    .filter((finding) => finding.rule === 'ban-volatile-default')
    .map((finding) => `${finding.severity}: ${finding.message}`)
}

describe('ban-volatile-default on a generated ADD COLUMN calling a user function', () => {
  it('finds nothing when the planner read the function as IMMUTABLE (no rewrite)', async () => {
    expect(await findingsFor('IMMUTABLE')).toEqual([])
  })

  it('warns when the function is VOLATILE, as the plan says it rewrites the table', async () => {
    expect(await findingsFor('')).toEqual([
      'warning: adds items.x with a default calling f(), volatile unless it was declared STABLE or IMMUTABLE: the value is computed for every row, rewriting items under ACCESS EXCLUSIVE',
    ])
  })
})
