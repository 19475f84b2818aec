import { afterAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { readMigrationsDirectory } from '../../../src/migrate/directory.js'
import { Journal } from '../../../src/migrate/journal.js'
import { prepareStatements } from '../../../src/migrate/prepare-statements.js'
import { readStatus } from '../../../src/migrate/read-status.js'
import { resolve } from '../../../src/migrate/resolve.js'
import { migrate } from '../../../src/migrate/runner.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'
import { disposeTargets, useProject, withTarget } from './project.js'

// Statements PostgreSQL refuses in a transaction block commit without their journal record. When the
// runner may have stopped at one, the catalog decides, and where it cannot, Keel stops and a person
// decides with `keel resolve --through N`.

const project = useProject()
afterAll(() => disposeTargets())

const journal = (conn: Connection) => new Journal(conn, 'public').list()

/** Writes the journal row a runner stopped after `completed` statements of `id` would leave: `partial`. */
async function interruptedAt(conn: Connection, id: string, completed: number): Promise<void> {
  const migration = readMigrationsDirectory(project.migrations).migrations.find((m) => m.id === id)
  if (migration === undefined || migration.up.kind !== 'sql') throw new Error(`no SQL migration ${id}`)
  const statements = await prepareStatements(migration.up.file, migration.up.text, conn.dialect)
  const j = new Journal(conn, 'public')
  await j.ensure()
  await j.insert({
    version: migration.version,
    name: migration.name,
    checksum: migration.checksum,
    status: 'partial',
    batch: 1,
    durationMs: 0,
    completedStatements: completed,
    totalStatements: statements.length,
    statementHashes: statements.slice(0, completed).map((s) => s.hash),
    error: undefined,
    failedStatement: undefined,
    origin: 'migrate',
  })
}

describe.each(DIALECTS)('statements that run outside a transaction, on %s', (dialect) => {
  it('stops rather than build an index twice when the catalog cannot tell; resolve --through decides', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_things', { 'up.sql': 'create table things (a int);\n' })
      project.add('20260102000000_index', {
        'up.sql': '-- keel:no-transaction\ninsert into things values (1);\ncreate index concurrently on things (a);\n',
      })
      const options = { ...db.options, migrationsDir: project.migrations }
      await migrate({ ...options, to: '20260101000000' })
      // A runner that stopped at statement 2: and two indexes of its shape were built since the journal's
      // last write (someone else built one by hand meanwhile), so which one is the statement's?
      await db.conn.exec('insert into things values (1)')
      await interruptedAt(db.conn, '20260102000000_index', 1)
      await db.conn.exec('create index on things (a); create index on things (a)')

      const error = await migrate(options).catch((e) => e)
      expect(error.code).toBe('PARTIAL_MIGRATION')
      expect(error.message).toContain('20260102000000_index/up.sql:3: statement 2 runs outside a transaction')
      expect(error.hint).toContain('keel resolve 20260102000000 --through 2')
      expect(error.hint).toContain('--through 1')
      // Nothing ran: still two indexes, one row.
      const indexes = await db.conn.query("select 1 from pg_indexes where tablename = 'things'")
      expect(indexes).toHaveLength(2)

      // Statement 2 did not take effect (say): the next migrate runs it, without asking the catalog again.
      const decided = await resolve({ ...options, version: '20260102000000', decision: { through: 1 } })
      expect(decided.action).toBe('marked-partial')
      const status = await readStatus(options)
      expect(status.states.find((s) => s.kind === 'partial')).toBeDefined()
      const result = await migrate(options)
      expect(result.applied).toMatchObject([{ version: '20260102000000', resumedAt: 2 }])
      expect(await db.conn.query("select 1 from pg_indexes where tablename = 'things'")).toHaveLength(3)
      expect(await db.conn.query('select count(*)::int as n from things')).toEqual([{ n: 1 }])
      expect((await journal(db.conn)).map((r) => [r.version, r.status, r.completedStatements, r.origin])).toEqual([
        ['20260101000000', 'applied', 1, 'migrate'],
        ['20260102000000', 'applied', 2, 'migrate'],
      ])

      // --through outside what the journal and the file allow is refused.
      const bad = await resolve({ ...options, version: '20260102000000', decision: { through: 5 } }).catch((e) => e)
      expect(bad.code).toBe('USAGE')
    })
  })

  it('runs again alone what PostgreSQL refuses in a transaction but parsing cannot see (REINDEX of a partitioned table)', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_parts', {
        'up.sql': [
          'create table p (a int) partition by range (a);',
          'create table p1 partition of p for values from (0) to (10);',
          'create index p_a_idx on p (a);',
          'insert into p values (1), (2);',
        ].join('\n'),
      })
      project.add('20260102000000_reindex', {
        'up.sql': '-- keel:no-transaction\nreindex table p;\ninsert into p values (3);\n',
      })
      const notices: string[] = []
      const options = {
        ...db.options,
        migrationsDir: project.migrations,
        events: { onNotice: (t: string) => notices.push(t) },
      }
      const result = await migrate(options)
      expect(result.applied.map((m) => m.version)).toEqual(['20260101000000', '20260102000000'])
      expect(notices.join('\n')).toContain(
        '20260102000000_reindex/up.sql:2: PostgreSQL refuses it in a transaction block (REINDEX TABLE cannot run inside a transaction block); running it alone',
      )
      expect(await db.conn.query('select count(*)::int as n from p')).toEqual([{ n: 3 }])
      expect((await journal(db.conn)).map((r) => [r.status, r.completedStatements])).toEqual([
        ['applied', 4],
        ['applied', 2],
      ])
    })
  })

  it('a resume runs the rest under the session settings the committed statements made', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_app', {
        'up.sql': [
          '-- keel:no-transaction',
          'create schema app;',
          'set search_path to app;',
          'create table first (id int);',
          'select 1 / (select count(*) from first);',
          'create table second (id int);',
        ].join('\n'),
      })
      const options = { ...db.options, migrationsDir: project.migrations }
      expect((await migrate(options).catch((e) => e)).code).toBe('MIGRATION_FAILED')
      await db.conn.exec('insert into app.first values (1)')
      const result = await migrate(options)
      expect(result.applied).toMatchObject([{ resumedAt: 4 }])
      const tables = await db.conn.query<{ name: string }>(
        "select schemaname || '.' || tablename as name from pg_tables where tablename in ('first', 'second') order by 1",
      )
      expect(tables.map((t) => t.name)).toEqual(['app.first', 'app.second'])
    })
  })

  it('records as done a DROP INDEX CONCURRENTLY whose index is gone after an interruption', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_things', {
        'up.sql': 'create table things (a int);\ncreate index things_a on things (a);\n',
      })
      project.add('20260102000000_drop', {
        'up.sql': '-- keel:no-transaction\ndrop index concurrently things_a;\ninsert into things values (1);\n',
      })
      const options = { ...db.options, migrationsDir: project.migrations }
      await migrate({ ...options, to: '20260101000000' })
      await interruptedAt(db.conn, '20260102000000_drop', 0)
      await db.conn.exec('drop index things_a')
      const notices: string[] = []
      await migrate({ ...options, events: { onNotice: (t) => notices.push(t) } })
      expect(notices.join('\n')).toContain('index things_a is already absent; recording it as done')
      expect(await db.conn.query('select count(*)::int as n from things')).toEqual([{ n: 1 }])
    })
  })
})

