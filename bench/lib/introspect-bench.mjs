import { mkdtempSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../../dist/db/open.js'
import { getDialect } from '../../dist/dialect/registry.js'
import { createDatabase, dropDatabase, execSql, execSqlInBatches } from './databases.mjs'
import { measureRounds } from './measure.mjs'
import { BENCH_DIR, KEEL_BIN, peerBin } from './peers.mjs'
import { timedCommand } from './proc.mjs'
import { mutationSql, schemaSql } from './schema-sql.mjs'
import { progress, timed } from './stats.mjs'

/**
 * Creates the generated schema of `count` tables in a new database and, when `withChanged`, a second
 * database with every tenth table changed (a copy of the first by CREATE DATABASE ... TEMPLATE, then
 * ALTERed: the same schema as if written out, in a fraction of the time).
 */
export async function createSchemaDatabases(count, { withChanged = false } = {}) {
  const plain = await createDatabase(`s${count}`)
  const created = await timed(() => execSqlInBatches(plain.url, schemaSql(count)))
  progress(`created ${count} tables in ${plain.name} (${Math.round(created.ms)} ms)`)
  if (!withChanged) return { plain }
  const changed = await createDatabase(`s${count}_changed`, { template: plain })
  await execSql(changed.url, mutationSql(count))
  progress(`created ${changed.name}: ${plain.name} with every tenth table changed`)
  return { plain, changed }
}

/** Keel's library introspection of one database: open, introspect, close. */
export async function introspectOnce(url) {
  const conn = await openDatabase(url)
  try {
    return await getDialect('postgres').introspect(conn)
  } finally {
    await conn.close()
  }
}

/**
 * Specs for Keel's introspection of `db` (`{ url, tables, tmp }`) through the library (warm process) and the CLI (cold, wall
 * time), and the `pg_dump --schema-only` floor. `last.schema` receives the library's last result.
 */
export function introspectionSpecs(db, prefix, { formats = ['json'], last = {} } = {}) {
  const cwd = mkdtempSync(join(db.tmp, 'inspect-'))
  const sizes = {}
  const specs = [
    {
      id: `${prefix}.keel-library`,
      label: 'Keel library: openDatabase + introspect (warm process)',
      role: 'keel',
      warmup: 1,
      fn: async () => {
        const { ms, value } = await timed(() => introspectOnce(db.url))
        last.schema = value
        return ms
      },
      detail: () => ({ tables: last.schema?.tables.length }),
    },
  ]
  for (const format of formats) {
    specs.push({
      id: `${prefix}.keel-cli-${format}`,
      label: `Keel CLI: keel inspect --format ${format} (cold)`,
      role: 'keel',
      fn: async () => {
        const run = await timedCommand('node', [KEEL_BIN, 'inspect', '--url', db.url, '--format', format], { cwd })
        sizes[format] = run.stdoutBytes
        return run.ms
      },
      detail: () => ({ stdoutBytes: sizes[format] }),
    })
  }
  specs.push({
    id: `${prefix}.pg-dump`,
    label: 'floor: pg_dump --schema-only',
    role: 'floor',
    fn: async () => {
      const run = await timedCommand('pg_dump', ['--schema-only', db.url])
      sizes.pgDump = run.stdoutBytes
      return run.ms
    },
    detail: () => ({ stdoutBytes: sizes.pgDump }),
  })
  return specs
}

/** Section 1: introspection of the 1,000-table database. Returns the measurements and Keel's schema. */
export async function benchIntrospection(db, runs) {
  progress(`introspection of ${db.tables} tables: ${runs} runs each`)
  const last = {}
  const measurements = await measureRounds(introspectionSpecs(db, 'introspect', { last }), runs)
  if (last.schema && last.schema.tables.length !== db.tables) {
    throw new Error(`Keel introspected ${last.schema.tables.length} tables, expected ${db.tables}`)
  }
  return { measurements, schema: last.schema }
}

/**
 * Section 1b: the same generated schema at 10,000 tables (`BENCH_LARGE_TABLES`), where per-object costs that
 * 1,000 tables hide (a query per table, a quadratic lookup, garbage) would show: Keel's CLI and library against
 * `pg_dump --schema-only`, fewer runs (each is seconds). The database is created here and dropped before returning.
 */
export async function benchLargeIntrospection({ tables, runs, tmp }) {
  const { plain } = await createSchemaDatabases(tables)
  try {
    progress(`introspection of ${tables} tables: ${runs} runs each`)
    const last = {}
    const measurements = await measureRounds(
      introspectionSpecs({ url: plain.url, tables, tmp }, 'large', { last }),
      runs,
    )
    if (last.schema && last.schema.tables.length !== tables) {
      throw new Error(`Keel introspected ${last.schema.tables.length} tables, expected ${tables}`)
    }
    return measurements
  } finally {
    await dropDatabase(plain)
  }
}

/**
 * Section 2: the same against `drizzle-kit pull`, which writes a TypeScript schema (so Keel's
 * `inspect --format ts` is the like-for-like row), on a smaller schema because pull is slow.
 */
export async function benchPull(db, runs, pullRuns, installError) {
  progress(`introspection of ${db.tables} tables vs drizzle-kit pull: ${runs} runs (pull: ${pullRuns})`)
  const keel = await measureRounds(introspectionSpecs(db, 'pull', { formats: ['json', 'ts'] }), runs)
  const bin = peerBin('drizzle-kit', installError)
  let files = 0
  const [pull] = await measureRounds(
    [
      {
        id: 'pull.drizzle-kit',
        label: 'peer: drizzle-kit pull',
        role: 'peer',
        error: bin.error,
        fn: async () => {
          const out = mkdtempSync(join(db.tmp, 'drizzle-pull-'))
          const args = ['pull', '--dialect=postgresql', `--url=${db.url}`, `--out=${out}`]
          const run = await timedCommand(bin.path, args, { cwd: BENCH_DIR })
          files = readdirSync(out).length
          if (files === 0) throw new Error('drizzle-kit pull wrote nothing')
          return run.ms
        },
        detail: () => ({ filesWritten: files }),
      },
    ],
    pullRuns,
  )
  return [...keel, pull]
}
