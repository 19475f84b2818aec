import { afterAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { Journal, type JournalWrite } from '../../../src/migrate/journal.js'
import { migrate } from '../../../src/migrate/runner.js'
import { DIALECTS } from '../../support/databases.js'
import { disposeTargets, useProject, withTarget } from './project.js'

// The runner sends a transaction's statements as one text (see run-transaction-unit.ts). These tests pin
// what must not change with it: which statement a failure names, what the database and journal hold
// after one, the session settings each migration sees, and a caller's own transaction.
const project = useProject()
afterAll(() => disposeTargets())

const journal = (conn: Connection) => new Journal(conn, 'public').list()
const exists = async (conn: Connection, name: string) =>
  (await conn.query<{ ok: boolean }>('select to_regclass($1) is not null as ok', [name]))[0]?.ok

describe.each(DIALECTS)('transactions sent as one text on %s', (dialect) => {
  it('name the statement of a runtime error (no server position) and leave no trace', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_ok', { 'up.sql': 'create table ok (id int);\n' })
      project.add('20260102000000_dup', {
        'up.sql': [
          'create table t (id int primary key);',
          'insert into t values (1);',
          '',
          'insert into t values (1);',
          'create table u (id int);',
        ].join('\n'),
      })
      const error = await migrate({ ...db.options, migrationsDir: project.migrations }).catch((e) => e)
      expect(error.code).toBe('MIGRATION_FAILED')
      expect(error.message).toContain('20260102000000_dup/up.sql:4: duplicate key value violates unique constraint')
      expect(error.message).toContain('nothing of this migration was committed')
      expect((await journal(db.conn)).map((r) => r.version)).toEqual(['20260101000000'])
      expect([await exists(db.conn, 't'), await exists(db.conn, 'u')]).toEqual([false, false])
    })
  })

  it('name the line of an error with a position, after trailing comments and wide characters', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_positions', {
        'up.sql': [
          '-- the first line is a comment',
          "select '😀' as smile -- a trailing comment",
          ';',
          'create table a (id int);',
          'select *',
          '  from missing_table;',
        ].join('\n'),
      })
      const error = await migrate({ ...db.options, migrationsDir: project.migrations }).catch((e) => e)
      expect(error.message).toContain('20260101000000_positions/up.sql:6: relation "missing_table" does not exist')
      expect(await exists(db.conn, 'a')).toBe(false)
      expect(await journal(db.conn)).toEqual([])
    })
  })

  it('apply a group whose error does not happen again when run statement by statement, and say so', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_sequence', { 'up.sql': 'create sequence s;\n' })
      // nextval is not rolled back: the first run divides by zero, the second by one.
      project.add('20260102000000_flaky', {
        'up.sql': "create table v (id int);\ninsert into v values (1 / (nextval('s') - 1));\n",
      })
      const notices: string[] = []
      const options = {
        ...db.options,
        migrationsDir: project.migrations,
        events: { onNotice: (t: string) => notices.push(t) },
      }
      const result = await migrate(options)
      expect(result.applied.map((m) => m.version)).toEqual(['20260101000000', '20260102000000'])
      expect(notices).toEqual([
        expect.stringMatching(
          /20260102000000_flaky\/up.sql:1-2: division by zero; when run again statement by statement/,
        ),
      ])
      expect(await db.conn.query('select id from v')).toEqual([{ id: 1 }])
      expect((await journal(db.conn)).map((r) => [r.version, r.status, r.completedStatements])).toEqual([
        ['20260101000000', 'applied', 1],
        ['20260102000000', 'applied', 2],
      ])
    })
  })

  it('give every migration fresh session settings, its own timeouts, whether they go alone or in front', async () => {
    await withTarget(dialect, async (db) => {
      const setting = (table: string) => `create table ${table} as select current_setting('lock_timeout') as v;\n`
      project.add('20260101000000_a', { 'up.sql': `create schema other;\nset search_path = other;\n${setting('s1')}` })
      project.add('20260102000000_b', { 'up.sql': setting('s2') })
      project.add('20260103000000_c', { 'up.sql': `-- keel:lock-timeout 123ms\n${setting('s3')}` })
      project.add('20260104000000_d', { 'up.sql': `set lock_timeout = '1min';\n${setting('s4')}` })
      project.add('20260105000000_e', { 'up.sql': setting('s5') })
      await migrate({ ...db.options, migrationsDir: project.migrations })
      const values = await db.conn.query<{ v: string }>(
        'select v from other.s1 union all select v from s2 union all select v from s3 union all select v from s4 union all select v from s5',
      )
      expect(values.map((r) => r.v)).toEqual(['50ms', '50ms', '123ms', '1min', '50ms'])
    })
  })

  it('nest in a caller’s transaction as savepoints, so that the caller can roll everything back', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_a', { 'up.sql': 'create table a (id int);\ninsert into a values (1);\n' })
      project.add('20260102000000_b', { 'up.sql': 'create table b (id int);\n' })
      const undo = await db.conn
        .transaction(async (tx) => {
          const result = await migrate({ ...db.options, connection: tx, migrationsDir: project.migrations })
          expect(result.applied).toHaveLength(2)
          expect(await exists(tx, 'b')).toBe(true)
          throw new Error('undo')
        })
        .catch((e) => e)
      expect(undo.message).toBe('undo')
      expect([
        await exists(db.conn, 'a'),
        await exists(db.conn, 'b'),
        await new Journal(db.conn, 'public').exists(),
      ]).toEqual([false, false, false])
    })
  })

  it('write the same journal row from inlined values as from parameters', async () => {
    await withTarget(dialect, async (db) => {
      const j = new Journal(db.conn, 'public')
      await j.ensure()
      const row = (version: string): JournalWrite => ({
        version,
        name: 'odd_text',
        checksum: 'n1:abc',
        status: 'failed',
        batch: 3,
        durationMs: 12.6,
        completedStatements: 1,
        totalStatements: 2,
        statementHashes: ['n1:x', "n1:it's"],
        error: "it's a \\backslash\\ and 😀\nnew line",
        failedStatement: "up.sql:2: select 'a\\b'",
        origin: 'migrate',
      })
      await j.insert(row('20260101000000'))
      await db.conn.exec(j.insertSql(row('20260102000000')))
      const [params, inlined] = (await j.list()).map(({ version, appliedAt, ...rest }) => rest)
      expect(inlined).toEqual(params)
    })
  })
})

