import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { createDatabaseSql, serverVersionNum } from './server-stats.mjs'
import { progress } from './stats.mjs'

/** The server to benchmark against; its maintenance database is used to create and drop the others. */
export const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

const created = new Set()
// Set once dropAllDatabases starts (the end, a failure, Ctrl-C): a measurement still running when a signal comes
// would otherwise create its next database after the clean-up had dropped the others, and leave it behind.
let stopping = false
/** CREATE DATABASEs sent and not answered yet: a DROP IF EXISTS sent meanwhile finds nothing to drop. */
const inFlight = new Set()
const runId = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`
let counter = 0

/** The URL of database `name` on the benchmark server. */
export function databaseUrl(name) {
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return url.toString()
}

/** Runs SQL (any number of statements) on a database and closes the connection. */
export async function execSql(url, sql) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await client.query(sql)
  } finally {
    await client.end()
  }
}

/**
 * Runs a generated script in batches of `size` statements (split at `;` + newline, as the generators write
 * them), each its own transaction. One simple-query message is one transaction, and 10,000 tables in one
 * transaction need more locks than a default server's lock table holds ("out of shared memory").
 */
export async function execSqlInBatches(url, sql, size = 500) {
  const statements = sql.split(/;\n/).filter((s) => s.trim() !== '')
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    for (let i = 0; i < statements.length; i += size)
      await client.query(`${statements.slice(i, i + size).join(';\n')};`)
  } finally {
    await client.end()
  }
}

/** The server's version string (`15.10`). */
export async function serverVersion() {
  const result = await execSql(ADMIN_URL, 'show server_version')
  return result.rows[0].server_version
}

let versionNum
/** The server's server_version_num (150010), asked once: the SQL of server-stats.mjs is chosen by it. */
export async function serverVersionNumber() {
  versionNum ??= serverVersionNum((sql) => execSql(ADMIN_URL, sql))
  return versionNum
}

/**
 * Creates a uniquely named database (empty, or a copy of `template`, which nobody may be connected to)
 * and remembers it, so that `dropAllDatabases` removes it even when the benchmark fails half-way.
 * Names carry the process id and a random part, so parallel runs never collide. Labels are [a-z0-9_].
 * `strategy` (PostgreSQL 15+): `file_copy` copies the template's files and checkpoints, instead of writing the whole
 * copy through the WAL (the default, `wal_log`); PostgreSQL 14 has no choice and copies the files.
 */
export async function createDatabase(label, { template, strategy } = {}) {
  if (stopping) throw new Error('the benchmark is stopping: no new database')
  counter += 1
  const name = `keel_bench_${runId}_${label}_${counter}`
  created.add(name)
  const creating = (async () =>
    execSql(ADMIN_URL, createDatabaseSql(name, { template: template?.name, strategy }, await serverVersionNumber())))()
  inFlight.add(creating)
  try {
    await creating
  } finally {
    inFlight.delete(creating)
  }
  return { name, url: databaseUrl(name) }
}

/** Drops one database made by `createDatabase` (forcing out any session a killed tool left behind). */
export async function dropDatabase(db) {
  await execSql(ADMIN_URL, `DROP DATABASE IF EXISTS "${db.name}" WITH (FORCE)`)
  created.delete(db.name)
}

/** Drops every database this process created and has not dropped yet; reports but survives failures. */
export async function dropAllDatabases() {
  stopping = true
  await Promise.allSettled([...inFlight])
  for (const name of [...created]) {
    try {
      await dropDatabase({ name })
    } catch (error) {
      progress(`could not drop database ${name}: ${error.message}`)
    }
  }
}

/** Creates a database, runs `fn` with it, and drops it whatever happens. */
export async function withDatabase(label, fn) {
  const db = await createDatabase(label)
  try {
    return await fn(db)
  } finally {
    await dropDatabase(db)
  }
}
