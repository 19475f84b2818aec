import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { Journal } from '../../../src/migrate/journal.js'
import { resolve } from '../../../src/migrate/resolve.js'
import { rollback } from '../../../src/migrate/rollback.js'
import { migrate } from '../../../src/migrate/runner.js'
import { DIALECTS } from '../../support/databases.js'
import { disposeTargets, useProject, withTarget } from './project.js'

const project = useProject()
afterAll(() => disposeTargets())

const journal = (conn: Connection) => new Journal(conn, 'public').list()
const exists = async (conn: Connection, name: string) =>
  (await conn.query<{ ok: boolean }>('select to_regclass($1) is not null as ok', [name]))[0]?.ok

describe.each(DIALECTS)('runner on %s', (dialect) => {
  it('applies in order, skips what is applied, rolls back the last batch', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_create_users', {
        'up.sql':
          "create table users (id int primary key, email text);\ninsert into users values (1, 'a'), (2, 'b');\n",
        'down.sql': 'drop table users;\n',
      })
      project.add('20260102000000_index_email', {
        'up.sql': 'create index concurrently users_email_idx on users (email);\n',
        'down.sql': 'drop index concurrently users_email_idx;\n',
      })
      project.add('20260103000000_module', {
        'migration.ts': [
          'export async function up(db) {',
          "  await db.exec('create table notes (id int)')",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a migration module
          "  await db.sql`insert into ${db.ident('notes')} values (${7})`",
          '}',
          "export async function down(db) { await db.exec('drop table notes') }",
        ].join('\n'),
      })
      const options = { ...db.options, migrationsDir: project.migrations }
      const first = await migrate(options)
      expect(first.applied.map((m) => m.version)).toEqual(['20260101000000', '20260102000000', '20260103000000'])
      expect(first.batch).toBe(1)
      {
        const conn = db.conn
        expect((await journal(conn)).map((r) => [r.version, r.status, r.batch, r.completedStatements])).toEqual([
          ['20260101000000', 'applied', 1, 2],
          ['20260102000000', 'applied', 1, 1],
          ['20260103000000', 'applied', 1, 0],
        ])
        expect(await conn.query('select * from notes')).toEqual([{ id: 7 }])
      }
      expect((await migrate(options)).applied).toEqual([])
      const back = await rollback(options)
      expect(back.rolledBack.map((m) => m.version)).toEqual(['20260103000000', '20260102000000', '20260101000000'])
      {
        const conn = db.conn
        expect(await journal(conn)).toEqual([])
        expect(await exists(db.conn, 'users')).toBe(false)
      }
    })
  })

  it('names file and line of a failing statement and leaves no trace of a transactional migration', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_ok', { 'up.sql': 'create table a (id int);\n' })
      project.add('20260102000000_broken', {
        'up.sql':
          '-- a comment\ncreate table b (id int);\n\ninsert into b values (1);\ninsert into missing_table values (1);\n',
      })
      const options = { ...db.options, migrationsDir: project.migrations }
      const error = await migrate(options).catch((e) => e)
      expect(error.code).toBe('MIGRATION_FAILED')
      expect(error.message).toContain('20260102000000_broken/up.sql:5:')
      expect(error.message).toContain('relation "missing_table" does not exist')
      expect(error.message).toContain('nothing of this migration was committed')
      {
        const conn = db.conn
        expect((await journal(conn)).map((r) => r.version)).toEqual(['20260101000000'])
        expect(await exists(db.conn, 'b')).toBe(false)
      }
    })
  })

  it('refuses a syntax error in a later migration before applying an earlier one', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_ok', { 'up.sql': 'create table a (id int);\n' })
      project.add('20260102000000_typo', { 'up.sql': 'create table b (id int);\ncreat table c (id int);\n' })
      const error = await migrate({ ...db.options, migrationsDir: project.migrations }).catch((e) => e)
      expect(error.code).toBe('SQL_SYNTAX')
      expect(error.message).toMatch(/20260102000000_typo\/up.sql:2: syntax error at or near "creat"/)
      {
        const conn = db.conn
        expect(await journal(conn)).toEqual([])
        expect(await exists(db.conn, 'a')).toBe(false)
      }
    })
  })

  it('resumes a failed mixed migration after the committed statements, rebuilding an invalid index', async () => {
    await withTarget(dialect, async (db) => {
      const dir = project.add('20260101000000_mixed', {
        'up.sql': [
          'create table t (id int, code text);',
          "insert into t values (1, 'x'), (2, 'x');",
          'create unique index concurrently t_code_key on t (code);',
          'alter table t add column note text;',
        ].join('\n'),
      })
      const options = { ...db.options, migrationsDir: project.migrations }
      const error = await migrate(options).catch((e) => e)
      expect(error.code).toBe('MIGRATION_FAILED')
      expect(error.message).toContain('up.sql:3:')
      expect(error.message).toContain('2 of 4 statements are committed')
      {
        const conn = db.conn
        const [row] = await journal(conn)
        expect([row?.status, row?.completedStatements, row?.totalStatements]).toEqual(['failed', 2, 4])
        expect(row?.error).toContain('could not create unique index')
        const [index] = await conn.query<{ valid: boolean }>(
          "select indisvalid as valid from pg_index where indexrelid = 't_code_key'::regclass",
        )
        expect(index?.valid).toBe(false)
        await conn.exec("update t set code = 'y' where id = 2")
      }
      const notices: string[] = []
      const result = await migrate({ ...options, events: { onNotice: (text) => notices.push(text) } })
      expect(result.applied).toMatchObject([{ version: '20260101000000', resumedAt: 3 }])
      expect(notices.join('\n')).toContain('INVALID')
      {
        const conn = db.conn
        const [row] = await journal(conn)
        expect([row?.status, row?.completedStatements, row?.error]).toEqual(['applied', 4, undefined])
        const [index] = await conn.query<{ valid: boolean }>(
          "select indisvalid as valid from pg_index where indexrelid = 't_code_key'::regclass",
        )
        expect(index?.valid).toBe(true)
        expect(await conn.query('select count(*)::int as n from t')).toEqual([{ n: 2 }])
      }
      // An edit of a committed statement is refused on resume; here the migration is applied, so it is tamper.
      writeFileSync(join(dir, 'up.sql'), 'create table t (id bigint);\n')
      project.rehash()
      expect((await migrate(options).catch((e) => e)).code).toBe('CHECKSUM_MISMATCH')
    })
  })

  it('never resumes a no-transaction TypeScript migration that stopped part-way', async () => {
    await withTarget(dialect, async (db) => {
      const dir = project.add('20260101000000_module', {
        'migration.ts': [
          '// keel:no-transaction',
          'export async function up(db) {',
          "  await db.exec('create table m (id int)')",
          "  throw new Error('network blip')",
          '}',
        ].join('\n'),
      })
      const options = { ...db.options, migrationsDir: project.migrations }
      const failed = await migrate(options).catch((e) => e)
      expect([failed.code, failed.message]).toEqual([
        'MIGRATION_FAILED',
        '20260101000000_module/migration.ts: up failed: network blip',
      ])
      const [row] = await journal(db.conn)
      expect([row?.status, row?.error]).toEqual([
        'failed',
        '20260101000000_module/migration.ts: up failed: network blip',
      ])
      writeFileSync(
        join(dir, 'migration.ts'),
        "// keel:no-transaction\nexport async function up(db) { await db.exec('create table if not exists m (id int)') }\n",
      )
      project.rehash()
      expect((await migrate(options).catch((e) => e)).code).toBe('PARTIAL_MIGRATION')
      expect((await resolve({ ...options, version: '20260101000000', decision: 'rolled-back' })).action).toBe('removed')
      expect((await migrate(options)).applied).toHaveLength(1)
    })
  })

  it('detects tamper and out-of-order migrations before doing anything; resolve accepts a reviewed edit', async () => {
    await withTarget(dialect, async (db) => {
      const first = project.add('20260102000000_a', { 'up.sql': 'create table a (id int);\n' })
      const options = { ...db.options, migrationsDir: project.migrations }
      await migrate(options)
      project.add('20260101000000_older', { 'up.sql': 'create table older (id int);\n' })
      project.add('20260103000000_newer', { 'up.sql': 'create table newer (id int);\n' })
      const outOfOrder = await migrate(options).catch((e) => e)
      expect(outOfOrder.code).toBe('OUT_OF_ORDER')
      expect(outOfOrder.message).toContain('20260101000000_older')
      expect(await exists(db.conn, 'newer')).toBe(false)
      expect((await migrate({ ...options, allowOutOfOrder: true })).applied.map((m) => m.version)).toEqual([
        '20260101000000',
        '20260103000000',
      ])
      writeFileSync(join(first, 'up.sql'), 'create table a (id bigint);\n')
      project.rehash()
      project.add('20260104000000_d', { 'up.sql': 'create table d (id int);\n' })
      const tamper = await migrate(options).catch((e) => e)
      expect(tamper.code).toBe('CHECKSUM_MISMATCH')
      expect(tamper.message).toContain('20260102000000_a was edited after it was applied')
      expect(tamper.hint).toContain('keel resolve 20260102000000 --applied')
      expect(await exists(db.conn, 'd')).toBe(false)
      // After review, a person accepts the edit; the next migrate goes on.
      expect((await resolve({ ...options, version: '20260102000000', decision: 'applied' })).action).toBe(
        'marked-applied',
      )
      expect((await migrate(options)).applied.map((m) => m.version)).toEqual(['20260104000000'])
    })
  })
})

