import { openDatabase } from '../../db/open.js'
import type { DialectRuntime } from '../dialect.js'
import { banTableRebuild } from './lint-rules/ban-table-rebuild.js'
import { sqliteProjectTemplate } from './project-template.js'
import { quoteIdent, quoteLiteral } from './quote.js'
import { sqliteRunner } from './runner/hooks.js'

/**
 * SQLite's runtime half: always-quoted names, transactional DDL, in-memory scratch databases. Unqualified names live
 * in `main` (what lint strips from `main.users`); attached databases are namespaces Keel does not model, hence no
 * `schemas` capability.
 */
export const sqliteRuntime: DialectRuntime = {
  name: 'sqlite',
  title: 'SQLite',
  capabilities: { transactionalDdl: true, schemas: false, sqlLint: false },
  defaultNamespace: 'main',
  quoteIdent,
  quoteLiteral,
  async createScratch() {
    const conn = await openDatabase('sqlite::memory:')
    return { url: 'sqlite::memory:', conn, dispose: () => conn.close() }
  },
  // Every SQLite is the same engine in this process: a scratch beside a file is an in-memory database.
  scratchBeside: true,
  // A schema declared for SQLite is normalised by SQLite, whatever database is near.
  declaredScratch: () => 'sqlite::memory:',
  runner: sqliteRunner,
  loadDialect: async () => (await import('./index.js')).sqliteDialect,
  async lintFacts(conn) {
    const { readSqliteLiveFacts } = await import('./live-facts.js')
    return readSqliteLiveFacts(conn)
  },
  lintSql: {
    parser: { load: async () => (await import('./statement-parse.js')).parseSqliteStatement },
    notNullColumnWithoutDefault: 'refused',
  },
  lintRules: [banTableRebuild],
  prisma: {
    providers: ['sqlite'],
    load: async () => (await import('./prisma-provider.js')).sqliteProvider,
  },
  knex: { load: async () => (await import('./knex-dialect.js')).sqliteKnex },
  drizzle: {
    tableKind: 'SQLiteTable',
    kinds: /^SQLite/,
    kitDialect: 'sqlite',
    async read(exports, context) {
      const { readSqliteDrizzle } = await import('./drizzle.js')
      return readSqliteDrizzle(exports, context)
    },
  },
  printers: { load: async () => (await import('./printers.js')).sqlitePrinters },
  projectTemplate: sqliteProjectTemplate,
}
