import { postgresPhaseSql } from '../../src/dialect/postgres/phase-sql.js'
import { planPostgres } from '../../src/dialect/postgres/plan.js'
import { quoteIdent } from '../../src/dialect/postgres/quote.js'
import type { planPhases } from '../../src/plan/phases.js'
import { col, pk, tableOf } from '../../src/schema/build.js'
import type { Table } from '../../src/schema/model.js'

/**
 * What the unit tests of planPhases (src/plan/phases*.test.ts, enum-swap-phases.test.ts) plan with: PostgreSQL's
 * planner and phase SQL. Planning phases reads expressions with the parser, which the commands load first: a test
 * file calls `postgresPhaseSql.prepare()` in its beforeAll.
 */
export const phasesDialect = { plan: planPostgres, phaseSql: postgresPhaseSql, quoteIdent, defaultNamespace: 'public' }

/** public.users: a bigint key `id` and `columns`. */
export const users = (columns: Table['columns'], extras: Partial<Table> = {}) =>
  tableOf('public.users', [col('id', 'int8', { nullable: false }), ...columns], {
    primaryKey: pk('users_pkey', ['id']),
    ...extras,
  })

/** `phase: comment` of each step, the way a reviewer reads the generated migrations. */
export const outline = (plan: ReturnType<typeof planPhases>) =>
  plan?.steps.map((s) => `${s.phase}: ${s.sql.split('\n')[0]}`)
