import type { KnexDialect } from '../../interop/import/knex/knex-client.js'

/** knex's SQLite client (`better-sqlite3` and its aliases) over a Keel connection, answered as better-sqlite3 answers. */
export const sqliteKnex: KnexDialect = {
  client: 'better-sqlite3',
  clients: ['better-sqlite3', 'sqlite3', 'sqlite'],
  version: async () => undefined,
  respond(obj, rows) {
    // better-sqlite3's: the rows of a reader, and the lastID/changes of a writer.
    obj.response = rows
    obj.context = { lastID: undefined, changes: 0 }
  },
  // A PRAGMA without a value reads (table_info, foreign_key_list: the catalog queries of knex's table rebuild).
  reads: /^\s*pragma\s+[^=]*$/i,
  catalogReads: /sqlite_master|sqlite_schema|^\s*pragma/i,
  // knex turns foreign keys off around its rebuild when it runs outside a transaction (and leaves them
  // as the connection has them inside one); Keel's connections enforce them, and with them on, the DROP
  // TABLE of the rebuild deletes every row first, cascading to the referencing tables. Keel's runner runs
  // these two PRAGMAs outside the migration's transaction, as its own SQLite rebuilds do.
  aroundRebuild: { before: 'PRAGMA foreign_keys = OFF', after: 'PRAGMA foreign_keys = ON' },
}
