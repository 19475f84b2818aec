import type { JournalHooks } from '../../runner.js'
import { quoteIdent } from '../quote.js'

/**
 * keel_migrations on MySQL and MariaDB: in the URL's database (a MySQL "schema" is a database; the configured
 * journal namespace is not used), InnoDB so that a transactional unit's journal progress commits with it,
 * JSON as text (MariaDB's JSON is LONGTEXT), times in UTC to the millisecond.
 */
export const mysqlJournal: JournalHooks = {
  qualify: (_namespace, table) => quoteIdent(table),
  async exists(conn, _namespace, table) {
    const rows = await conn.query(
      `SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1`,
      [table],
    )
    return rows.length > 0
  },
  async ensure(conn, namespace, table, knownMissing) {
    if (knownMissing !== true && (await mysqlJournal.exists(conn, namespace, table))) return
    await conn.exec(`CREATE TABLE IF NOT EXISTS ${mysqlJournal.qualify(namespace, table)} (
  version CHAR(14) NOT NULL PRIMARY KEY CHECK (version REGEXP '^[0-9]{14}$'),
  name VARCHAR(255) NOT NULL,
  checksum VARCHAR(255) NOT NULL,
  status VARCHAR(16) NOT NULL CHECK (status IN ('applied', 'partial', 'failed')),
  batch INT NOT NULL,
  applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  duration_ms BIGINT NOT NULL DEFAULT 0,
  completed_statements INT NOT NULL DEFAULT 0,
  total_statements INT NULL,
  statement_hashes LONGTEXT NOT NULL,
  error TEXT NULL,
  failed_statement TEXT NULL,
  origin VARCHAR(16) NOT NULL DEFAULT 'migrate' CHECK (origin IN ('migrate', 'baseline', 'resolve'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`)
  },
  // UTC, read back as UTC by the driver (timezone 'Z'), whatever the server's time_zone.
  now: 'UTC_TIMESTAMP(3)',
  json: (parameter) => parameter,
  // No UPDATE ... RETURNING on MySQL or MariaDB: the matched rows are counted (mysql2 asks for found rows).
  rowCount: 'SELECT ROW_COUNT() AS n',
}
