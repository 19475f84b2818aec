/**
 * An enum recreated in place (a stored generated column reads one of its columns, so the phased plan cannot swap it)
 * converts its tables in one transaction, and the planner writes what it makes on those tables in that transaction,
 * in the blocking form (PlanContext.convertedTables): a partial index that reads the enum, dropped and made again around
 * the conversion, a check added there. Those steps said nothing of it, so generate's lint took them for a planner gap
 * (require-concurrent-index, require-not-valid-check on seeds 1-4 of generated-plans.test.ts, 300 pairs): each now
 * says why it has no online form, as the conversion does.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { phaseDialectOf } from '../../src/dialect/phase-dialect.js'
import { getDialect } from '../../src/dialect/registry.js'
import { loadRuntimes } from '../../src/dialect/runtimes.js'
import { lintGenerated } from '../../src/migrate/blocking-steps.js'
import { renderMigrations } from '../../src/migrate/render-migration.js'
import { planPhases } from '../../src/plan/phases.js'
import type { Plan } from '../../src/plan/step.js'
import { check, col, index, nameOf, pk, schemaOf, tableOf } from '../../src/schema/build.js'
import type { Schema, Table } from '../../src/schema/model.js'

beforeAll(async () => {
  await loadRuntimes()
  await getDialect('postgres').phaseSql?.prepare()
})

/** The plan keel generate writes from `from` to `to`: in phases. */
function generated(from: Schema, to: Schema): Plan | undefined {
  const dialect = phaseDialectOf(getDialect('postgres'))
  if (dialect === undefined) throw new Error('PostgreSQL plans in phases')
  return planPhases(from, to, [], dialect)
}
const mood = (values: readonly string[]) => ({ name: nameOf('public.mood'), values })
const notes = (extras: Partial<Table>) =>
  tableOf(
    'public.notes',
    [
      col('id', 'int8', { nullable: false }),
      col('c', { kind: 'enum', enum: nameOf('public.mood') }),
      col('d', 'int4'),
      col('h', 'bool', { generated: { expr: "c = 'p'::mood", stored: true } }),
    ],
    { primaryKey: pk('notes_pkey', ['id']), ...extras },
  )

/** The steps generate's lint finds blocking in `plan` (every table large and busy), with their noOnlineForm. */
async function blocking(plan: Plan | undefined) {
  if (plan === undefined) throw new Error('expected a phased plan')
  const rendered = renderMigrations(plan, { unsafe: false, phased: true })
  const linted = await lintGenerated(
    rendered.map((migration, i) => ({ id: `2026010100000${i}_generated`, file: `${i}/up.sql`, migration })),
    { dialect: 'postgres' },
  )
  return linted.blocking.map(({ step, findings }) => ({
    sql: step.sql,
    rules: findings.map((f) => f.rule),
    noOnlineForm: step.noOnlineForm,
  }))
}

const inRecreation = expect.stringMatching(/^public\.notes is converted by an enum recreated in place/)

describe('steps on a table an enum recreated in place converts', () => {
  it('say that a partial index read by the conversion, built again in its transaction, has no online form', async () => {
    const partial = index('notes_partial_idx', ['id'], { where: "c = 'p'::mood" })
    const from = schemaOf({ enums: [mood(['p', 'r', 'q'])], tables: [notes({ indexes: [partial] })] })
    const to = schemaOf({ enums: [mood(['q', 'p', 'r'])], tables: [notes({ indexes: [partial] })] })
    const found = await blocking(generated(from, to))
    expect(found.find((b) => b.sql.startsWith('CREATE INDEX'))).toEqual({
      sql: "CREATE INDEX notes_partial_idx ON public.notes (id) WHERE c = 'p'::mood",
      rules: ['require-concurrent-index'],
      noOnlineForm: inRecreation,
    })
    expect(found.filter((b) => b.noOnlineForm === undefined)).toEqual([])
  })

  it('say that a check added in the recreation’s transaction has no online form', async () => {
    const from = schemaOf({ enums: [mood(['p', 'r', 'q'])], tables: [notes({})] })
    const to = schemaOf({
      enums: [mood(['q', 'p', 'r'])],
      tables: [notes({ checks: [check('notes_d_check', 'd > 0'), check('notes_c_check', "c <> 'r'::mood")] })],
    })
    const found = await blocking(generated(from, to))
    // The check on d alone is added at expand, NOT VALID then validated; the one that reads c, in the recreation.
    expect(found.filter((b) => b.rules.includes('require-not-valid-check'))).toEqual([
      {
        sql: "ALTER TABLE public.notes ADD CONSTRAINT notes_c_check CHECK (c <> 'r'::mood)",
        rules: ['require-not-valid-check'],
        noOnlineForm: inRecreation,
      },
    ])
    expect(found.filter((b) => b.noOnlineForm === undefined)).toEqual([])
  })
})
