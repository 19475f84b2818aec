// The server's cumulative statistics and the CREATE DATABASE options the benchmarks use, spelled for the server's
// version (server_version_num), PostgreSQL 14 to 18. The views moved under the benchmarks:
// - 17 moved the checkpoint counters from pg_stat_bgwriter to pg_stat_checkpointer (num_requested, num_timed,
//   buffers_written) and dropped buffers_backend and buffers_backend_fsync, which pg_stat_io (16+) counts;
// - 18 moved pg_stat_wal's wal_write and wal_sync to pg_stat_io (object 'wal');
// - CREATE DATABASE ... STRATEGY is 15+ (14 always copies the files, as FILE_COPY does).
// Each function returns SQL whose columns keep the names of PostgreSQL 14-16, so the readers of a row (the phases
// benchmark's server work, the sampler's trace) need not know the version.

/** server_version_num (150010 for 15.10) of the server behind `query` (SQL in, `{ rows }` out, as pg's client). */
export async function serverVersionNum(query) {
  const { rows } = await query('show server_version_num')
  return Number(rows[0].server_version_num)
}

// What backends (not the checkpointer or the background writer) wrote of shared buffers themselves, from pg_stat_io.
const BACKEND_IO = `from pg_stat_io where object = 'relation' and backend_type not in ('checkpointer', 'background writer')`

/**
 * One row: checkpoints_req, checkpoints_timed, buffers_checkpoint, buffers_clean, buffers_backend,
 * buffers_backend_fsync, buffers_alloc (bigint), cluster-wide since the last reset.
 */
export function checkpointerSql(versionNum) {
  if (versionNum < 170000)
    return `select checkpoints_req, checkpoints_timed, buffers_checkpoint, buffers_clean, buffers_backend,
      buffers_backend_fsync, buffers_alloc from pg_stat_bgwriter`
  return `select c.num_requested as checkpoints_req, c.num_timed as checkpoints_timed,
      c.buffers_written as buffers_checkpoint, b.buffers_clean, b.buffers_alloc,
      (select coalesce(sum(writes), 0)::bigint ${BACKEND_IO}) as buffers_backend,
      (select coalesce(sum(fsyncs), 0)::bigint ${BACKEND_IO}) as buffers_backend_fsync
    from pg_stat_checkpointer c, pg_stat_bgwriter b`
}

/** One row: wal_records, wal_fpi, wal_bytes, wal_buffers_full, wal_write, wal_sync (bigint). */
export function walSql(versionNum) {
  const counts = 'wal_records, wal_fpi, wal_bytes::bigint as wal_bytes, wal_buffers_full'
  if (versionNum < 180000) return `select ${counts}, wal_write, wal_sync from pg_stat_wal`
  return `select ${counts},
      (select coalesce(sum(writes), 0)::bigint from pg_stat_io where object = 'wal') as wal_write,
      (select coalesce(sum(fsyncs), 0)::bigint from pg_stat_io where object = 'wal') as wal_sync
    from pg_stat_wal`
}

/**
 * CREATE DATABASE `name` (quoted as given), a copy of the database named `template` if any. `strategy`
 * ('file_copy' or 'wal_log') is left out before 15, which has no STRATEGY and copies the files as FILE_COPY does.
 */
export function createDatabaseSql(name, { template, strategy } = {}, versionNum) {
  const copy = template === undefined ? '' : ` TEMPLATE "${template}"`
  const how = strategy === undefined || versionNum < 150000 ? '' : ` STRATEGY ${strategy}`
  return `CREATE DATABASE "${name}"${copy}${how}`
}
