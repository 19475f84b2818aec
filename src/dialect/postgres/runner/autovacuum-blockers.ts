import type { Connection } from '../../../db/connection.js'
import type { ParsedStatement } from '../../../lint/sql/parse.js'
import type { BlockerCancel, LockBlocker } from '../../runner.js'

/**
 * Whether a session holding a lock that a migration's statement gave up waiting for is one PostgreSQL itself
 * would cancel for a lock waiter: an autovacuum worker, unless it vacuums to prevent transaction ID wraparound.
 * The server cancels such a worker only after the waiter has waited deadlock_timeout (1 s by default), and the
 * runner's tries wait lock_timeout (50 ms by default): without this the runner would retry until the vacuum
 * ended (minutes on a big table) or its lock deadline passed. A wraparound vacuum must run to its end, and
 * nothing else (a person's session, a manual VACUUM) is the runner's to cancel.
 *
 * The worker shows its task as its query, `autovacuum: VACUUM [ANALYZE] schema.table[ (to prevent wraparound)]`
 * (findLockBlockers reads an autovacuum's query whole, so the suffix is never cut off by the runner).
 */
export function mayCancelForLockWaiter(blocker: Pick<LockBlocker, 'backendType' | 'query'>): boolean {
  return (
    blocker.backendType === 'autovacuum worker' &&
    blocker.query.startsWith('autovacuum:') &&
    !blocker.query.includes('(to prevent wraparound)')
  )
}

/**
 * Whether a statement can wait for an autovacuum at all: the worker holds SHARE UPDATE EXCLUSIVE on its table, which
 * conflicts with DDL (SHARE UPDATE EXCLUSIVE and stronger) but not with the ROW EXCLUSIVE, ROW SHARE or ACCESS SHARE
 * of a query or a DML statement. Such a statement that gave up waiting waited for rows (another transaction's update,
 * a backfill batch's usual wait) or for another session's lock; findLockBlockers lists every session with a lock on
 * the table, the worker included, and cancelling it there (PostgreSQL would not: it is not in the waiter's way)
 * stopped the vacuum of a table the backfill was filling with dead rows, and retried at once instead of pausing.
 */
export function mayWaitForAutovacuum(statement: Pick<ParsedStatement, 'kind'>): boolean {
  return !ROW_LEVEL.has(statement.kind)
}

/** The statements whose table locks conflict with no autovacuum's (a vacuum's brief truncation gives way by itself). */
const ROW_LEVEL = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt'])

/**
 * Cancels each blocker PostgreSQL would cancel for `statement`, a lock waiter (see above), with pg_cancel_backend, as
 * the server's own deadlock check would; none when the statement cannot have waited for it (mayWaitForAutovacuum). Cancelling an autovacuum worker needs superuser (or pg_signal_backend;
 * pg_signal_autovacuum_worker from PostgreSQL 18): a refusal is reported, not thrown, and the runner retries
 * as it would have. Runs between tries, outside any transaction (a failed try's transaction is rolled back).
 */
export async function cancelAutovacuumBlockers(
  conn: Connection,
  statement: Pick<ParsedStatement, 'kind'>,
  blockers: readonly LockBlocker[],
): Promise<readonly BlockerCancel[]> {
  if (!mayWaitForAutovacuum(statement)) return []
  const outcomes: BlockerCancel[] = []
  for (const blocker of blockers.filter(mayCancelForLockWaiter)) {
    try {
      // false: the worker ended meanwhile (the server warns, nothing to cancel).
      const [row] = await conn.query<{ cancelled: boolean }>('select pg_cancel_backend($1) as cancelled', [blocker.pid])
      outcomes.push({
        blocker,
        cancelled: row?.cancelled === true,
        reason: 'as PostgreSQL would after deadlock_timeout',
      })
    } catch (error) {
      const grant = "grant the migration's role pg_signal_backend, or pg_signal_autovacuum_worker from PostgreSQL 18"
      outcomes.push({ blocker, cancelled: false, refused: `${(error as Error).message} (${grant})` })
    }
  }
  return outcomes
}