describe('migrations sharing a text on postgres', () => {
  it('commit each with its row up to a failing one, name its statement, and run nothing after it', async () => {
    await withTarget('postgres', async (db) => {
      for (let i = 1; i <= 6; i++) {
        const sql =
          i === 5
            ? 'create table t5 (id int primary key);\ninsert into t5 values (1);\ninsert into t5 values (1);\n'
            : `create table t${i} (id int);\ninsert into t${i} values (${i});\n`
        project.add(`2026010${i}000000_m${i}`, { 'up.sql': sql })
      }
      const started: string[] = []
      const error = await migrate({
        ...db.options,
        migrationsDir: project.migrations,
        events: { onStart: (m) => started.push(m.version) },
      }).catch((e) => e)
      expect(error.code).toBe('MIGRATION_FAILED')
      expect(error.message).toContain('20260105000000_m5/up.sql:3: duplicate key value violates unique constraint')
      expect(error.message).toContain('nothing of this migration was committed')
      expect(started).toEqual([
        '20260101000000',
        '20260102000000',
        '20260103000000',
        '20260104000000',
        '20260105000000',
      ])
      const rows = await journal(db.conn)
      expect(rows.map((r) => [r.version, r.status, r.completedStatements])).toEqual(
        [1, 2, 3, 4].map((i) => [`2026010${i}000000`, 'applied', 2]),
      )
      expect(await exists(db.conn, 't4')).toBe(true)
      expect([await exists(db.conn, 't5'), await exists(db.conn, 't6')]).toEqual([false, false])
      // Fixed, the run goes on from the failed one.
      project.add('20260105000000_m5', {
        'up.sql': 'create table t5 (id int primary key);\ninsert into t5 values (1);\n',
      })
      const result = await migrate({ ...db.options, migrationsDir: project.migrations })
      expect(result.applied.map((m) => m.version)).toEqual(['20260105000000', '20260106000000'])
      expect(await db.conn.query('select count(*)::int as n from t6')).toEqual([{ n: 1 }])
    })
  })

  it('retry a migration of the text that hit a lock timeout, after the pause, once the lock is free', async () => {
    await withTarget('postgres', async (db) => {
      await db.conn.exec('create table held (id int)')
      project.add('20260101000000_a', { 'up.sql': 'create table a (id int);\n' })
      project.add('20260102000000_b', { 'up.sql': 'create table b (id int);\n' })
      project.add('20260103000000_c', { 'up.sql': 'alter table held add column c int;\ncreate table c (id int);\n' })
      project.add('20260104000000_d', { 'up.sql': 'create table d (id int);\n' })
      const holder = await openDatabase(db.options.url, 'holder')
      const notices: string[] = []
      try {
        await holder.exec('begin; lock table held in access share mode')
        const run = migrate({
          ...db.options,
          migrationsDir: project.migrations,
          events: {
            onNotice: (text) => {
              notices.push(text)
              if (notices.length === 1) void holder.exec('commit')
            },
          },
        })
        const result = await run
        expect(result.applied.map((m) => m.version)).toEqual([
          '20260101000000',
          '20260102000000',
          '20260103000000',
          '20260104000000',
        ])
      } finally {
        await holder.close()
      }
      // As when it runs alone: a lock timeout has no position, so the notice names the transaction's lines.
      expect(notices[0]).toContain('20260103000000_c/up.sql:1-2: canceling statement due to lock timeout')
      expect((await journal(db.conn)).map((r) => [r.version, r.status])).toEqual(
        ['01', '02', '03', '04'].map((d) => [`202601${d}000000`, 'applied']),
      )
      expect(
        await db.conn.query("select count(*)::int as n from information_schema.columns where table_name = 'held'"),
      ).toEqual([{ n: 2 }])
    })
  })
})

