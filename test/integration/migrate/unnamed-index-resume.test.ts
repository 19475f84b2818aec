import { afterAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { type Migration, readMigrationsDirectory } from '../../../src/migrate/directory.js'
import { Journal, type JournalEntry } from '../../../src/migrate/journal.js'
import { migrate } from '../../../src/migrate/runner.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'
import { disposeTargets, runKeel, useProject, withTarget } from './project.js'
import { assertBuilt, spawnKeel } from './spawn.js'

// A CREATE INDEX CONCURRENTLY without a name gets its name from the server (things_a_lower_idx, or
// things_a_lower_idx1 when that is taken); the runner must find its INVALID leftover by that name.

const project = useProject()
afterAll(() => disposeTargets())

const journal = (conn: Connection) => new Journal(conn, 'public').list()

/** The indexes of `table` by name, with their validity and uniqueness. */
const indexesOf = (conn: Connection, table: string) =>
  conn.query<{ name: string; valid: boolean; unique: boolean }>(
    `select c.relname as name, i.indisvalid as valid, i.indisunique as "unique"
       from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = to_regclass($1) order by 1`,
    [table],
  )

const UNIQUE_UNNAMED = [
  '-- keel:no-transaction',
  'create unique index concurrently on things (a, lower(b));',
  'insert into things values (3, $$z$$);',
].join('\n')

describe.each(DIALECTS)('an unnamed concurrent index on %s', (dialect) => {
  it('rebuilds the INVALID index a failed build left, under the name the server chose', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_things', {
        'up.sql': "create table things (a int, b text);\ninsert into things values (1, 'x'), (1, 'X');\n",
      })
      project.add('20260102000000_unique', { 'up.sql': UNIQUE_UNNAMED })
      const options = { ...db.options, migrationsDir: project.migrations }
      const error = await migrate(options).catch((e) => e)
      expect(error.code).toBe('MIGRATION_FAILED')
      expect(error.message).toContain('could not create unique index "things_a_lower_idx"')
      expect(await indexesOf(db.conn, 'things')).toEqual([{ name: 'things_a_lower_idx', valid: false, unique: true }])

      await db.conn.exec("update things set b = 'y' where b = 'X'")
      const notices: string[] = []
      const result = await migrate({ ...options, events: { onNotice: (text) => notices.push(text) } })
      expect(result.applied).toMatchObject([{ version: '20260102000000', resumedAt: 1 }])
      expect(notices.join('\n')).toContain('index public.things_a_lower_idx is INVALID')
      expect(await indexesOf(db.conn, 'things')).toEqual([{ name: 'things_a_lower_idx', valid: true, unique: true }])
      const rows = await journal(db.conn)
      expect(rows.map((r) => [r.version, r.status, r.completedStatements])).toEqual([
        ['20260101000000', 'applied', 2],
        ['20260102000000', 'applied', 2],
      ])
    })
  })

  it('finds the leftover under a pass number and leaves a valid twin alone', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_things', {
        'up.sql': [
          'create table things (a int, b text);',
          "insert into things values (1, 'x'), (1, 'X');",
          // Takes the base name, so that the unique build below is things_a_lower_idx1.
          'create index on things (a, lower(b));',
        ].join('\n'),
      })
      project.add('20260102000000_unique', { 'up.sql': UNIQUE_UNNAMED })
      const options = { ...db.options, migrationsDir: project.migrations }
      expect((await migrate(options).catch((e) => e)).code).toBe('MIGRATION_FAILED')
      expect(await indexesOf(db.conn, 'things')).toEqual([
        { name: 'things_a_lower_idx', valid: true, unique: false },
        { name: 'things_a_lower_idx1', valid: false, unique: true },
      ])

      await db.conn.exec("update things set b = 'y' where b = 'X'")
      await migrate(options)
      expect(await indexesOf(db.conn, 'things')).toEqual([
        { name: 'things_a_lower_idx', valid: true, unique: false },
        { name: 'things_a_lower_idx1', valid: true, unique: true },
      ])
    })
  })

  it('stops rather than guess when several INVALID indexes fit, and drops none of them', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_things', {
        'up.sql': "create table things (a int, b text);\ninsert into things values (1, 'x'), (1, 'X');\n",
      })
      project.add('20260102000000_unique', { 'up.sql': UNIQUE_UNNAMED })
      const options = { ...db.options, migrationsDir: project.migrations }
      expect((await migrate(options).catch((e) => e)).code).toBe('MIGRATION_FAILED')
      // Someone tries the same statement by hand; it fails the same way and leaves a second one.
      await expect(db.conn.exec('create unique index concurrently on things (a, lower(b))')).rejects.toThrow()
      const leftovers = [
        { name: 'things_a_lower_idx', valid: false, unique: true },
        { name: 'things_a_lower_idx1', valid: false, unique: true },
      ]
      expect(await indexesOf(db.conn, 'things')).toEqual(leftovers)

      await db.conn.exec("update things set b = 'y' where b = 'X'")
      const error = await migrate(options).catch((e) => e)
      expect(error.code).toBe('MIGRATION_FAILED')
      expect(error.message).toContain(
        'INVALID indexes public.things_a_lower_idx, public.things_a_lower_idx1 each fit this CREATE INDEX CONCURRENTLY without a name',
      )
      expect(error.message).toContain('drop them with DROP INDEX CONCURRENTLY')
      expect(await indexesOf(db.conn, 'things')).toEqual(leftovers)
      const [, row] = await journal(db.conn)
      expect([row?.status, row?.completedStatements]).toEqual(['failed', 0])
      expect(row?.error).toContain('each fit this CREATE INDEX CONCURRENTLY without a name')

      await db.conn.exec('drop index things_a_lower_idx; drop index things_a_lower_idx1')
      await migrate(options)
      expect(await indexesOf(db.conn, 'things')).toEqual([{ name: 'things_a_lower_idx', valid: true, unique: true }])
    })
  })

  it('records an interrupted build that completed as done, but never an older twin of it', async () => {
    await withTarget(dialect, async (db) => {
      project.add('20260101000000_things', {
        'up.sql': [
          'create table things (a int, b text);',
          "insert into things values (1, 'x'), (2, 'y');",
          'create index on things (a, lower(b));',
        ].join('\n'),
      })
      project.add('20260102000000_twin', {
        'up.sql': [
          '-- keel:no-transaction',
          'create index concurrently on things (a, lower(b));',
          'insert into things values (3, $$z$$);',
        ].join('\n'),
      })
      const options = { ...db.options, migrationsDir: project.migrations }
      // The runner journals a statement's progress right after it commits. Losing that write (as a
      // SIGKILL between the two would) leaves the row `partial` before the statement, index built.
      await new Journal(db.conn, 'public').ensure()
      await db.conn.exec(`
        create function lose_progress() returns trigger language plpgsql as $$
        begin
          if new.version = '20260102000000' and new.completed_statements = 1 then raise exception 'progress lost'; end if;
          return new;
        end $$;
        create trigger lose_progress before update on keel_migrations for each row execute function lose_progress();`)
      expect(String(await migrate(options).catch((e) => e))).toContain('progress lost')
      await db.conn.exec('drop trigger lose_progress on keel_migrations; drop function lose_progress()')
      const [, row] = await journal(db.conn)
      expect([row?.status, row?.completedStatements]).toEqual(['partial', 0])
      // The twin from the first migration is older than the journal row, so it is not this statement's.
      expect(await indexesOf(db.conn, 'things')).toEqual([
        { name: 'things_a_lower_idx', valid: true, unique: false },
        { name: 'things_a_lower_idx1', valid: true, unique: false },
      ])

      const notices: string[] = []
      const result = await migrate({ ...options, events: { onNotice: (text) => notices.push(text) } })
      expect(result.applied).toMatchObject([{ version: '20260102000000', resumedAt: 1 }])
      expect(notices.join('\n')).toContain('index public.things_a_lower_idx1 is already present; recording it as done')
      expect((await indexesOf(db.conn, 'things')).map((i) => i.name)).toEqual([
        'things_a_lower_idx',
        'things_a_lower_idx1',
      ])
      expect(await db.conn.query('select count(*)::int as n from things')).toEqual([{ n: 3 }])

      // A runner killed right after writing the row of the next migration, before its statement: the
      // twins are older than that row, so the statement still runs and builds a third index.
      project.add('20260103000000_triplet', {
        'up.sql': '-- keel:no-transaction\ncreate index concurrently on things (a, lower(b));\n',
      })
      const triplet = readMigrationsDirectory(project.migrations).migrations[2] as Migration
      await new Journal(db.conn, 'public').insert({
        ...(row as JournalEntry),
        version: triplet.version,
        name: triplet.name,
        checksum: triplet.checksum,
        status: 'partial',
        completedStatements: 0,
        totalStatements: 1,
        statementHashes: [],
      })
      expect((await migrate(options)).applied).toMatchObject([{ version: '20260103000000', resumedAt: 1 }])
      expect((await indexesOf(db.conn, 'things')).map((i) => i.name)).toEqual([
        'things_a_lower_idx',
        'things_a_lower_idx1',
        'things_a_lower_idx2',
      ])
    })
  })
})

