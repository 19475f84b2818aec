import type { Dialect } from '../dialect.js'
import { introspectMysql } from './introspect.js'
import { normalizeMysql } from './normalize.js'
import { planMysql } from './plan.js'
import { mysqlRuntime } from './runtime.js'

/** The MySQL and MariaDB dialect (mysql2): information_schema introspection, a planner that states its algorithms. */
export const mysqlDialect: Dialect = {
  ...mysqlRuntime,
  normalize: normalizeMysql,
  plan: planMysql,
  introspect: introspectMysql,
}