describe('timeouts in a transaction sent as one text, on postgres', () => {
  it('never run a transaction again after a statement timeout: the failure names its lines', async () => {
    await withTarget('postgres', async (db) => {
      project.add('20260101000000_seq', { 'up.sql': 'create sequence seq;\n' })
      project.add('20260102000000_slow', {
        'up.sql': "-- keel:statement-timeout 100ms\nselect nextval('seq');\nselect pg_sleep(1);\n",
      })
      const error = await migrate({ ...db.options, migrationsDir: project.migrations }).catch((e) => e)
      expect(error.message).toContain('20260102000000_slow/up.sql:2-3: canceling statement due to statement timeout')
      expect(error.message).toContain('nothing of this migration was committed')
      // nextval is not rolled back: it ran once.
      expect(await db.conn.query('select last_value::int as n from seq')).toEqual([{ n: 1 }])
      expect((await journal(db.conn)).map((r) => r.version)).toEqual(['20260101000000'])
    })
  })

  it('retry after the pause, statement by statement, with the migration’s settings back in place', async () => {
    await withTarget('postgres', async (db) => {
      await db.conn.exec('create table busy (id int)')
      project.add('20260101000000_a', { 'up.sql': '-- keel:lock-timeout 200ms\ncreate table a (id int);\n' })
      project.add('20260102000000_b', { 'up.sql': 'create table b (id int);\n' })
      // The same settings as a: they travel in front of this transaction, and a rollback must restore them.
      project.add('20260103000000_c', {
        'up.sql':
          "-- keel:lock-timeout 200ms\nalter table busy add column note text;\ncreate table c as select current_setting('lock_timeout') as v;\n",
      })
      const holder = await openDatabase(db.options.url)
      try {
        await holder.exec('begin; lock table busy in access share mode')
        const notices: string[] = []
        // The lock goes once the runner has given way (not after a fixed time, which a loaded machine overruns).
        const options = {
          ...db.options,
          migrationsDir: project.migrations,
          events: {
            onNotice: (t: string) => {
              if (notices.push(t) === 1) void holder.exec('commit')
            },
          },
        }
        expect((await migrate(options)).applied).toHaveLength(3)
        expect(notices[0]).toMatch(
          /20260103000000_c\/up.sql:2-3: canceling statement due to lock timeout after [0-9.]+s.*; retrying in [0-9.]+s \(try 2, /,
        )
        expect(await db.conn.query('select v from c')).toEqual([{ v: '200ms' }])
      } finally {
        await holder.close()
      }
    })
  })

  it('without retries, fail naming the lines of the transaction and leave no trace', async () => {
    await withTarget('postgres', async (db) => {
      await db.conn.exec('create table busy (id int)')
      project.add('20260101000000_c', {
        'up.sql': '-- keel:lock-timeout 100ms\ncreate table c (id int);\nalter table busy add column note text;\n',
      })
      const holder = await openDatabase(db.options.url)
      try {
        await holder.exec('begin; lock table busy in access share mode')
        const error = await migrate({ ...db.options, migrationsDir: project.migrations, lockRetries: 0 }).catch(
          (e) => e,
        )
        expect(error.message).toContain('20260101000000_c/up.sql:2-3: canceling statement due to lock timeout')
        expect(error.message).toContain('nothing of this migration was committed')
        expect(await exists(db.conn, 'c')).toBe(false)
        expect(await journal(db.conn)).toEqual([])
      } finally {
        await holder.close()
      }
    })
  })
})
