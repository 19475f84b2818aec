import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { introspectPostgres } from '../../../src/dialect/postgres/introspect.js'
import { deepEqual } from '../../../src/schema/equal.js'
import type { Schema } from '../../../src/schema/model.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'
import { emptiedBeforeEach } from '../../support/emptied-databases.js'
import { CROSS_VERSION_SQL, RICH_SCHEMA, RICH_SQL } from './introspect-fixture.js'

const JOURNAL = { excludeTables: ['keel_migrations'] }

function tableNames(schema: Schema): string[] {
  return schema.tables.map((t) => `${t.name.schema}.${t.name.name}`)
}

async function serverVersion(conn: Connection): Promise<number> {
  const [row] = await conn.query<{ v: number }>("select current_setting('server_version_num')::int as v")
  return row?.v ?? 0
}

describe.each(DIALECTS)('introspectPostgres on %s', (dialect) => {
  // Every test starts from an empty database: a shared one, wiped before each test, instead of a new one
  // per test (on PGlite each new one is a boot, most of this file's time).
  const databases = emptiedBeforeEach(dialect, 1)

  it('reads every modelled object of a rich schema, whatever the session search_path', async () => {
    await databases.use(0, async ({ conn }) => {
      await conn.exec(RICH_SQL)
      await conn.exec('set search_path = app, public; set jit = on')
      const schema = await introspectPostgres(conn, JOURNAL)
      expect(schema).toStrictEqual(RICH_SCHEMA)
      // The catalog queries run with their own search_path and JIT off; the session's come back after them.
      const [settings] = await conn.query<{ search_path: string; jit: string }>(
        "select current_setting('search_path') as search_path, current_setting('jit') as jit",
      )
      expect(settings).toEqual({ search_path: 'app, public', jit: 'on' })
    })
  })

  it('filters namespaces whose names need quoting (the filters go to the server as literals)', async () => {
    await databases.use(0, async ({ conn }) => {
      await conn.exec(`create schema "it's\\odd"; create table "it's\\odd".t (id int); create table plain (id int)`)
      const odd = await introspectPostgres(conn, { namespaces: ["it's\\odd"] })
      expect(tableNames(odd)).toEqual(["it's\\odd.t"])
      const rest = await introspectPostgres(conn, { excludeNamespaces: ["it's\\odd"] })
      expect(tableNames(rest)).toEqual(['public.plain'])
    })
  })

  it('leaves out the journal table (and its serial sequence) and keeps only the namespaces asked for', async () => {
    await databases.use(0, async ({ conn }) => {
      await conn.exec(RICH_SQL)
      const all = await introspectPostgres(conn)
      expect(tableNames(all)).toContain('public.keel_migrations')
      const schema = await introspectPostgres(conn, JOURNAL)
      expect(tableNames(schema)).not.toContain('public.keel_migrations')
      expect(schema.sequences.map((s) => s.name.name)).not.toContain('keel_migrations_id_seq')
      const qualified = await introspectPostgres(conn, { excludeTables: ['public.keel_migrations'] })
      expect(qualified).toStrictEqual(schema)

      const app = await introspectPostgres(conn, { namespaces: ['app'] })
      expect(tableNames(app)).toEqual(['app.accounts', 'app.member_notes', 'app.members'])
      expect(app.enums.map((e) => e.name)).toEqual([{ schema: 'app', name: 'status' }])
      expect(app.sequences.map((s) => s.name)).toEqual([{ schema: 'app', name: 'owned_seq' }])
      expect(app.views.map((v) => v.name.name)).toEqual(['account_users', 'member_counts'])
      const rest = await introspectPostgres(conn, { excludeNamespaces: ['app'], ...JOURNAL })
      expect(rest.namespaces).toEqual([])
      expect(tableNames(rest)).toEqual(['public.scratch_log', 'public.users'])
      expect(rest.views.map((v) => v.name.name)).toEqual(['active_users'])
    })
  })

  it('reads generated columns, and virtual ones on PostgreSQL 18', async () => {
    await databases.use(0, async ({ conn }) => {
      const virtual = (await serverVersion(conn)) >= 180000
      await conn.exec('create table g (a int, s int generated always as (a * 2) stored)')
      if (virtual) await conn.exec('alter table g add column v int generated always as (a + 1) virtual')
      const [table] = (await introspectPostgres(conn)).tables
      expect(table?.columns).toStrictEqual([
        { name: 'a', type: { kind: 'integer', bytes: 4 }, nullable: true },
        {
          name: 's',
          type: { kind: 'integer', bytes: 4 },
          nullable: true,
          generated: { expr: '(a * 2)', stored: true },
        },
        ...(virtual
          ? [
              {
                name: 'v',
                type: { kind: 'integer', bytes: 4 },
                nullable: true,
                generated: { expr: '(a + 1)', stored: false },
              },
            ]
          : []),
      ])
    })
  })

  it('leaves out functions, triggers and policies, names domains in full, and models partitions as their own', async () => {
    await databases.use(0, async ({ conn }) => {
      await conn.exec(`
        create domain posint as integer check (value > 0);
        create table t (id posint not null, ids posint[]);
        alter table t enable row level security;
        create policy own on t using (id > 0);
        create function touch() returns trigger language plpgsql as 'begin return new; end';
        create trigger t_touch before update on t for each row execute function touch();
        create table parted (id int, k int) partition by range (k);
        create table parted_1 partition of parted for values from (0) to (10);
        create index parted_k on parted (k);
        create table parent_t (a int);
        create table child_t (b int) inherits (parent_t);
      `)
      const schema = await introspectPostgres(conn)
      expect(tableNames(schema)).toEqual([
        'public.child_t',
        'public.parent_t',
        'public.parted',
        'public.parted_1',
        'public.t',
      ])
      // Partitions and INHERITS children list only what is their own (test/integration/postgres/partitions.test.ts).
      const [child, , parted, partition] = schema.tables
      expect(child?.columns.map((c) => c.name)).toEqual(['b'])
      expect(parted?.indexes.map((i) => i.name)).toEqual(['parted_k'])
      expect(partition?.columns).toEqual([])
      expect(partition?.indexes).toEqual([])
      expect(schema.tables[4]?.columns).toStrictEqual([
        { name: 'id', type: { kind: 'native', sql: 'public.posint' }, nullable: false },
        { name: 'ids', type: { kind: 'array', element: { kind: 'native', sql: 'public.posint' } }, nullable: true },
      ])
      expect(schema.enums).toEqual([])
      expect(schema.sequences).toEqual([])
    })
  })

  it('reads the whole database in a fixed number of queries', async () => {
    await databases.use(0, async ({ conn }) => {
      const counted = countingConnection(conn)
      await conn.exec('create table t0 (id int primary key, v text unique, c int check (c > 0))')
      await introspectPostgres(counted.conn)
      const few = counted.count()
      const ddl = Array.from({ length: 50 }, (_, i) => {
        const t = `t${i + 1}`
        return `create table ${t} (id serial primary key, v text unique, p int references t0 (id), c int check (c > 0));
          create index ${t}_p on ${t} (p); comment on table ${t} is 'x';`
      })
      await conn.exec(ddl.join('\n'))
      const trips = counted.roundTrips()
      const schema = await introspectPostgres(counted.conn)
      expect(schema.tables).toHaveLength(51)
      expect(counted.count() - few).toBe(few)
      // One query per object family (partitions and rules, domains, routines, triggers, privileges, row-level
      // security and collations included), and the session settings read, set and put back.
      expect(few).toBeLessThanOrEqual(24)
      // A server takes them in two messages (the settings, then everything else); PGlite one by one.
      if (conn.queryBatch !== undefined) expect(counted.roundTrips() - trips).toBe(2)
    })
  })
})

