import type { Connection } from '../../../db/connection.js'
import type { ParsedStatement } from '../../../lint/sql/parse.js'

/**
 * Whether a statement's lock waits hold up no writer, so that the short per-try `lock_timeout` (which exists
 * to keep writers from queueing behind a waiting DDL) would only hurt it: the concurrent builds (CREATE
 * INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY) take SHARE UPDATE EXCLUSIVE,
 * which writers' ROW EXCLUSIVE does not conflict with, then wait for older transactions to end. A build cut
 * short by lock_timeout in that last wait leaves an INVALID index behind, its whole scan wasted; under a
 * long transaction it would fail try after try. The runner gives these the rest of the lock deadline instead.
 */
export function waitsBesideWriters(statement: Pick<ParsedStatement, 'node'>): boolean {
  const node = statement.node as Record<string, unknown>
  if ('IndexStmt' in node) return (node.IndexStmt as { concurrent?: boolean }).concurrent === true
  if ('ReindexStmt' in node) {
    const params = (node.ReindexStmt as { params?: readonly { DefElem?: { defname?: string } }[] }).params ?? []
    return params.some((p) => p.DefElem?.defname === 'concurrently')
  }
  if ('AlterTableStmt' in node) {
    const cmds = (node.AlterTableStmt as { cmds?: readonly { AlterTableCmd?: { def?: unknown } }[] }).cmds ?? []
    return (
      cmds.length > 0 &&
      cmds.every((c) => (c.AlterTableCmd?.def as { PartitionCmd?: { concurrent?: boolean } })?.PartitionCmd?.concurrent)
    )
  }
  return false
}

/**
 * Runs `fn` (a statement that waits beside writers, see above) with the session's lock_timeout stretched to the
 * lock deadline, and puts the session's own lock_timeout back afterwards.
 */
export async function withPatientLockTimeout<T>(
  conn: Connection,
  deadlineMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  const [row] = await conn.query<{ timeout: string }>("SELECT current_setting('lock_timeout') AS timeout")
  const patient = Number.isFinite(deadlineMs) ? `${Math.max(1, Math.round(deadlineMs))}ms` : '0'
  await conn.query("SELECT set_config('lock_timeout', $1, false)", [patient])
  try {
    return await fn()
  } finally {
    await conn.query("SELECT set_config('lock_timeout', $1, false)", [row?.timeout ?? '0']).catch(() => {})
  }
}
