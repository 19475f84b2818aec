/**
 * Several `keel migrate` processes on one SQLite file: the lock row lets one runner at a time in, so every
 * migration is applied exactly once (each inserts a row; a second application would insert it twice), and
 * the lock is gone afterwards. Then status, rollback and migrate again work on the same file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { runKeel } from '../../support/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-sqlite-processes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('SQLite runner', () => {
  it('applies each migration exactly once when four processes migrate one file', async () => {
    for (const i of [1, 2, 3]) {
      const folder = join(dir, 'migrations', `2026120100000${i}_m${i}`)
      mkdirSync(folder, { recursive: true })
      writeFileSync(
        join(folder, 'up.sql'),
        `${i === 1 ? 'CREATE TABLE hits (n INTEGER);\n' : ''}INSERT INTO hits VALUES (${i});\n`,
      )
      writeFileSync(join(folder, 'down.sql'), i === 1 ? 'DROP TABLE hits;\n' : `DELETE FROM hits WHERE n = ${i};\n`)
    }
    expect((await runKeel(['sum', '--rehash'], { cwd: dir })).code).toBe(0)
    const url = 'sqlite:app.db'
    const runs = await Promise.all([1, 2, 3, 4].map(() => runKeel(['migrate', '--url', url], { cwd: dir })))
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0])
    const conn = await openDatabase(`sqlite:${join(dir, 'app.db')}`)
    try {
      expect(await conn.query('select n from hits order by n')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])
      expect(await conn.query(`select version, status from keel_migrations order by version`)).toEqual([
        { version: '20261201000001', status: 'applied' },
        { version: '20261201000002', status: 'applied' },
        { version: '20261201000003', status: 'applied' },
      ])
      expect(await conn.query('select * from keel_lock')).toEqual([])
    } finally {
      await conn.close()
    }
    const rolled = await runKeel(['rollback', '--url', url, '--steps', '2'], { cwd: dir })
    expect(rolled.code).toBe(0)
    const status = await runKeel(['status', '--url', url, '--json'], { cwd: dir })
    expect(JSON.parse(status.stdout).migrations.map((m: { state: string }) => m.state)).toEqual([
      'applied',
      'pending',
      'pending',
    ])
  })
})
