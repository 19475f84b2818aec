/**
 * The runner on MariaDB, where DDL commits implicitly: a migration runs statement by statement with its
 * progress in the journal, a failure half-way is shown as such and resumes after a fix, the runner lock is
 * GET_LOCK and a waiting runner names its holder, and the other commands work on it.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { mysqlNamedLock } from '../../../src/dialect/mysql/runner/lock.js'
import { chainStatementHashes, committedStatementsProof } from '../../../src/migrate/checksum.js'
import { readMigrationsDirectory } from '../../../src/migrate/directory.js'
import { Journal } from '../../../src/migrate/journal.js'
import { prepareStatements } from '../../../src/migrate/prepare-statements.js'
import { withMysqlDatabase } from '../../support/databases.js'
import { projectsDisposedAfterAll, runKeel } from '../migrate/project.js'

const project = projectsDisposedAfterAll()

describe('the runner on MariaDB', () => {
  it('a migration failing at its third statement leaves a journal that says so, and resumes after the fix', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      const p = project()
      const dir = p.add('20260101000000_shop', {
        'up.sql': [
          'CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL);',
          "INSERT INTO items VALUES (1, 'one');",
          'ALTER TABLE items ADD COLUMN price INT NOT NULL DEFAULT 0, ADD COLUMN price INT;',
          'UPDATE items SET price = 5;',
          'CREATE INDEX items_price ON items (price);',
        ].join('\n'),
        'down.sql': 'DROP TABLE items;',
      })
      const failed = await runKeel(p, url, 'migrate')
      expect(failed.code).toBe(1)
      expect(failed.stderr).toMatch(/up\.sql:3: Duplicate column name 'price'/)
      expect(failed.stderr).toContain('2 of 5 statements are committed')
      const [entry] = await new Journal(conn, 'public').list()
      expect(entry).toMatchObject({ status: 'failed', completedStatements: 2, totalStatements: 5 })
      expect(entry?.failedStatement).toMatch(/up\.sql:3: ALTER TABLE items ADD COLUMN price/)
      const status = await runKeel(p, url, 'status')
      expect(status.stdout).toMatch(/20260101000000_shop\s+failed .*up\.sql:3: Duplicate column name 'price'/)

      // The fix: only the failing statement and what follows it change; the committed prefix is checked by hash.
      writeFileSync(
        join(dir, 'up.sql'),
        [
          'CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL);',
          "INSERT INTO items VALUES (1, 'one');",
          'ALTER TABLE items ADD COLUMN price INT NOT NULL DEFAULT 0;',
          'UPDATE items SET price = 5;',
          'CREATE INDEX items_price ON items (price);',
        ].join('\n'),
      )
      p.rehash()
      const resumed = await runKeel(p, url, 'migrate', '--json')
      expect(resumed.code, resumed.stderr).toBe(0)
      expect(JSON.parse(resumed.stdout).applied).toMatchObject([{ version: '20260101000000', resumedAt: 3 }])
      // The INSERT ran once: had the resume started over, CREATE TABLE would have failed first.
      expect(await conn.query('SELECT id, name, price FROM items')).toEqual([{ id: 1, name: 'one', price: 5 }])
      const [done] = await new Journal(conn, 'public').list()
      expect(done).toMatchObject({ status: 'applied', completedStatements: 5 })

      // An edit of the committed prefix is refused.
      writeFileSync(join(dir, 'up.sql'), 'CREATE TABLE items2 (id INT);')
      p.rehash()
      expect((await runKeel(p, url, 'status')).stdout).toContain('CHANGED after it was applied')
    })
  })

  it('a first migrate whose table exists already (the database was pushed) points at keel baseline', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      await conn.exec('CREATE TABLE items (id INT PRIMARY KEY)')
      const p = project()
      p.add('20260101000000_items', { 'up.sql': 'CREATE TABLE items (id INT PRIMARY KEY);\n' })
      const failed = await runKeel(p, url, 'migrate')
      expect(failed.code).toBe(1)
      expect(failed.stderr).toMatch(/Table 'items' already exists/)
      expect(failed.stderr).toContain('keel baseline --to VERSION')
    })
  })

  it('the journal records each DDL statement as it commits, and DML together with its progress', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      const p = project()
      p.add('20260101000000_a', {
        'up.sql':
          "CREATE TABLE a (id INT PRIMARY KEY);\nINSERT INTO a VALUES (1);\nINSERT INTO a VALUES (2);\nINSERT INTO a VALUES ('x');",
      })
      const failed = await runKeel(p, url, 'migrate')
      expect(failed.code).toBe(1)
      // The two INSERTs before the failing one shared its transaction: rolled back with it, and not counted.
      const [entry] = await new Journal(conn, 'public').list()
      expect(entry).toMatchObject({ status: 'failed', completedStatements: 1 })
      expect(await conn.query('SELECT COUNT(*) AS n FROM a')).toEqual([{ n: 0 }])
    })
  })

  it('a resume after a SET sql_mode runs that SET again first, so the routine keeps its mode (issue 9)', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      const p = project()
      // As Keel writes a routine under its own sql_mode (dialect/mysql/render.ts).
      p.add('20260101000000_routine', {
        'up.sql': [
          "SET @keel_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = 'ANSI_QUOTES';",
          'CREATE PROCEDURE answer() SELECT 42;',
          'SET SESSION sql_mode = @keel_sql_mode;',
        ].join('\n'),
      })
      expect((await runKeel(p, url, 'migrate')).code).toBe(0)
      const modeOf = async () =>
        (
          await conn.query<{ mode: string }>(
            "SELECT SQL_MODE AS mode FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'answer'",
          )
        ).map((r) => r.mode)
      expect(await modeOf()).toEqual(['ANSI_QUOTES'])

      // As if killed after the SET committed and was journaled, before the CREATE ran.
      await conn.exec('DROP PROCEDURE answer')
      const migration = readMigrationsDirectory(p.migrations).migrations[0]
      if (migration?.up.kind !== 'sql') throw new Error('no SQL migration')
      const statements = await prepareStatements(migration.up.file, migration.up.text, 'mysql')
      const hashes = JSON.stringify(committedStatementsProof(chainStatementHashes(statements.map((s) => s.hash)), 1))
      await conn.query(
        "UPDATE keel_migrations SET status = 'partial', completed_statements = 1, statement_hashes = $1 WHERE version = '20260101000000'",
        [hashes],
      )
      const resumed = await runKeel(p, url, 'migrate', '--json')
      expect(resumed.code, resumed.stderr).toBe(0)
      expect(JSON.parse(resumed.stdout).applied).toMatchObject([{ version: '20260101000000', resumedAt: 2 }])
      expect(await modeOf()).toEqual(['ANSI_QUOTES'])
      const [entry] = await new Journal(conn, 'public').list()
      expect(entry).toMatchObject({ status: 'applied', completedStatements: 3, totalStatements: 3 })
    })
  })

  it('a DDL statement the journal lags behind is judged from the catalog, or the runner stops for keel resolve', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      const p = project()
      p.add('20260101000000_a', {
        'up.sql':
          'CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\nALTER TABLE a ADD COLUMN x INT, ADD INDEX a_x (x);',
      })
      p.add('20260102000000_b', { 'up.sql': 'CREATE TABLE c (id INT);\nALTER TABLE c MODIFY id BIGINT;' })
      expect((await runKeel(p, url, 'migrate')).code).toBe(0)
      // As if killed right after each migration's last statement committed, before its journal write.
      const lag = async (version: string, completed: number) => {
        const migration = readMigrationsDirectory(p.migrations).migrations.find((m) => m.version === version)
        if (migration?.up.kind !== 'sql') throw new Error(`no SQL migration ${version}`)
        const statements = await prepareStatements(migration.up.file, migration.up.text, 'mysql')
        const chains = chainStatementHashes(statements.map((s) => s.hash))
        const hashes = JSON.stringify(committedStatementsProof(chains, completed))
        await conn.query(
          "UPDATE keel_migrations SET status = 'partial', completed_statements = $2, statement_hashes = $3 WHERE version = $1",
          [version, completed, hashes],
        )
      }
      await lag('20260101000000', 2)
      await conn.exec("DELETE FROM keel_migrations WHERE version = '20260102000000'")
      await conn.exec('DROP TABLE c')
      const resumed = await runKeel(p, url, 'migrate')
      expect(resumed.code, resumed.stderr).toBe(0)
      expect(resumed.stderr).toMatch(
        /up\.sql:3: every change of this ALTER TABLE a is in the catalog; recording it as done/,
      )
      await lag('20260102000000', 1)
      const stopped = await runKeel(p, url, 'migrate')
      expect(stopped.code).toBe(1)
      expect(stopped.stderr).toMatch(
        /^error\[PARTIAL_MIGRATION\]: .*up\.sql:2: statement 2 runs outside a transaction/m,
      )
      expect(stopped.stderr).toContain('keel resolve 20260102000000 --through 2')
      expect((await runKeel(p, url, 'resolve', '20260102000000', '--through', '2')).code).toBe(0)
      expect((await runKeel(p, url, 'migrate')).code).toBe(0)
      expect((await runKeel(p, url, 'status')).stdout).toContain('2 migrations: 2 applied.')
    })
  })

  it('a second runner waiting for the lock names its holder, then gives up with LOCK_TIMEOUT', async () => {
    await withMysqlDatabase(async ({ url }) => {
      const p = project()
      p.add('20260101000000_a', { 'up.sql': 'CREATE TABLE a (id INT);' })
      const holder = await openDatabase(url, 'keel-lock migrate otherhost/4242')
      try {
        expect(await mysqlNamedLock.tryLock(holder, 'keel-lock migrate otherhost/4242')).toBe(true)
        const waiting = await runKeel(p, url, 'migrate', '--lock-wait', '1s')
        expect(waiting.code).toBe(1)
        expect(waiting.stderr).toMatch(/^error\[LOCK_TIMEOUT\]: gave up after .* waiting for the migration lock/m)
        const id = (holder as unknown as { sessionId: number }).sessionId
        expect(waiting.stderr).toContain(`(pid ${id})`)
        expect(waiting.stderr).toMatch(/held by "(keel-lock migrate otherhost\/4242 from )?root@/)
      } finally {
        await holder.close()
      }
      expect((await runKeel(p, url, 'migrate')).code).toBe(0)
    })
  })

  it('status, rollback, resolve, baseline and reset', async () => {
    await withMysqlDatabase(async ({ url, conn }) => {
      const p = project()
      p.add('20260101000000_a', {
        'up.sql': 'CREATE TABLE a (id INT PRIMARY KEY);\nINSERT INTO a VALUES (1);',
        'down.sql': 'DROP TABLE a;',
      })
      expect((await runKeel(p, url, 'migrate')).code).toBe(0)
      // A second batch, which rollback undoes alone.
      p.add('20260102000000_b', {
        'up.sql':
          'DELIMITER //\nCREATE PROCEDURE add_b()\nBEGIN\n  INSERT INTO a VALUES (2);\nEND //\nDELIMITER ;\nCALL add_b();',
        'down.sql': 'DROP PROCEDURE add_b;\nDELETE FROM a WHERE id = 2;',
      })
      const migrated = await runKeel(p, url, 'migrate')
      expect(migrated.code, migrated.stderr).toBe(0)
      expect(await conn.query('SELECT id FROM a ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }])
      const rolled = await runKeel(p, url, 'rollback')
      expect(rolled.code, rolled.stderr).toBe(0)
      expect(await conn.query('SELECT id FROM a ORDER BY id')).toEqual([{ id: 1 }])
      expect((await runKeel(p, url, 'status')).stdout).toMatch(/20260102000000_b\s+pending/)
      expect((await runKeel(p, url, 'resolve', '20260102000000', '--applied')).code).toBe(0)
      expect((await runKeel(p, url, 'status')).stdout).toMatch(/20260102000000_b\s+applied .*by resolve/)
      const reset = await runKeel(p, url, 'reset', '--force')
      expect(reset.code, reset.stderr).toBe(0)
      expect(await conn.query('SELECT id FROM a ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }])
      await conn.exec('DROP TABLE keel_migrations')
      const baseline = await runKeel(p, url, 'baseline', '--to', '20260101000000')
      expect(baseline.code, baseline.stderr).toBe(0)
      expect((await runKeel(p, url, 'status')).stdout).toMatch(/20260101000000_a\s+applied .*by baseline/)
    })
  })
})
