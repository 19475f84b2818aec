/**
 * The SQLite runner lock row on real files: a row is taken over only when its holder is provably dead (its
 * process gone, or its pid reused by a process that started later), never when it is alive or of another host;
 * an earlier Keel's keel_lock (no identity columns) is upgraded in place; unlock deletes only its own row.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { sqliteLockRow } from '../../../src/dialect/sqlite/runner/lock-row.js'
import { currentProcess, processStart } from '../../../src/dialect/sqlite/runner/process-identity.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-sqlite-lock-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let n = 0
let conns: Connection[] = []
let url: string
beforeEach(() => {
  url = `sqlite:${join(dir, `lock-${++n}.db`)}`
})
afterEach(async () => {
  for (const c of conns) await c.close()
  conns = []
})
const open = async () => {
  const conn = await openDatabase(url)
  conns.push(conn)
  return conn
}

/** Writes a lock row as another runner would have, with this host's facts unless overridden. */
async function plant(conn: Connection, row: Partial<Record<'pid' | 'host' | 'start' | 'boot', string | number>>) {
  const me = currentProcess()
  await sqliteLockRow.tryLock(conn, 'probe') // creates the table
  await conn.exec('DELETE FROM keel_lock')
  await conn.query(
    `INSERT INTO keel_lock (id, pid, holder, since, host, machine, boot, pidns, start, token)
     VALUES (1, $1, 'keel migrate (other)', '2026-12-01T00:00:00.000Z', $2, $3, $4, $5, $6, 'theirs')`,
    [row.pid, row.host ?? me.host, me.machine, row.boot ?? me.boot, me.pidns, row.start ?? null],
  )
}
const lockRows = (conn: Connection) =>
  conn.query<{ holder: string; token: string }>('SELECT holder, token FROM keel_lock')

describe.runIf(process.platform === 'linux')('SQLite lock row takeover', () => {
  it('waits for a live holder, and takes over from a dead one or one whose pid was reused', async () => {
    const conn = await open()
    const child = spawn('sleep', ['30'])
    try {
      const pid = child.pid as number
      await plant(conn, { pid, start: processStart(pid) as string })
      expect(await sqliteLockRow.tryLock(conn, 'me')).toBe(false)
      expect((await sqliteLockRow.holder(conn))?.pid).toBe(pid)
      // The same pid, but the row says its holder started at another time: a later process reused the pid.
      await plant(conn, { pid, start: '1' })
      expect(await sqliteLockRow.tryLock(conn, 'me')).toBe(true)
      expect(await lockRows(conn)).toEqual([{ holder: 'me', token: expect.not.stringMatching(/^theirs$/) }])
      await sqliteLockRow.unlock(conn)
    } finally {
      child.kill()
    }
    const exited = spawnSync(process.execPath, ['-e', '']).pid
    await plant(conn, { pid: exited, start: '1' })
    expect(await sqliteLockRow.tryLock(conn, 'me')).toBe(true)
    await sqliteLockRow.unlock(conn)
    expect(await lockRows(conn)).toEqual([])
  })

  it('never takes over a row of another host, and names that host', async () => {
    const conn = await open()
    await plant(conn, { pid: spawnSync(process.execPath, ['-e', '']).pid, host: `not-${hostname()}` })
    expect(await sqliteLockRow.tryLock(conn, 'me')).toBe(false)
    expect((await sqliteLockRow.holder(conn))?.applicationName).toBe(`keel migrate (other) on not-${hostname()}`)
    // unlock of a session that holds nothing deletes nothing.
    await sqliteLockRow.unlock(conn)
    expect(await lockRows(conn)).toHaveLength(1)
  })

  it("upgrades an earlier Keel's keel_lock in place; its row is taken over when its pid is gone", async () => {
    const conn = await open()
    await conn.exec(
      'CREATE TABLE keel_lock (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, holder TEXT NOT NULL, since TEXT NOT NULL)',
    )
    const exited = spawnSync(process.execPath, ['-e', '']).pid
    await conn.query(`INSERT INTO keel_lock VALUES (1, $1, 'old', '2026-01-01T00:00:00Z')`, [exited])
    const other = await open()
    expect(await sqliteLockRow.tryLock(conn, 'me')).toBe(true)
    // A second runner (another session) waits for the first.
    expect(await sqliteLockRow.tryLock(other, 'second')).toBe(false)
    await sqliteLockRow.unlock(conn)
    expect(await sqliteLockRow.tryLock(other, 'second')).toBe(true)
    await sqliteLockRow.unlock(other)
  })
})
