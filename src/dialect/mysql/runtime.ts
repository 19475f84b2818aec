import { parseDatabaseUrl } from '../../db/url.js'
import { KeelError } from '../../errors.js'
import type { DialectRuntime } from '../dialect.js'
import { mysqlProjectTemplate } from './project-template.js'
import { quoteIdent, quoteLiteral } from './quote.js'
import { mysqlRunner } from './runner/hooks.js'
import { createMysqlScratch } from './scratch.js'

/**
 * MySQL's and MariaDB's runtime half: backtick-quoted names, DDL that commits implicitly (a migration runs
 * statement by statement with its progress journaled, see runner/), objects in the URL's database only
 * (a MySQL "schema" is a database), scratch databases beside the target on the same server.
 */
export const mysqlRuntime: DialectRuntime = {
  name: 'mysql',
  title: 'MySQL/MariaDB',
  capabilities: { transactionalDdl: false, schemas: false, sqlLint: false },
  defaultNamespace: undefined,
  quoteIdent,
  quoteLiteral,
  createScratch: createMysqlScratch,
  scratchBeside: true,
  // A schema declared for MySQL is normalised only beside a MySQL or MariaDB server (its scratch database goes there).
  declaredScratch(near, src, what) {
    if (near !== undefined && parseDatabaseUrl(near).kind === 'mysql') return near
    throw new KeelError(
      'UNSUPPORTED',
      `${src} holds ${what}: it is compared on a MySQL or MariaDB server, and none is configured here`,
      'Point the project at the server (url: mysql://...) or pass it (--from/--url mysql://...).',
    )
  },
  runner: mysqlRunner,
  loadDialect: async () => (await import('./index.js')).mysqlDialect,
  async lintFacts(conn) {
    const { readMysqlLiveFacts } = await import('./live-facts.js')
    return readMysqlLiveFacts(conn)
  },
  lintSql: {
    parser: { load: async () => (await import('./statement-parse.js')).parseMysqlStatement },
    // Loaded when a statement is judged: the runtime half stays light for `keel status` and `keel migrate`.
    serverSyntax: (conn) => async (sql) => (await import('./server-syntax.js')).mysqlServerSyntax(conn)(sql),
    notNullColumnWithoutDefault: 'implicit-default',
  },
  prisma: {
    providers: ['mysql'],
    load: async () => (await import('./prisma-provider.js')).mysqlProvider,
  },
  knex: { load: async () => (await import('./knex-dialect.js')).mysqlKnex },
  drizzle: {
    tableKind: 'MySqlTable',
    kinds: /^MySql/,
    kitDialect: 'mysql',
    async read(exports, context) {
      const { readMysqlDrizzle } = await import('./drizzle.js')
      return readMysqlDrizzle(exports, context)
    },
  },
  printers: { load: async () => (await import('./printers.js')).mysqlPrinters },
  projectTemplate: mysqlProjectTemplate,
}
