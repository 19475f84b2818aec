/**
 * A MariaDB migration resumed on a new session, after a failure or a SIGKILL half-way: the session settings its
 * committed statements made are made again first (SET SESSION TRANSACTION with several characteristics too), a
 * user variable set from a function is never set twice (the function may write), and a rest that reads session
 * state Keel cannot make again (`SELECT ... INTO @x`) is refused with PARTIAL_MIGRATION instead of run without it.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { Journal } from '../../../src/migrate/journal.js'
import { withMysqlDatabase } from '../../support/databases.js'
import { projectsDisposedAfterAll, runKeel, type TestProject } from './project.js'
import { assertBuilt, heldAlterSessions, killedWhileAlterWaits, spawnKeel, waitFor } from './spawn.js'

const project = projectsDisposedAfterAll()

/** A function with a side effect: each call leaves a row in `calls`. */
async function createBump(conn: Connection): Promise<void> {
  await conn.exec('CREATE TABLE calls (id INT AUTO_INCREMENT PRIMARY KEY)')
  await conn.exec(
    'CREATE FUNCTION bump() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO calls VALUES (NULL); RETURN (SELECT COUNT(*) FROM calls); END',
  )
}

const callCount = async (conn: Connection) =>
  Number((await conn.query<{ n: number }>('SELECT COUNT(*) AS n FROM calls'))[0]?.n)

describe('a MariaDB migration resumed on a new session', () => {
  it('makes its session settings again, and never sets a user variable from a function twice', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      await createBump(conn)
      const p = project()
      const up = (insert: string) =>
        [
          'SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE;',
          "SET @tag = 'v2';",
          'SET @n = bump();',
          'CREATE TABLE seen (iso VARCHAR(40), tag VARCHAR(10));',
          insert,
        ].join('\n')
      const dir = p.add('20260101000000_seen', { 'up.sql': up("INSERT INTO seen VALUES (@@tx_isolation, @tag, 'x');") })
      const failed = await runKeel(p, url, 'migrate')
      expect(failed.code).toBe(1)
      expect(failed.stderr).toContain('4 of 5 statements are committed')
      expect(await callCount(conn)).toBe(1)

      writeFileSync(join(dir, 'up.sql'), up('INSERT INTO seen VALUES (@@tx_isolation, @tag);'))
      p.rehash()
      const resumed = await runKeel(p, url, 'migrate', '--json')
      expect(resumed.code, resumed.stderr).toBe(0)
      expect(JSON.parse(resumed.stdout).applied).toMatchObject([{ version: '20260101000000', resumedAt: 5 }])
      // The isolation level (both characteristics) and the literal were set again on the new session; bump() was not.
      expect(await conn.query('SELECT iso, tag FROM seen')).toEqual([{ iso: 'SERIALIZABLE', tag: 'v2' }])
      expect(await callCount(conn)).toBe(1)
    })
  })

  it('refuses a rest that reads a variable SELECT ... INTO set, and keel resolve takes it from there', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      await createBump(conn)
      const p = project()
      const up = (insert: string) =>
        ['SELECT bump() INTO @n;', 'CREATE TABLE c (n INT);', insert, 'CREATE TABLE d (id INT);'].join('\n')
      const dir = p.add('20260101000000_c', { 'up.sql': up("INSERT INTO c VALUES (@n, 'x');") })
      expect((await runKeel(p, url, 'migrate')).code).toBe(1)

      writeFileSync(join(dir, 'up.sql'), up('INSERT INTO c VALUES (@n);'))
      p.rehash()
      const refused = await runKeel(p, url, 'migrate')
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(
        /^error\[PARTIAL_MIGRATION\]: 20260101000000_c: cannot resume on a new session: line 1 \(statement 1\), committed before the migration stopped, made @n \(SELECT \.\.\. INTO: SELECT bump\(\) INTO @n\), and line 3 \(statement 3\), still to run, reads it/m,
      )
      expect(refused.stderr).toContain('run statements 3 to 4 by hand in one session')
      expect(refused.stderr).toContain('`keel resolve 20260101000000 --applied`')
      // Nothing ran: not the INSERT with a NULL for @n, nor bump() again.
      expect(await conn.query('SELECT n FROM c')).toEqual([])
      expect(await callCount(conn)).toBe(1)
      const [entry] = await new Journal(conn, 'public').list()
      expect(entry).toMatchObject({ status: 'failed', completedStatements: 2 })

      // A person finishes it by hand in one session, and records that.
      await conn.exec('SET @n = 1; INSERT INTO c VALUES (@n); CREATE TABLE d (id INT)')
      expect((await runKeel(p, url, 'resolve', '20260101000000', '--applied')).code).toBe(0)
      expect((await runKeel(p, url, 'status')).stdout).toContain('1 migration: 1 applied.')
    })
  })

  it('after a SIGKILL while a DDL statement waited for a lock: settings made again, the function not called again', async () => {
    assertBuilt()
    await withMysqlDatabase(async ({ url, conn }) => {
      await createBump(conn)
      await conn.exec('CREATE TABLE held (id INT PRIMARY KEY)')
      const p = project()
      p.add('20260101000000_held', {
        'up.sql': [
          'SET SESSION TRANSACTION READ WRITE, ISOLATION LEVEL READ COMMITTED;',
          "SET @tag = 'v3';",
          'SET @n = bump();',
          'ALTER TABLE held ADD COLUMN v INT;',
          'CREATE TABLE seen (iso VARCHAR(40), tag VARCHAR(10));',
          'INSERT INTO seen VALUES (@@tx_isolation, @tag);',
        ].join('\n'),
      })
      // A reader's open transaction holds the table's metadata lock, so the ALTER waits server-side.
      await killedWhileAlterWaits(url, conn, () => spawnKeel(p.root, args(p, url, 'migrate')))
      // The orphaned ALTER finishes once the reader is gone; the resume finds it done in the catalog.
      await waitFor(async () => (await heldAlterSessions(conn)).length === 0)
      const resumed = await runKeel(p, url, 'migrate')
      expect(resumed.code, resumed.stderr).toBe(0)
      expect(await conn.query('SELECT iso, tag FROM seen')).toEqual([{ iso: 'READ-COMMITTED', tag: 'v3' }])
      expect(await callCount(conn)).toBe(1)
      expect(await conn.query('SELECT status, completed_statements AS n FROM keel_migrations')).toEqual([
        { status: 'applied', n: 6 },
      ])
    })
  }, 60_000)
})

const args = (p: TestProject, url: string, ...rest: string[]) => [...rest, '--config', p.config, '--url', url]
