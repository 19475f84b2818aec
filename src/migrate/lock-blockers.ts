import type { Connection } from '../db/connection.js'
import type { BlockerCancel, LockBlocker } from '../dialect/runner.js'
import { runtimeOf } from '../dialect/runtimes.js'
import type { ParsedStatement } from '../lint/sql/parse.js'

export type { BlockerCancel, LockBlocker } from '../dialect/runner.js'

/**
 * The sessions holding the locks a statement gave up waiting for (`code`: its driver error's SQLSTATE, `error`
 * the error itself), as the
 * dialect's server shows them; empty where the dialect cannot say.
 */
export async function findLockBlockers(
  conn: Connection,
  statement: ParsedStatement,
  code: string | undefined,
  error?: unknown,
): Promise<readonly LockBlocker[]> {
  const hook = runtimeOf(conn.dialect).runner.lockBlockers
  return hook === undefined ? [] : hook(conn, statement, code, error)
}

/**
 * Cancels the blockers the dialect's server would itself cancel for `statement`, a lock waiter (an autovacuum); see
 * RunnerHooks.
 */
export async function cancelBlockers(
  conn: Connection,
  statement: Pick<ParsedStatement, 'kind'>,
  blockers: readonly LockBlocker[],
): Promise<readonly BlockerCancel[]> {
  const hook = runtimeOf(conn.dialect).runner.cancelBlockers
  return hook === undefined || blockers.length === 0 ? [] : hook(conn, statement, blockers)
}

/** `pid 4242 (application "psql", idle in transaction, transaction open 12.3s): select * from t` */
export function describeBlocker(b: LockBlocker): string {
  const facts = [
    ...(b.applicationName === '' ? [] : [`application "${b.applicationName}"`]),
    b.state,
    ...(b.transactionSeconds === undefined ? [] : [`transaction open ${b.transactionSeconds.toFixed(1)}s`]),
  ]
  return `pid ${b.pid} (${facts.join(', ')}): ${b.query}`
}
