/**
 * The CLI contract's commands on a real SQLite file, each through `main()` as a user runs it: the versioned
 * lifecycle (generate, migrate, check, rollback, status, new), the declarative ones (push, inspect, diff) that
 * must leave Keel's own tables alone, and the commands that write decisions or data: baseline, resolve,
 * reset and seed. What they did is read back with plain SQL on the file, not through Keel.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createProject, runKeel, type TestProject, withConnection } from '../migrate/project.js'

let project: TestProject
let url: string
beforeEach(() => {
  project = createProject('export default { migrations: "migrations", schema: "schema.sql", seeds: "seeds" }\n')
  url = `sqlite:${join(project.root, 'app.db')}`
})
afterEach(() => project.dispose())

const V1 = `CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE);
CREATE INDEX users_email_idx ON users (email);
`
// A new column that ALTER TABLE could add, and a CHECK that it cannot (the table is rebuilt, rows kept).
const V2 = `CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE CHECK (length(email) > 3), name TEXT NOT NULL DEFAULT '');
CREATE INDEX users_email_idx ON users (email);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, title TEXT NOT NULL);
`

const keel = (...args: string[]) => runKeel(project, url, ...args)
/** Runs a command that must succeed, with no error line. */
async function ok(...args: string[]) {
  const run = await keel(...args)
  expect(run.stdout + run.stderr, `keel ${args.join(' ')}`).not.toMatch(/✗/)
  expect(run.stderr.match(/error\[\w+\].*/)?.[0] ?? '', `keel ${args.join(' ')}`).toBe('')
  expect(run.code, `keel ${args.join(' ')}`).toBe(0)
  return run
}
const sql = <R = Record<string, unknown>>(text: string) =>
  withConnection(url, (conn) => conn.query<R>(text)) as Promise<readonly R[]>
const tables = async () =>
  (await sql<{ name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)).map((r) => r.name)
const journal = () => sql('SELECT version, status, origin FROM keel_migrations ORDER BY version')
// status exits 1 while a migration is failed: only its report is read here.
const states = async () =>
  JSON.parse((await keel('status', '--json')).stdout).migrations.map((m: { state: string }) => m.state)