// A killed runner needs a server and a process of its own. The index expression sleeps 10ms a row, so
// the build takes about two seconds and the kill lands in the middle of it.
describe('an unnamed concurrent index whose runner was killed, on postgres', () => {
  const setup = {
    'up.sql': [
      'create function slow_id(v int) returns int language plpgsql immutable as $$ begin perform pg_sleep(0.01); return v; end $$;',
      'create table things (a int, b text);',
      "insert into things select g, 'x' from generate_series(1, 200) g;",
    ].join('\n'),
  }
  const build = { 'up.sql': '-- keel:no-transaction\ncreate index concurrently on things (slow_id(a));\n' }

  /** Starts `keel migrate` and kills it with SIGKILL while the server builds the index; returns the backend's pid. */
  async function killMidBuild(url: string, conn: Connection): Promise<number> {
    const run = spawnKeel(project.root, ['migrate', '--config', project.config, '--url', url])
    for (let i = 0; i < 200; i++) {
      const [found] = await conn.query<{ pid: number }>(
        `select pid from pg_stat_activity where datname = current_database() and application_name like 'keel-run %'
            and query like 'create index concurrently%' and state = 'active'`,
      )
      if (found !== undefined) {
        await new Promise((r) => setTimeout(r, 300))
        run.child.kill('SIGKILL')
        await run.done
        return Number(found.pid)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    run.child.kill('SIGKILL')
    throw new Error(`the index build never started: ${(await run.done).stderr}`)
  }

  it('the server finishes the build after the kill: the next migrate records it as done', async () => {
    assertBuilt()
    await withDatabase('postgres', async ({ url, conn }) => {
      project.add('20260101000000_things', setup)
      project.add('20260102000000_slow_index', build)
      await killMidBuild(url, conn)
      const again = await runKeel(project, url, 'migrate')
      expect(again.code, again.stderr).toBe(0)
      expect(again.stdout + again.stderr).toContain('index public.things_slow_id_idx is already present')
      expect(await indexesOf(conn, 'things')).toEqual([{ name: 'things_slow_id_idx', valid: true, unique: false }])
      const [, row] = await journal(conn)
      expect([row?.status, row?.completedStatements]).toEqual(['applied', 1])
    })
  })

  it('the build dies with its session: the next migrate drops the INVALID index and builds it again', async () => {
    assertBuilt()
    await withDatabase('postgres', async ({ url, conn }) => {
      project.add('20260101000000_things', setup)
      project.add('20260102000000_slow_index', build)
      const pid = await killMidBuild(url, conn)
      await conn.query('select pg_terminate_backend($1)', [pid])
      for (
        let i = 0;
        i < 100 && (await conn.query('select 1 from pg_stat_activity where pid = $1', [pid])).length;
        i++
      ) {
        await new Promise((r) => setTimeout(r, 50))
      }
      expect(await indexesOf(conn, 'things')).toEqual([{ name: 'things_slow_id_idx', valid: false, unique: false }])
      const again = await runKeel(project, url, 'migrate')
      expect(again.code, again.stderr).toBe(0)
      expect(again.stdout + again.stderr).toContain('index public.things_slow_id_idx is INVALID')
      expect(await indexesOf(conn, 'things')).toEqual([{ name: 'things_slow_id_idx', valid: true, unique: false }])
    })
  })
})
