import type { RunnerHooks } from '../../runner.js'
import { quoteIdent } from '../quote.js'
import { sqliteJournal } from './journal-sql.js'
import { sqliteLockRow } from './lock-row.js'
import { splitSqlite } from './split-statements.js'

/** A Keel duration (`5s`, `500ms`, `2min`) in milliseconds. */
function milliseconds(duration: string): number {
  const m = /^(\d+)\s*(ms|s|min|h)?$/i.exec(duration.trim())
  const n = Number(m?.[1] ?? 0)
  const unit = (m?.[2] ?? 'ms').toLowerCase()
  return n * (unit === 'h' ? 3_600_000 : unit === 'min' ? 60_000 : unit === 's' ? 1000 : 1)
}

const code = (error: unknown): string => String((error as { code?: unknown } | undefined)?.code)
const message = (error: unknown): string => String((error as { message?: unknown } | undefined)?.message)

/** The migration runner's SQLite half. */
export const sqliteRunner: RunnerHooks = {
  lock: sqliteLockRow,
  journal: sqliteJournal,
  // One host, one file: no server session outlives a dead runner.
  orphanSessions: async () => [],
  endOrphanHint: () => '',
  parseStatements: async (text) => splitSqlite(text),
  isTransactionControl: (s) => /^(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(s.sql),
  // The lock timeout is how long a statement waits for another connection's write lock (busy_timeout);
  // SQLite has no statement timeout.
  sessionSetup: (lockTimeout) => `PRAGMA busy_timeout = ${milliseconds(lockTimeout)}`,
  isRetryable: (error) => code(error) === 'SQLITE_BUSY' || code(error) === 'SQLITE_LOCKED',
  isRefusedInTransaction: () => false,
  /**
   * SQLite's refusal of one statement (an error in its SQL, a constraint, a type mismatch, a value too big): the
   * connection lives on, so a failed transaction's statements may run again one by one to find the one that failed.
   * Not a busy file (retried instead), an interrupt (a cancel), nor what says the file or connection is broken
   * (I/O, corruption, a full disk, no memory).
   */
  isStatementError: (error) => /^SQLITE_(ERROR|CONSTRAINT|MISMATCH|TOOBIG|RANGE)(_|$)/.test(code(error)),
  // SQLite gives both the one code SQLITE_ERROR; its message tells them apart.
  isSyntaxError: (error) => code(error) === 'SQLITE_ERROR' && /\bsyntax error\b/.test(message(error)),
  alreadyExists: (error) => code(error) === 'SQLITE_ERROR' && /\balready exists\b/.test(message(error)),
  // Keel splits SQLite's SQL without parsing it, so it does not know what object a statement makes; and
  // every statement but PRAGMA foreign_keys and VACUUM commits with its migration's transaction.
  effectsUnknown:
    'SQLite: Keel does not parse SQLite statements, so it cannot tell from the schema which of them took effect; look at the database (sqlite3 FILE .schema) before deciding',
  async wipe(conn) {
    const objects = await conn.query<{ type: string; name: string }>(
      // keel_lock stays: it holds the lock row of the runner that is wiping (reset), released when it is done.
      `SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'keel_lock' AND type IN ('view', 'trigger', 'table')
       ORDER BY CASE type WHEN 'trigger' THEN 0 WHEN 'view' THEN 1 ELSE 2 END, name`,
    )
    // Foreign keys off, so that dropping a parent before its children neither fails nor cascades.
    await conn.exec('PRAGMA foreign_keys = OFF')
    try {
      await conn.transaction(async (tx) => {
        for (const o of objects) await tx.exec(`DROP ${o.type.toUpperCase()} IF EXISTS ${quoteIdent(o.name)}`)
      })
    } finally {
      await conn.exec('PRAGMA foreign_keys = ON')
    }
    return objects.filter((o) => o.type === 'table').map((o) => o.name)
  },
}