describe('the CLI on a SQLite file', () => {
  it('generate → migrate → check → generate (rebuild) → migrate → rollback → migrate; new; diff and inspect leave Keel out', async () => {
    writeFileSync(join(project.root, 'schema.sql'), V1)
    // No PostgreSQL lint of SQLite's SQL: AUTOINCREMENT is no syntax error.
    const first = await ok('generate', 'create_users')
    expect(first.stderr).not.toMatch(/SQL_SYNTAX|syntax error/)
    await ok('migrate')
    await ok('check')
    await sql(`INSERT INTO users (email) VALUES ('a@example.com')`)

    writeFileSync(join(project.root, 'schema.sql'), V2)
    const generated = JSON.parse((await ok('generate', 'posts', '--json')).stdout).generated
    expect(generated).toHaveLength(1)
    expect(generated[0].steps.some((s: { rewritesTable: boolean }) => s.rewritesTable)).toBe(true)
    await ok('migrate')
    await ok('check')
    expect(await sql('SELECT id, email, name FROM users')).toEqual([{ id: 1, email: 'a@example.com', name: '' }])

    // The journal and the lock row are Keel's: neither inspect nor a diff against the file names them.
    const inspected = (await ok('inspect')).stdout
    expect(inspected).toContain('CREATE TABLE "posts"')
    expect(inspected).not.toMatch(/keel_migrations|keel_lock/)
    const diffed = await ok('diff', '--from', url, '--to', join(project.root, 'schema.sql'))
    expect(diffed.stdout.trim()).toBe('')
    expect(diffed.stderr).toContain('no differences')

    const back = await ok('rollback', '--json')
    expect(JSON.parse(back.stdout).rolledBack).toHaveLength(1)
    expect(await tables()).toEqual(['keel_lock', 'keel_migrations', 'sqlite_sequence', 'users'])
    expect(await sql('SELECT id, email FROM users')).toEqual([{ id: 1, email: 'a@example.com' }])
    await ok('migrate')
    expect(await states()).toEqual(['applied', 'applied'])
    expect(await sql('SELECT * FROM keel_lock')).toEqual([])

    await ok('new', 'hand_written')
    expect(readdirSync(project.migrations).filter((f) => f !== 'keel.sum')).toHaveLength(3)
    expect(await states()).toEqual(['applied', 'applied', 'pending'])
  })

  it('baseline adopts a pushed database: every migration marked applied, none run again', async () => {
    writeFileSync(join(project.root, 'schema.sql'), V1)
    await ok('generate', 'create_users')
    await ok('push')
    await sql(`INSERT INTO users (email) VALUES ('kept@example.com')`)
    // migrate first: what it creates is there already, and the hint says how to adopt the database.
    const refused = await keel('migrate')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/table "?users"? already exists \(SQLITE_ERROR\)/)
    expect(refused.stderr).toMatch(/^hint: .*`keel baseline --to VERSION`/m)
    const baselined = JSON.parse((await ok('baseline', '--json')).stdout)
    expect(JSON.stringify(baselined)).toContain('create_users')
    expect((await journal()).map((r) => [r.status, r.origin])).toEqual([['applied', 'baseline']])
    expect((await ok('migrate')).stdout).toContain('Nothing to migrate')
    expect(await sql('SELECT email FROM users')).toEqual([{ email: 'kept@example.com' }])
    // A baselined draft is reviewed, not applied: keel.sum takes its checksum by hand, then check is clean.
    await ok('sum', '--rehash')
    await ok('check')
  })

  it('resolve records a decision about a half-applied no-transaction migration, both ways', async () => {
    project.add('20261201000000_t', { 'up.sql': 'CREATE TABLE t (a INTEGER);\n', 'down.sql': 'DROP TABLE t;\n' })
    project.add('20261202000000_half', {
      'up.sql': '-- keel:no-transaction\nCREATE TABLE u (a INTEGER);\nINSERT INTO missing VALUES (1);\n',
    })
    const failed = await keel('migrate')
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain('error[MIGRATION_FAILED]')
    // SQLite's own code, not labelled as a SQLSTATE.
    expect(failed.stderr).toMatch(/no such table: missing \(SQLITE_ERROR\)/)
    expect(failed.stderr).not.toContain('SQLSTATE')
    expect(await states()).toEqual(['applied', 'failed'])
    // The first statement is committed: u exists although the migration failed.
    expect(await tables()).toContain('u')

    // SQLite's SQL is split, not parsed: the dialect says once that the schema cannot judge the statements.
    const rolledBack = await ok('resolve', '20261202000000', '--rolled-back')
    expect(rolledBack.stdout).toContain('SQLite: Keel does not parse SQLite statements')
    expect(rolledBack.stdout).not.toContain('cannot tell from the catalog')
    expect(await states()).toEqual(['applied', 'pending'])
    expect((await journal()).map((r) => r.version)).toEqual(['20261201000000'])

    // A person undid the half by hand and decided the rest is not needed: recorded as applied, by resolve.
    await sql('DROP TABLE u')
    await ok('resolve', '20261202000000', '--applied')
    expect((await journal()).map((r) => [r.version, r.status, r.origin])).toEqual([
      ['20261201000000', 'applied', 'migrate'],
      ['20261202000000', 'applied', 'resolve'],
    ])
    expect((await ok('migrate')).stdout).toContain('Nothing to migrate')
  })

  it('reset --force drops every table (data too) and applies every migration again; seed runs the seed files', async () => {
    project.add('20261201000000_t', {
      'up.sql': 'CREATE TABLE t (a INTEGER NOT NULL);\n',
      'down.sql': 'DROP TABLE t;\n',
    })
    await ok('migrate')
    await sql('INSERT INTO t VALUES (1)')
    await sql('CREATE TABLE stray (x INTEGER)')
    await sql('CREATE VIEW stray_v AS SELECT x FROM stray')

    const refused = await keel('reset')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('error[UNSAFE_RESET]')
    expect(await sql('SELECT a FROM t')).toEqual([{ a: 1 }])

    const reset = await ok('reset', '--force')
    expect(reset.stdout).toContain('Dropped 3 tables (keel_migrations, stray, t)')
    expect(await tables()).toEqual(['keel_lock', 'keel_migrations', 't'])
    expect(await sql(`SELECT name FROM sqlite_schema WHERE type = 'view'`)).toEqual([])
    expect(await sql('SELECT a FROM t')).toEqual([])
    expect(await sql('SELECT * FROM keel_lock')).toEqual([])
    expect((await journal()).map((r) => r.status)).toEqual(['applied'])

    mkdirSync(join(project.root, 'seeds'))
    writeFileSync(join(project.root, 'seeds', '01_t.sql'), 'INSERT INTO t VALUES (7);\nINSERT INTO t VALUES (8);\n')
    writeFileSync(join(project.root, 'seeds', '02_more.sql'), 'INSERT INTO t SELECT a + 10 FROM t;\n')
    expect((await ok('seed')).stdout).toContain('2 seed files')
    expect(await sql('SELECT a FROM t ORDER BY a')).toEqual([{ a: 7 }, { a: 8 }, { a: 17 }, { a: 18 }])
  })
})
