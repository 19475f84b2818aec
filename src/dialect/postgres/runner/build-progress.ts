import type { Connection } from '../../../db/connection.js'
import type { BuildProgress, BuildProgressHooks } from '../../runner.js'

interface Row {
  readonly phase: string
  readonly index: string | null
  readonly table: string | null
  readonly blocks_done: string
  readonly blocks_total: string
  readonly tuples_done: string
  readonly tuples_total: string
  readonly lockers_done: string
  readonly lockers_total: string
  readonly partitions_done: string
  readonly partitions_total: string
}

/**
 * CREATE INDEX [CONCURRENTLY] and REINDEX report where they stand in pg_stat_progress_create_index, one row per
 * building backend; its counters belong to the current phase (blocks while scanning the table, tuples while
 * loading the tree or validating, lockers while waiting for older transactions).
 * https://www.postgresql.org/docs/current/progress-reporting.html#CREATE-INDEX-PROGRESS-REPORTING
 */
export const postgresBuildProgress: BuildProgressHooks = {
  async sessionId(conn: Connection): Promise<number> {
    const [row] = await conn.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
    return Number(row?.pid)
  },
  async read(monitor: Connection, pid: number): Promise<BuildProgress | undefined> {
    const [row] = await monitor.query<Row>(
      `SELECT p.phase,
              quote_ident(ni.nspname) || '.' || quote_ident(i.relname) AS index,
              quote_ident(nt.nspname) || '.' || quote_ident(t.relname) AS table,
              p.blocks_done::text, p.blocks_total::text, p.tuples_done::text, p.tuples_total::text,
              p.lockers_done::text, p.lockers_total::text, p.partitions_done::text, p.partitions_total::text
         FROM pg_catalog.pg_stat_progress_create_index p
         LEFT JOIN pg_catalog.pg_class i ON i.oid = p.index_relid
         LEFT JOIN pg_catalog.pg_namespace ni ON ni.oid = i.relnamespace
         LEFT JOIN pg_catalog.pg_class t ON t.oid = p.relid
         LEFT JOIN pg_catalog.pg_namespace nt ON nt.oid = t.relnamespace
        WHERE p.pid = $1`,
      [pid],
    )
    return row === undefined ? undefined : progressOf(row)
  },
}

/** The counters of the current phase: the first pair with a total, in the order the phases use them. */
export function progressOf(row: Row): BuildProgress {
  const base = { index: row.index ?? '', table: row.table ?? '', phase: row.phase }
  const pairs = [
    ['blocks', row.blocks_done, row.blocks_total],
    ['tuples', row.tuples_done, row.tuples_total],
    ['transactions', row.lockers_done, row.lockers_total],
  ] as const
  // Partitions count across the whole build of a partitioned index; the pairs above are per partition.
  const found = pairs.find(([, , total]) => Number(total) > 0)
  if (found === undefined) {
    return Number(row.partitions_total) > 0
      ? { ...base, unit: 'partitions', done: Number(row.partitions_done), total: Number(row.partitions_total) }
      : base
  }
  const [unit, done, total] = found
  return { ...base, unit, done: Number(done), total: Number(total) }
}
