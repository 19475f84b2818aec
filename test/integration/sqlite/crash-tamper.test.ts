/**
 * The migration runner's crash, concurrency and tamper cases on a SQLite file. A runner SIGKILLed at
 * several points (during its lock, inside a migration's transaction, around its commit) leaves a file
 * that the next runner brings to exactly-once: each migration inserts its own marker row and a block of
 * filler in one transaction, so a migration applied twice or half would show in the counts. (A second runner
 * waiting for the lock, and an applied migration edited or removed: the shared suites
 * test/support/suites/concurrency.ts and tamper.ts, which run on SQLite too.)
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createProject, runKeel, type TestProject, withConnection } from '../migrate/project.js'
import { assertBuilt, spawnKeel } from '../migrate/spawn.js'

let project: TestProject
let file: string
let url: string
beforeAll(() => assertBuilt())
beforeEach(() => {
  project = createProject()
  file = join(project.root, 'app.db')
  url = `sqlite:${file}`
})
afterEach(() => project.dispose())

const keel = (...args: string[]) => runKeel(project, url, ...args)
const spawnMigrate = (...rest: string[]) =>
  spawnKeel(project.root, ['migrate', '--config', project.config, '--url', url, ...rest])
const sql = <R = Record<string, unknown>>(text: string) =>
  withConnection(url, (conn) => conn.query<R>(text)) as Promise<readonly R[]>
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A migration with a marker row and `filler` rows, in one transaction (a few hundred ms of work). */
function addCounted(n: number, filler: number): void {
  project.add(`2026120100000${n}_m${n}`, {
    'up.sql': `INSERT INTO hits VALUES (${n});
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${filler}) INSERT INTO filler SELECT ${n} FROM c;
CREATE TABLE made_by_${n} (x INTEGER);
`,
  })
}

/** Waits until a runner of process `pid` holds the lock row (read on a connection of its own). */
async function waitForLockOf(pid: number | undefined): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const rows = await withConnection(url, (conn) =>
      conn.query<{ pid: number }>(`SELECT pid FROM keel_lock WHERE id = 1`).catch(() => []),
    )
    if (rows.some((r) => Number(r.pid) === pid)) return
    await sleep(20)
  }
  throw new Error(`process ${pid} never took the lock`)
}

describe('SIGKILL on SQLite', () => {
  it("a kill inside a migration's transaction, then kills at other points: every migration applied exactly once", {
    timeout: 120_000,
  }, async () => {
    const FILLER = 100_000
    project.add('20261201000000_tables', {
      'up.sql': 'CREATE TABLE hits (n INTEGER NOT NULL);\nCREATE TABLE filler (n INTEGER NOT NULL);\n',
    })
    // A module migration that, while the hold file exists, writes in its transaction and then waits there:
    // the test knows the runner is inside the transaction when `inside` appears.
    const hold = join(project.root, 'hold')
    const inside = join(project.root, 'inside')
    writeFileSync(hold, '')
    project.add('20261201000001_held', {
      'migration.mjs': `import { existsSync, writeFileSync } from 'node:fs'
export async function up(db) {
  await db.exec('INSERT INTO hits VALUES (0)')
  await db.exec('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000) INSERT INTO filler SELECT 0 FROM c')
  if (existsSync(${JSON.stringify(hold)})) {
    writeFileSync(${JSON.stringify(inside)}, '')
    await new Promise((resolve) => setTimeout(resolve, 60_000))
  }
}
`,
    })
    for (const n of [2, 3, 4, 5, 6]) addCounted(n, FILLER)

    const held = spawnMigrate()
    for (let i = 0; !existsSync(inside); i++) {
      if (i > 1000) throw new Error('the held migration never started')
      await sleep(20)
    }
    held.child.kill('SIGKILL')
    expect((await held.done).signal).toBe('SIGKILL')
    // The killed transaction left its rollback journal (a hot journal): the next opener rolls it back.
    expect(existsSync(`${file}-journal`)).toBe(true)
    rmSync(hold)

    // Then kills at other points: at the lock, inside the SQL migrations' transactions, near a commit.
    let interrupted = 1
    for (const delay of [0, 150, 300, 450]) {
      const run = spawnMigrate()
      const finished = run.done.then(() => true)
      const locked = waitForLockOf(run.child.pid).then(() => false)
      if (await Promise.race([finished, locked])) continue
      await sleep(delay)
      run.child.kill('SIGKILL')
      if ((await run.done).signal === 'SIGKILL') interrupted++
    }
    expect(interrupted).toBeGreaterThan(1)

    const last = await keel('migrate', '--json')
    expect(last.code, last.stderr).toBe(0)
    expect(await sql('SELECT n FROM hits ORDER BY n')).toEqual([0, 2, 3, 4, 5, 6].map((n) => ({ n })))
    expect(await sql('SELECT n, count(*) AS c FROM filler GROUP BY n ORDER BY n')).toEqual([
      { n: 0, c: 1000 },
      ...[2, 3, 4, 5, 6].map((n) => ({ n, c: FILLER })),
    ])
    expect(await sql(`SELECT count(*) AS c FROM sqlite_schema WHERE name LIKE 'made\\_by\\_%' ESCAPE '\\'`)).toEqual([
      { c: 5 },
    ])
    expect(await sql('SELECT status, completed_statements AS done FROM keel_migrations ORDER BY version')).toEqual([
      { status: 'applied', done: 2 },
      { status: 'applied', done: 0 },
      ...[2, 3, 4, 5, 6].map(() => ({ status: 'applied', done: 3 })),
    ])
    // The dead runners' lock rows were taken over and released; the hot journals rolled back.
    expect(await sql('SELECT * FROM keel_lock')).toEqual([])
    expect(await sql('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }])
    expect(existsSync(`${file}-journal`)).toBe(false)
  })
})
