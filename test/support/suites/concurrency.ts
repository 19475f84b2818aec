/**
 * Several `keel migrate` processes on one database (a server's database, a PGlite directory, a SQLite file), in its
 * dialect's SQL (dialects.ts): the runner lock lets one in at a time, so every migration is applied exactly once
 * (each inserts rows; a second application would show in the counts and the journal), every process exits 0, and
 * nobody holds the lock afterwards. A runner that finds the lock held waits, naming the holder's process, or gives
 * up after --lock-wait with LOCK_TIMEOUT. Used by test/integration/migrate/concurrency.test.ts.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { Journal } from '../../../src/migrate/journal.js'
import { runKeel, useProject, withConnection } from '../../integration/migrate/project.js'
import { assertBuilt, type Spawned, spawnKeel } from '../../integration/migrate/spawn.js'
import type { SuiteDialect, WithUrl } from './dialects.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls `check` every 25 ms until it holds; throws after `seconds` (process starts are slow under CI's load). */
async function waitUntil(what: string, check: () => Promise<boolean>, seconds = 45): Promise<void> {
  for (let i = 0; i < seconds * 40; i++) {
    if (await check()) return
    await sleep(25)
  }
  throw new Error(`timed out waiting until ${what}`)
}

/** Waits (up to 45 s, then lets the test's own expectations fail) until a spawned command's stderr matches. */
async function waitForOutput(spawned: Spawned, pattern: RegExp): Promise<void> {
  let seen = ''
  spawned.child.stderr?.on('data', (chunk) => {
    seen += String(chunk)
  })
  for (let i = 0; i < 1800 && !pattern.test(seen) && spawned.child.exitCode === null; i++) await sleep(25)
}