describe('runner settings on postgres', () => {
  it('retries a statement that hit lock_timeout, then succeeds once the lock is free', async () => {
    await withTarget('postgres', async (db) => {
      await db.conn.exec('create table busy (id int)')
      project.add('20260101000000_alter_busy', {
        'up.sql': '-- keel:lock-timeout 200ms\nalter table busy add column note text;\n',
      })
      const holder = await openDatabase(db.options.url)
      try {
        await holder.exec('begin; lock table busy in access share mode')
        // The lock is let go once the first retry's notice is out, not after a fixed time: under load, a timer could
        // free it before the first try ended, or before the probe that names the holder ran (then no holder to name).
        let released: Promise<void> | undefined
        const notices: string[] = []
        const result = await migrate({
          ...db.options,
          migrationsDir: project.migrations,
          events: {
            onNotice: (t) => {
              notices.push(t)
              released ??= holder.exec('commit')
            },
          },
        })
        await released
        expect(result.applied).toHaveLength(1)
        expect(notices[0]).toMatch(
          /up.sql:2: canceling statement due to lock timeout after [0-9.]+s, the lock held by pid \d+ .*; retrying in [0-9.]+s \(try 2, /,
        )
      } finally {
        await holder.close()
      }
    })
  })

  it('applies statement_timeout per migration and keeps the journal in its own schema', async () => {
    await withTarget('postgres', async (db) => {
      project.add('20260101000000_slow', { 'up.sql': '-- keel:statement-timeout 100ms\nselect pg_sleep(1);\n' })
      const options = { ...db.options, migrationsDir: project.migrations, journalSchema: 'keel_meta' }
      const error = await migrate(options).catch((e) => e)
      expect(error.code).toBe('MIGRATION_FAILED')
      expect(error.message).toContain('up.sql:2: canceling statement due to statement timeout')
      expect(await new Journal(db.conn, 'keel_meta').exists()).toBe(true)
      expect(await journal(db.conn)).toEqual([])
    })
  })
})