describe('statements that run outside a transaction, on postgres only', () => {
  it('CREATE DATABASE found after an interruption is recorded as done, not run again', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      const name = `keel_test_created_${process.pid}_${Date.now()}`
      project.add('20260101000000_db', { 'up.sql': `-- keel:no-transaction\ncreate database ${name};\n` })
      const options = { url, migrationsDir: project.migrations }
      await interruptedAt(conn, '20260101000000_db', 0)
      await conn.exec(`create database ${name}`)
      try {
        const notices: string[] = []
        await migrate({ ...options, events: { onNotice: (t) => notices.push(t) } })
        expect(notices.join('\n')).toContain(`database ${name} is already present; recording it as done`)
        expect((await journal(conn)).map((r) => r.status)).toEqual(['applied'])
      } finally {
        await conn.exec(`drop database if exists ${name}`)
      }
    })
  })

  it('finishes a DETACH PARTITION CONCURRENTLY that stopped between its transactions', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      project.add('20260101000000_parts', {
        'up.sql': [
          'create table p (a int) partition by range (a);',
          'create table p1 partition of p for values from (0) to (10);',
          'create table p2 partition of p for values from (10) to (20);',
        ].join('\n'),
      })
      project.add('20260102000000_detach', {
        'up.sql':
          '-- keel:no-transaction\n-- keel:lock-timeout 300ms\nalter table p detach partition p2 concurrently;\ninsert into p values (1);\n',
      })
      const options = { url, migrationsDir: project.migrations, lockRetries: 0 }
      await migrate({ ...options, to: '20260101000000' })
      // A reader holding a snapshot of p makes the detach's second transaction wait, and time out.
      const reader = await openDatabase(url, 'reader')
      try {
        await reader.exec('begin; select * from p')
        const error = await migrate(options).catch((e) => e)
        expect(error.code).toBe('MIGRATION_FAILED')
        const pending = await conn.query<{ pending: boolean }>(
          "select inhdetachpending as pending from pg_inherits where inhrelid = 'p2'::regclass",
        )
        expect(pending).toEqual([{ pending: true }])
      } finally {
        await reader.exec('rollback').catch(() => {})
        await reader.close()
      }
      const notices: string[] = []
      await migrate({ ...options, events: { onNotice: (t) => notices.push(t) } })
      expect(notices.join('\n')).toContain('partition p2 of p is pending detach')
      expect(await conn.query("select 1 from pg_inherits where inhrelid = 'p2'::regclass")).toEqual([])
      expect((await journal(conn)).map((r) => [r.status, r.completedStatements])).toEqual([
        ['applied', 3],
        ['applied', 2],
      ])
    })
  })
})