export function concurrencySuite(label: string, withUrl: WithUrl, dialect: SuiteDialect): void {
  describe(`keel migrate processes on one database on ${label}`, () => {
    beforeAll(() => assertBuilt())
    const project = useProject()

    const { sql } = dialect
    const args = (url: string, ...rest: string[]) => [...rest, '--config', project.config, '--url', url]
    const query = <R>(url: string, text: string) =>
      withConnection(url, (conn) => conn.query<R>(text)) as Promise<readonly R[]>
    const index = dialect.concurrentIndexBuilds ? 'a concurrent index build' : 'index builds'

    it(`${dialect.concurrentRunners} concurrent \`keel migrate\`: each migration applied once, all exit 0, also with ${index}; then rollback`, {
      timeout: 180_000,
    }, async () => {
      await withUrl(async (url) => {
        project.add('20260101000000_create_t', {
          'up.sql': `create table t (id int primary key, a int, b int);\n${sql.insertSeries('t', 'g, g % 97, g % 13', 20_000)}\n`,
          'down.sql': 'drop table t;\n',
        })
        project.add('20260102000000_index_a', {
          'up.sql': `${sql.onlineIndex('t_a_idx', 't', 'a')}\n`,
          'down.sql': 'drop index t_a_idx;\n',
        })
        project.add('20260103000000_add_c', {
          'up.sql': `alter table t add column c text;\n${sql.sleepQuery(0.3)};\n`,
          'down.sql': 'alter table t drop column c;\n',
        })
        project.add('20260104000000_index_b', {
          'up.sql': `${sql.onlineIndex('t_b_idx', 't', 'b')}\nupdate t set c = 'x' where id <= 10;\n`,
          'down.sql': 'drop index t_b_idx;\n',
        })
        const runs = Array.from({ length: dialect.concurrentRunners }, () =>
          spawnKeel(project.root, args(url, 'migrate', '--json', '--lock-wait', '120s')),
        )
        const results = await Promise.all(runs.map((r) => r.done))
        for (const result of results) expect(result.code, result.stderr).toBe(0)
        const applied = results.map((r) => JSON.parse(r.stdout).applied.map((m: { version: string }) => m.version))
        expect(applied.flat().sort()).toEqual(['20260101000000', '20260102000000', '20260103000000', '20260104000000'])
        // The runner that got the lock first applied everything; the others found nothing left.
        expect(applied.filter((versions) => versions.length === 0)).toHaveLength(dialect.concurrentRunners - 1)
        // Read on one connection: on PGlite each opening boots PostgreSQL again.
        const [rows, counts, indexes] = await withConnection(url, (conn) =>
          Promise.all([
            new Journal(conn, dialect.journalNamespace).list(),
            conn.query('select cast(count(*) as integer) as n, cast(count(c) as integer) as c from t'),
            conn.query(sql.usableIndexes),
          ]),
        )
        expect(rows.map((r) => [r.version, r.status, r.completedStatements])).toEqual([
          ['20260101000000', 'applied', 2],
          ['20260102000000', 'applied', 1],
          ['20260103000000', 'applied', 2],
          ['20260104000000', 'applied', 2],
        ])
        expect(counts).toEqual([{ n: 20_000, c: 10 }])
        expect(indexes).toEqual([{ name: 't_a_idx' }, { name: 't_b_idx' }])
        expect(await dialect.runnerLockHeld(url)).toBe(false)

        // The database the processes left is one the next commands work on.
        const rolled = await runKeel(project, url, 'rollback', '--steps', '2')
        expect(rolled.code, rolled.stderr).toBe(0)
        const status = await runKeel(project, url, 'status', '--json')
        expect(JSON.parse(status.stdout).migrations.map((m: { state: string }) => m.state)).toEqual([
          'applied',
          'applied',
          'pending',
          'pending',
        ])
        expect(await query(url, sql.usableIndexes)).toEqual([{ name: 't_a_idx' }])
      })
    })

    it('a runner that finds the lock held waits, naming the holder, or gives up after --lock-wait; nothing runs twice', {
      timeout: 120_000,
    }, async () => {
      await withUrl(async (url) => {
        // The first runner holds the lock until the test has seen the others wait: with a fixed sleep, a second CLI
        // that started slowly under load found the first already done and had nothing to wait for.
        const release = join(project.root, 'release')
        project.add('20260101000000_held', {
          'migration.mjs': [
            "import { existsSync } from 'node:fs'",
            'export async function up(db) {',
            "  await db.exec('create table hits (n int)')",
            "  await db.exec('insert into hits values (1)')",
            `  while (!existsSync(${JSON.stringify(release)})) await new Promise((r) => setTimeout(r, 25))`,
            '}',
            '',
          ].join('\n'),
        })
        project.add('20260102000000_second', { 'up.sql': 'insert into hits values (2);\n' })
        // Keel loaded in this process first (a first import costs seconds under load), then the runner to wait for.
        expect((await runKeel(project, url, 'status')).stdout).toContain('pending')
        const first = spawnKeel(project.root, args(url, 'migrate', '--json'))
        const pid = first.child.pid as number
        await waitUntil(`process ${pid} holds the runner lock`, () => dialect.holdsRunnerLock(url, pid))

        const impatient = await runKeel(project, url, 'migrate', '--lock-wait', '200ms')
        expect(impatient.code).toBe(1)
        expect(impatient.stderr).toContain('error[LOCK_TIMEOUT]')
        // The lock session's or lock file's name carries the runner's process (PostgreSQL's pid is its backend's).
        const holder = new RegExp(`"keel-(lock|run) migrate [^"/]+/${pid}" \\(pid \\d+\\) since `)
        expect(impatient.stderr).toMatch(holder)

        const patient = spawnKeel(project.root, args(url, 'migrate', '--json', '--lock-wait', '60s'))
        await waitForOutput(patient, /waiting for the migration lock/)
        writeFileSync(release, '')
        const [a, b] = await Promise.all([first.done, patient.done])
        expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0])
        expect(b.stderr).toMatch(new RegExp(`^waiting for the migration lock, held by ${holder.source}`, 'm'))
        const applied = [a, b].map((run) => JSON.parse(run.stdout).applied.map((m: { version: string }) => m.version))
        expect(applied).toEqual([['20260101000000', '20260102000000'], []])
        expect(await query(url, 'select n from hits order by n')).toEqual([{ n: 1 }, { n: 2 }])
        expect(await dialect.runnerLockHeld(url)).toBe(false)
      })
    })
  })
}
