/**
 * The benchmarks' statistics queries (bench/lib/server-stats.mjs) on every PostgreSQL they may meet: 14 and 17 from
 * the version matrix's binaries, the system's 15, and PGlite (18). Spelled for 14-16, the checkpoint counters failed on
 * 17+ (pg_stat_bgwriter.checkpoints_req: column does not exist, moved to pg_stat_checkpointer), the sampler's WAL
 * counters on 18 (pg_stat_wal.wal_write, moved to pg_stat_io), and CREATE DATABASE ... STRATEGY on 14.
 */
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { checkpointerSql, createDatabaseSql, serverVersionNum, walSql } from '../../bench/lib/server-stats.mjs'
import { createScratchDatabase } from '../../src/db/scratch.js'
import { POSTGRES_URL } from '../support/databases.js'
import {
  matrixUnavailable,
  type PostgresServer,
  startPostgres,
  warnMatrixSkipped,
} from '../support/postgres-servers.js'

type Query = (sql: string) => Promise<{ rows: Record<string, unknown>[] }>

const CHECKPOINTER = [
  'checkpoints_req',
  'checkpoints_timed',
  'buffers_checkpoint',
  'buffers_clean',
  'buffers_backend',
  'buffers_backend_fsync',
  'buffers_alloc',
]
const WAL = ['wal_records', 'wal_fpi', 'wal_bytes', 'wal_buffers_full', 'wal_write', 'wal_sync']

/** One row of `sql`, every column a whole number (pg returns bigint as text). */
async function counters(query: Query, sql: string): Promise<Record<string, number>> {
  const [row = {}] = (await query(sql)).rows
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]))
}

/** On a server: the counters read, a CHECKPOINT counted as requested, a database copied as the phases bench does. */
async function expectServerStats(url: string, major: number): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const query: Query = (sql) => client.query(sql)
  const name = `keel_test_bench_stats_${process.pid}_${major}`
  try {
    const version = await serverVersionNum(query)
    expect(Math.floor(version / 10_000)).toBe(major)
    const before = await counters(query, checkpointerSql(version))
    expect(Object.keys(before).sort()).toEqual([...CHECKPOINTER].sort())
    expect(Object.values(before).every(Number.isInteger)).toBe(true)
    const wal = await counters(query, walSql(version))
    expect(Object.keys(wal).sort()).toEqual([...WAL].sort())
    expect(Object.values(wal).every(Number.isInteger)).toBe(true)
    // The checkpointer reports its counters on its own schedule (14: to the statistics collector): polled, for at
    // most a minute, never timed.
    await client.query('CHECKPOINT')
    let after = before
    for (let i = 0; i < 600 && after.checkpoints_req === before.checkpoints_req; i++) {
      await client.query('select pg_sleep(0.1), pg_stat_clear_snapshot()')
      after = await counters(query, checkpointerSql(version))
    }
    expect(after.checkpoints_req).toBeGreaterThan(before.checkpoints_req as number)

    await client.query(`create database "${name}_base"`)
    await client.query(createDatabaseSql(name, { template: `${name}_base`, strategy: 'file_copy' }, version))
    const { rows } = await client.query('select count(*)::int as n from pg_database where datname = $1', [name])
    expect(rows).toEqual([{ n: 1 }])
  } finally {
    await client.query(`drop database if exists "${name}"`)
    await client.query(`drop database if exists "${name}_base"`)
    await client.end()
  }
}

describe('bench/lib/server-stats.mjs', () => {
  it('spells STRATEGY only where the server has it (15+)', () => {
    expect(createDatabaseSql('a', { template: 'b', strategy: 'file_copy' }, 140_013)).toBe(
      'CREATE DATABASE "a" TEMPLATE "b"',
    )
    expect(createDatabaseSql('a', { template: 'b', strategy: 'file_copy' }, 150_010)).toBe(
      'CREATE DATABASE "a" TEMPLATE "b" STRATEGY file_copy',
    )
    expect(createDatabaseSql('a', {}, 180_000)).toBe('CREATE DATABASE "a"')
  })

  it('reads the counters on PostgreSQL 15 (the system server)', async () => {
    await expectServerStats(POSTGRES_URL, 15)
  })

  it('reads the counters on PGlite', async () => {
    const scratch = await createScratchDatabase(undefined, 'keel_test')
    try {
      const query: Query = async (sql) => ({ rows: [...(await scratch.conn.query<Record<string, unknown>>(sql))] })
      const version = await serverVersionNum(query)
      expect(version).toBeGreaterThanOrEqual(170000)
      expect(Object.keys(await counters(query, checkpointerSql(version))).sort()).toEqual([...CHECKPOINTER].sort())
      const wal = await counters(query, walSql(version))
      expect(Object.keys(wal).sort()).toEqual([...WAL].sort())
      expect(Object.values(wal).every(Number.isInteger)).toBe(true)
    } finally {
      await scratch.dispose()
    }
  })

  const unavailable = matrixUnavailable()
  if (unavailable !== undefined) warnMatrixSkipped(unavailable)
  const servers: PostgresServer[] = []
  afterAll(async () => {
    for (const server of servers) await server.stop()
  })
  // 14: no STRATEGY, the counters in pg_stat_bgwriter; 17: pg_stat_checkpointer, pg_stat_wal as before.
  it.skipIf(unavailable !== undefined).each([14, 17] as const)('reads the counters on PostgreSQL %i', async (major) => {
    const server = await startPostgres(major)
    servers.push(server)
    await expectServerStats(server.url, major)
  })
})
