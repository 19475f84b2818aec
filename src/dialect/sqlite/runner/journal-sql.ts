import type { JournalHooks } from '../../runner.js'
import { quoteIdent } from '../quote.js'

/** keel_migrations on SQLite: no namespaces (the configured one is ignored), JSON as text, times as ISO text. */
export const sqliteJournal: JournalHooks = {
  qualify: (_namespace, table) => quoteIdent(table),
  async exists(conn, _namespace, table) {
    const rows = await conn.query(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = $1`, [table])
    return rows.length > 0
  },
  async ensure(conn, namespace, table) {
    await conn.exec(`CREATE TABLE IF NOT EXISTS ${sqliteJournal.qualify(namespace, table)} (
  version TEXT PRIMARY KEY CHECK (length(version) = 14 AND version NOT GLOB '*[^0-9]*'),
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied', 'partial', 'failed')),
  batch INTEGER NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  duration_ms INTEGER NOT NULL DEFAULT 0,
  completed_statements INTEGER NOT NULL DEFAULT 0,
  total_statements INTEGER,
  statement_hashes TEXT NOT NULL DEFAULT '[]',
  error TEXT,
  failed_statement TEXT,
  origin TEXT NOT NULL DEFAULT 'migrate' CHECK (origin IN ('migrate', 'baseline', 'resolve'))
)`)
  },
  now: `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  json: (parameter) => parameter,
}
