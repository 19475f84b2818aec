import type { DialectRuntime } from '../dialect.js'
import { transactionLockBudget } from './lock-table.js'
import { pgliteProjectTemplate, postgresProjectTemplate } from './project-template.js'
import { quoteIdent, quoteLiteral } from './quote.js'
import { postgresRunner } from './runner/hooks.js'
import { createServerScratch } from './scratch.js'

/** PostgreSQL's runtime half: quoting, capabilities, scratch databases on the same server. */
export const postgresRuntime: DialectRuntime = {
  name: 'postgres',
  title: 'PostgreSQL',
  capabilities: { transactionalDdl: true, schemas: true, sqlLint: true },
  defaultNamespace: 'public',
  quoteIdent,
  quoteLiteral,
  createScratch: (url, prefix) => createServerScratch(url, prefix),
  scratchBeside: true,
  runner: postgresRunner,
  loadDialect: async () => (await import('./index.js')).postgresDialect,
  transactionLockBudget,
  projectTemplate: postgresProjectTemplate,
  async lintFacts(conn) {
    const { readPostgresLiveFacts } = await import('./live-facts.js')
    return readPostgresLiveFacts(conn)
  },
  lintSql: {
    builtinTypes: 'pg_catalog',
    // Loaded on first use, as the runner's parseStatements is: the parser's WebAssembly slows every cold start.
    async borrowTree(sql, byte) {
      const { borrowPostgresTree } = await import('./parse-sql.js')
      return borrowPostgresTree(sql, byte)
    },
  },
  prisma: {
    providers: ['postgresql', 'postgres'],
    load: async () => (await import('./prisma-provider.js')).postgresqlProvider,
  },
  knex: { load: async () => (await import('./knex-dialect.js')).postgresKnex },
  drizzle: {
    tableKind: 'PgTable',
    kinds: /^Pg/,
    kitDialect: 'postgresql',
    async read(exports, context) {
      const { readPostgresDrizzle } = await import('./drizzle-schema.js')
      return readPostgresDrizzle(exports, context)
    },
  },
  printers: { load: async () => (await import('./printers.js')).postgresPrinters },
  viewColumns: { load: async () => (await import('./view-columns.js')).readViewColumns },
  // Its introspection and normaliser alone: no planner, renderers or other dialects.
  async introspect(conn, options) {
    const { introspectPostgres } = await import('./introspect.js')
    return introspectPostgres(conn, options)
  },
}

/** PGlite is PostgreSQL in WebAssembly; its scratch databases are in-memory PGlites. */
export const pgliteRuntime: DialectRuntime = {
  ...postgresRuntime,
  name: 'pglite',
  title: 'PGlite',
  // Loaded when one is made: its reset and its check of freshness are of no use to a command that makes none.
  createScratch: async () => (await import('./pglite-scratch.js')).createPgliteScratch(),
  scratchBeside: false,
  projectTemplate: pgliteProjectTemplate,
  loadDialect: async () => (await import('./index.js')).pgliteDialect,
}
