import type { Connection } from '../../db/connection.js'

/**
 * What a backfill batch but the last sets for its own transaction (`SET LOCAL`: the session's settings are back
 * after each batch), read once per walk from the server's own settings. Each one lightens what a batch leaves the
 * server to do while writers wait on the same WAL and disk; none changes what the batch writes or when it is durable
 * (see runBatch for synchronous_commit).
 *
 * - `backend_flush_after = 256kB` (PostgreSQL's own default for the checkpointer), unless the server sets one: a
 *   backfill rewrites every row, more pages than shared_buffers hold, so its backend writes dirty pages out itself;
 *   with the server's default (0) they wait in the OS cache until a checkpoint's fsync flushes them all at once, and
 *   the writers' WAL syncs wait behind that flush (measured at 4M rows: the writers on `LWLock:WALWrite` while the
 *   checkpointer was in `IO:DataFileSync`). Any role may set it.
 * - `wal_compression = on` (pglz, which every server can replay), when it is off and the role may set it (a
 *   superuser): a backfill's first change to each page after a checkpoint logs the whole page; compressed, the
 *   backfill's WAL is ~14% smaller (409 → 352 bytes a row at 1M rows), so it brings the next WAL-triggered checkpoint
 *   later. A server that compresses already keeps its own method.
 */
export async function batchSettings(conn: Connection): Promise<readonly string[]> {
  const [row] = await conn.query<{ flush: string; compression: string; superuser: string }>(
    "SELECT current_setting('backend_flush_after') AS flush, current_setting('wal_compression') AS compression, current_setting('is_superuser') AS superuser",
  )
  return [
    'SET LOCAL synchronous_commit = off',
    ...(row?.flush === '0' ? ["SET LOCAL backend_flush_after = '256kB'"] : []),
    ...(row?.compression === 'off' && row.superuser === 'on' ? ['SET LOCAL wal_compression = on'] : []),
  ]
}