describe.each(DIALECTS.filter((d) => d === 'postgres'))('extensions on %s', (dialect) => {
  it('lists extensions and leaves out the objects they own', async () => {
    await withDatabase(dialect, async ({ conn }) => {
      await conn.exec(`
        create extension citext;
        create schema ext;
        create extension hstore schema ext;
        create table t (name citext, attrs ext.hstore);
      `)
      const versions = await conn.query<{ extname: string; extversion: string }>(
        "select extname, extversion from pg_extension where extname in ('citext', 'hstore') order by extname",
      )
      const schema = await introspectPostgres(conn)
      expect(schema.extensions).toStrictEqual([
        { name: 'citext', version: versions[0]?.extversion },
        { name: 'hstore', schema: 'ext', version: versions[1]?.extversion },
      ])
      expect(schema.namespaces).toStrictEqual([{ name: 'ext' }])
      expect(schema.enums).toEqual([])
      expect(schema.tables).toHaveLength(1)
      expect(schema.tables[0]?.columns.map((c) => c.type)).toStrictEqual([
        { kind: 'native', sql: 'citext' },
        { kind: 'native', sql: 'ext.hstore' },
      ])
    })
  })
})

describe.each(DIALECTS.filter((d) => d === 'postgres'))('a large catalog on %s', (dialect) => {
  it('is read on two sessions in one snapshot when the caller allows it, to the same schema, the session as it was', async () => {
    await withDatabase(dialect, async ({ conn }) => {
      // 100 tables of five relations each (table, sequence, two unique indexes, an index): past the 500 from which
      // a second session pays.
      const ddl = Array.from({ length: 100 }, (_, i) => {
        const t = `t${i}`
        return `create table ${t} (id serial primary key, v text unique, p int, c int check (c > 0));
          create index ${t}_p on ${t} (p); comment on column ${t}.v is 'x';`
      })
      await conn.exec('create table small (id int primary key); set search_path = pg_catalog, public; set jit = on')
      let siblings = 0
      const { openSibling } = conn
      expect(openSibling).toBeDefined()
      const counting: Connection = {
        ...conn,
        openSibling: () => {
          siblings++
          return (openSibling as NonNullable<Connection['openSibling']>).call(conn)
        },
      }
      // Below 500 relations the read stays on this session, in the transaction its first round trip opened.
      const small = await introspectPostgres(counting, { unmanaged: true, parallel: true })
      expect(siblings).toBe(0)
      expect(small).toStrictEqual(await introspectPostgres(counting, { unmanaged: true }))
      expect(await sessionState(conn)).toEqual({ search_path: 'pg_catalog, public', jit: 'on', open: false })
      await conn.exec(
        `set search_path = public; drop table small; ${ddl.join('\n')} create view v as select id from t0;
        set search_path = pg_catalog, public`,
      )
      const one = await introspectPostgres(counting, { unmanaged: true })
      expect(siblings).toBe(0)
      const two = await introspectPostgres(counting, { unmanaged: true, parallel: true })
      expect(siblings).toBe(1)
      expect(two.tables).toHaveLength(100)
      expect(two).toStrictEqual(one)
      // A second session that cannot connect leaves the read to this one.
      const refused: Connection = { ...conn, openSibling: () => openDatabase('postgres://postgres@127.0.0.1:1/none') }
      expect(await introspectPostgres(refused, { unmanaged: true, parallel: true })).toStrictEqual(one)
      // The session's settings come back, and no transaction is left open on it.
      expect(await sessionState(conn)).toEqual({ search_path: 'pg_catalog, public', jit: 'on', open: false })
    })
  })
})

