import { KeelError } from '../../errors.js'
import type { Dialect } from '../dialect.js'
import { mysqlRuntime } from './runtime.js'

/**
 * What is not built yet for MySQL: the runner works (migrate, status, rollback, resolve, baseline, reset);
 * reading a database into a schema and planning changes come with introspect.ts, normalize.ts and plan.ts.
 */
function missing(what: string): never {
  throw new KeelError(
    'UNSUPPORTED',
    `the mysql dialect cannot ${what} yet`,
    'keel migrate, status, rollback, resolve, baseline and reset work on MySQL and MariaDB; diff, push, generate and inspect do not yet.',
  )
}

/** The MySQL and MariaDB dialect (mysql2). */
export const mysqlDialect: Dialect = {
  ...mysqlRuntime,
  normalize: () => missing('normalise a schema (src/dialect/mysql/normalize.ts is missing)'),
  plan: () => missing('plan changes (src/dialect/mysql/plan.ts is missing)'),
  introspect: async () => missing('read a database into a schema (src/dialect/mysql/introspect.ts is missing)'),
}
