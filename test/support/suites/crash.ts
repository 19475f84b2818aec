/**
 * `keel migrate` SIGKILLed mid-migration, then run again, on any database a URL names (in its dialect's SQL,
 * dialects.ts): nothing is applied twice and nothing is lost. Each migration inserts its own marker row and a block
 * of filler, and creates a table, in one transaction, so that a migration applied twice or in part shows in the
 * counts; a no-transaction statement killed while it runs takes effect exactly once. A server session may go on
 * after its runner died (PostgreSQL), or the killed transaction may leave a hot journal (SQLite): either way the next
 * runner ends with each migration applied once. Used by test/integration/migrate/crash.test.ts.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { Journal } from '../../../src/migrate/journal.js'
import { runKeel, useProject, withConnection } from '../../integration/migrate/project.js'
import { assertBuilt, spawnKeel } from '../../integration/migrate/spawn.js'
import type { SuiteDialect, WithUrl } from './dialects.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls `check` every 20 ms until it holds; throws after 45 s (process starts are slow under CI's load). */
async function waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2250; i++) {
    if (await check()) return
    await sleep(20)
  }
  throw new Error(`timed out waiting until ${what}`)
}

export function crashSuite(label: string, withUrl: WithUrl, dialect: SuiteDialect): void {
  describe(`keel migrate SIGKILLed on ${label}`, () => {
    beforeAll(() => assertBuilt())
    const project = useProject()

    const { sql } = dialect
    const spawnMigrate = (url: string) => spawnKeel(project.root, ['migrate', '--config', project.config, '--url', url])
    const query = <R>(url: string, text: string, params?: readonly unknown[]) =>
      withConnection(url, (conn) => conn.query<R>(text, params)) as Promise<readonly R[]>
    const journal = (url: string) => withConnection(url, (conn) => new Journal(conn, dialect.journalNamespace).list())
    const tableExists = async (url: string, name: string) =>
      Number((await query<{ n: unknown }>(url, sql.tableExists, [name]))[0]?.n) === 1

    it("a kill inside a migration's transaction, then kills at other points: every migration applied exactly once", {
      timeout: 180_000,
    }, async () => {
      // Each migration's CREATE TABLE commits or rolls back with its rows and journal row: the counts assume it.
      expect(dialect.capabilities.transactionalDdl).toBe(true)
      await withUrl(async (url) => {
        const FILLER = 100_000
        project.add('20261201000000_tables', {
          'up.sql': 'create table hits (n integer not null);\ncreate table filler (n integer not null);\n',
        })
        // A module migration that, while the hold file exists, writes in its transaction and then waits there:
        // the test knows the runner is inside the transaction when `inside` appears.
        const hold = join(project.root, 'hold')
        const inside = join(project.root, 'inside')
        writeFileSync(hold, '')
        project.add('20261201000001_held', {
          'migration.mjs': `import { existsSync, writeFileSync } from 'node:fs'
export async function up(db) {
  await db.exec('insert into hits values (0)')
  await db.exec(${JSON.stringify(sql.insertSeries('filler', '0', 1000))})
  if (existsSync(${JSON.stringify(hold)})) {
    writeFileSync(${JSON.stringify(inside)}, '')
    await new Promise((resolve) => setTimeout(resolve, 60_000))
  }
}
`,
        })
        for (const n of [2, 3, 4, 5, 6]) {
          project.add(`2026120100000${n}_m${n}`, {
            'up.sql': `insert into hits values (${n});\n${sql.insertSeries('filler', String(n), FILLER)}\ncreate table made_by_${n} (x integer);\n`,
          })
        }

        const held = spawnMigrate(url)
        await waitUntil('the held migration started', async () => existsSync(inside))
        held.child.kill('SIGKILL')
        expect((await held.done).signal).toBe('SIGKILL')
        dialect.afterKill?.killedInTransaction(url)
        rmSync(hold)

        // Then kills at other points: at the lock, inside the SQL migrations' transactions, near a commit.
        let interrupted = 1
        for (const delay of [0, 150, 300, 450]) {
          const run = spawnMigrate(url)
          const pid = run.child.pid as number
          const finished = run.done.then(() => true)
          const locked = waitUntil(`process ${pid} holds the lock`, () => dialect.holdsRunnerLock(url, pid)).then(
            () => false,
          )
          if (await Promise.race([finished, locked])) continue
          await sleep(delay)
          run.child.kill('SIGKILL')
          if ((await run.done).signal === 'SIGKILL') interrupted++
        }
        expect(interrupted).toBeGreaterThan(1)

        const last = await runKeel(project, url, 'migrate', '--json')
        expect(last.code, last.stderr).toBe(0)
        expect(await query(url, 'select n from hits order by n')).toEqual([0, 2, 3, 4, 5, 6].map((n) => ({ n })))
        expect(await query(url, 'select n, cast(count(*) as integer) as c from filler group by n order by n')).toEqual([
          { n: 0, c: 1000 },
          ...[2, 3, 4, 5, 6].map((n) => ({ n, c: FILLER })),
        ])
        for (const n of [2, 3, 4, 5, 6]) expect(await tableExists(url, `made_by_${n}`)).toBe(true)
        expect((await journal(url)).map((r) => [r.status, r.completedStatements])).toEqual([
          ['applied', 2],
          ['applied', 0],
          ...[2, 3, 4, 5, 6].map(() => ['applied', 3]),
        ])
        // The dead runners' locks were released or taken over, and the last runner's released.
        expect(await dialect.runnerLockHeld(url)).toBe(false)
        await dialect.afterKill?.intactAfterRecovery(url)
      })
    })

    it('a kill during a statement of a no-transaction migration: the statement takes effect exactly once', {
      timeout: 120_000,
    }, async () => {
      await withUrl(async (url) => {
        project.add('20260101000000_counter', { 'up.sql': 'create table counter (n int);\n' })
        project.add('20260102000000_fill', {
          'up.sql': `-- keel:no-transaction\ninsert into counter select 1 from (${sql.sleepQuery(2)}) s;\n`,
        })
        const run = spawnMigrate(url)
        const pid = run.child.pid as number
        await waitUntil(`process ${pid} holds the lock`, () => dialect.holdsRunnerLock(url, pid))
        await waitUntil('the first migration committed', () => tableExists(url, 'counter'))
        // Where the database shows what a session runs, the kill waits for the statement; elsewhere it comes half a
        // second after the first migration's commit, inside the two seconds the statement takes.
        if (dialect.runningStatement)
          await waitUntil(
            'the insert runs',
            () => dialect.runningStatement?.(url, '%insert into counter%') ?? Promise.resolve(true),
          )
        await sleep(500)
        run.child.kill('SIGKILL')
        expect((await run.done).signal).toBe('SIGKILL')

        const again = await runKeel(project, url, 'migrate', '--json')
        expect(again.code, again.stderr).toBe(0)
        expect(await query(url, 'select cast(count(*) as integer) as n from counter')).toEqual([{ n: 1 }])
        expect((await journal(url)).map((r) => [r.version, r.status, r.completedStatements])).toEqual([
          ['20260101000000', 'applied', 1],
          ['20260102000000', 'applied', 1],
        ])
      })
    })
  })
}