/** The session's search_path and jit, and whether a transaction is open on it. */
async function sessionState(conn: Connection) {
  const [state] = await conn.query<{ search_path: string; jit: string; open: boolean }>(
    `select current_setting('search_path') as search_path, current_setting('jit') as jit,
      xact_start <> query_start as open from pg_stat_activity where pid = pg_backend_pid()`,
  )
  return state
}

const BOTH = DIALECTS.includes('postgres') && DIALECTS.includes('pglite') ? [['postgres', 'pglite'] as const] : []

describe.each(BOTH)('%s and %s', (server, embedded) => {
  it('introspect the same SQL to equal normalised schemas', async () => {
    const read = (dialect: typeof server | typeof embedded) =>
      withDatabase(dialect, async ({ conn }) => {
        await conn.exec(RICH_SQL)
        await conn.exec(CROSS_VERSION_SQL)
        return { schema: await introspectPostgres(conn, JOURNAL), version: await serverVersion(conn) }
      })
    const fifteen = await read(server)
    const eighteen = await read(embedded)
    expect(Math.floor(eighteen.version / 10000)).toBeGreaterThan(Math.floor(fifteen.version / 10000))
    expect(eighteen.schema).toStrictEqual(fifteen.schema)
    expect(deepEqual(eighteen.schema, fifteen.schema)).toBe(true)
    expect(fifteen.schema.views).toHaveLength(23)
  })
})

/** The same connection, counting the queries sent through it (the database is real; nothing is mocked). */
/** A connection that counts the statements it runs and the messages (round trips) they take. */
function countingConnection(conn: Connection): {
  readonly conn: Connection
  count(): number
  roundTrips(): number
} {
  let queries = 0
  let roundTrips = 0
  const { queryBatch } = conn
  const counted: Connection = {
    ...conn,
    dialect: conn.dialect,
    description: conn.description,
    query: (sql, params) => {
      queries++
      roundTrips++
      return conn.query(sql, params)
    },
    ...(queryBatch === undefined
      ? {}
      : {
          queryBatch: (statements) => {
            queries += statements.length
            roundTrips++
            return queryBatch.call(conn, statements)
          },
        }),
    exec: (sql) => {
      queries++
      roundTrips++
      return conn.exec(sql)
    },
    transaction: (fn) => conn.transaction(fn),
    close: () => conn.close(),
  }
  return { conn: counted, count: () => queries, roundTrips: () => roundTrips }
}
