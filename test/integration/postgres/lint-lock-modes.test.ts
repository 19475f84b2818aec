/**
 * Issue 11: the lock a lint rule says an operation takes is the lock PostgreSQL really takes. Each flagged
 * statement runs in a transaction on a real server and `pg_locks` is read for the tables it names before the
 * rollback; a statement PostgreSQL refuses in a transaction block (VACUUM FULL, CREATE INDEX CONCURRENTLY) runs
 * behind a session holding ACCESS EXCLUSIVE, and the lock it waits for is read instead. The rule's own words
 * (its `why` and the finding's message) must name that mode, and the rule must fire on the statement; the safe
 * forms the rules recommend are checked the same way.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import type { PgLockMode } from '../../../src/dialect/postgres/locks.js'
import { loadAllRules } from '../../../src/lint/registry.js'
import { withDatabase } from '../../support/databases.js'
import { findingsOf } from '../../support/lint.js'

type Mode = PgLockMode

/** pg_locks spells modes `ShareRowExclusiveLock`; the rules and the documentation `SHARE ROW EXCLUSIVE`. */
const MODES: readonly Mode[] = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
]
const modeOf = (pgMode: string): Mode => {
  const mode = MODES.find((m) => `${m.replace(/ (\w)/g, '$1').toLowerCase()}lock` === pgMode.toLowerCase())
  if (mode === undefined) throw new Error(`unknown lock mode ${pgMode}`)
  return mode
}

interface Case {
  /** The rule that flags the statement; for a safe form, the rule whose help recommends it. */
  readonly rule: string
  readonly sql: string
  /** The strongest lock the statement takes on each relation, as the rule states it. */
  readonly locks: Readonly<Record<string, Mode>>
  /** The rule's words for it, in its `why` or its message, when they are not just the mode's name. */
  readonly says?: readonly string[]
  /** The safe form a rule recommends: the rule must not fire on it. */
  readonly safe?: true
  /**
   * PostgreSQL refuses it in a transaction block: another session holds this mode on the table, and the lock
   * the statement waits for behind it is read instead. ACCESS SHARE conflicts with ACCESS EXCLUSIVE alone, so a
   * wait behind it proves ACCESS EXCLUSIVE; behind ACCESS EXCLUSIVE a statement waits for its first lock.
   */
  readonly outside?: Mode
}

const SETUP = `
create table users (id int primary key, email text, name text, nickname text);
insert into users select g, 'u' || g, 'n' || g, null from generate_series(1, 200) g;
create index users_email_idx on users (email);
create unique index users_email_uidx on users (email);
create table posts (id int primary key, author_id int, total int);
insert into posts select g, g, g from generate_series(1, 200) g;
alter table posts add constraint posts_author_nv foreign key (author_id) references users (id) not valid;
create table orders (id int primary key, total int);
insert into orders select g, g from generate_series(1, 200) g;
alter table orders add constraint orders_total_nv check (total >= 0) not valid;
create table bookings (id int, during tsrange);
create table sessions (id int);
create table events (id int, at date) partition by range (at);
create table events_2025 partition of events for values from ('2025-01-01') to ('2026-01-01');
`

const CASES: readonly Case[] = [
  {
    rule: 'ban-add-exclusion-constraint',
    sql: 'alter table bookings add constraint no_overlap exclude using gist (during with &&)',
    locks: { bookings: 'ACCESS EXCLUSIVE' },
  },
  {
    rule: 'ban-add-stored-generated-column',
    sql: 'alter table orders add column total_cents bigint generated always as (total * 100) stored',
    locks: { orders: 'ACCESS EXCLUSIVE' },
  },
  {
    rule: 'ban-alter-column-type',
    sql: 'alter table orders alter column total type bigint',
    locks: { orders: 'ACCESS EXCLUSIVE' },
  },
  { rule: 'ban-cluster', sql: 'cluster users using users_pkey', locks: { users: 'ACCESS EXCLUSIVE' } },
  { rule: 'ban-drop-column', sql: 'alter table users drop column nickname', locks: { users: 'ACCESS EXCLUSIVE' } },
  { rule: 'ban-drop-table', sql: 'drop table sessions', locks: { sessions: 'ACCESS EXCLUSIVE' } },
  {
    rule: 'ban-set-not-null',
    sql: 'alter table users alter column email set not null',
    locks: { users: 'ACCESS EXCLUSIVE' },
  },
  { rule: 'ban-truncate', sql: 'truncate table sessions', locks: { sessions: 'ACCESS EXCLUSIVE' } },
  { rule: 'ban-vacuum-full', sql: 'vacuum full users', locks: { users: 'ACCESS EXCLUSIVE' }, outside: 'ACCESS SHARE' },
  {
    rule: 'ban-volatile-default',
    sql: 'alter table users add column token uuid default gen_random_uuid()',
    locks: { users: 'ACCESS EXCLUSIVE' },
  },
  {
    rule: 'require-concurrent-drop-index',
    sql: 'drop index users_email_idx',
    locks: { users: 'ACCESS EXCLUSIVE', users_email_idx: 'ACCESS EXCLUSIVE' },
    says: ['ACCESS EXCLUSIVE on the index', 'ACCESS EXCLUSIVE on its table'],
  },
  {
    rule: 'require-concurrent-partition-detach',
    sql: 'alter table events detach partition events_2025',
    locks: { events: 'ACCESS EXCLUSIVE' },
    says: ['ACCESS EXCLUSIVE on the parent'],
  },
  {
    rule: 'require-concurrent-reindex',
    sql: 'reindex index users_email_idx',
    locks: { users: 'SHARE', users_email_idx: 'ACCESS EXCLUSIVE' },
    says: ['SHARE on the table', 'ACCESS EXCLUSIVE on the index'],
  },
  {
    rule: 'require-concurrent-reindex',
    sql: 'reindex table users',
    locks: { users: 'SHARE' },
    says: ['REINDEX TABLE takes SHARE on the table'],
  },
  {
    rule: 'require-concurrent-index',
    sql: 'create index users_name_idx on users (name)',
    locks: { users: 'SHARE' },
    says: ['SHARE lock'],
  },
  {
    rule: 'require-concurrent-index',
    sql: 'create index concurrently users_name_idx on users (name)',
    locks: { users: 'SHARE UPDATE EXCLUSIVE' },
    safe: true,
    outside: 'ACCESS EXCLUSIVE',
  },
  {
    rule: 'require-not-valid-check',
    sql: 'alter table orders add constraint orders_total_positive check (total >= 0)',
    locks: { orders: 'ACCESS EXCLUSIVE' },
  },
  {
    rule: 'require-not-valid-check',
    sql: 'alter table orders validate constraint orders_total_nv',
    locks: { orders: 'SHARE UPDATE EXCLUSIVE' },
    safe: true,
  },
  {
    rule: 'require-not-valid-foreign-key',
    sql: 'alter table posts add constraint posts_author_fk foreign key (author_id) references users (id)',
    locks: { posts: 'SHARE ROW EXCLUSIVE', users: 'SHARE ROW EXCLUSIVE' },
    says: ['SHARE ROW EXCLUSIVE on both the referencing and the referenced table'],
  },
  {
    rule: 'require-not-valid-foreign-key',
    sql: 'alter table posts validate constraint posts_author_nv',
    // The referenced table is only read (ROW SHARE), which blocks no writes either.
    locks: { posts: 'SHARE UPDATE EXCLUSIVE', users: 'ROW SHARE' },
    says: ['SHARE UPDATE EXCLUSIVE'],
    safe: true,
  },
  {
    rule: 'require-using-index-for-key',
    sql: 'alter table users add constraint users_email_key unique (email)',
    locks: { users: 'ACCESS EXCLUSIVE' },
  },
]

/** The strongest lock this session holds on each relation, keyed by the relation's name before the statement. */
async function locksInTransaction(
  conn: Connection,
  sql: string,
  oids: ReadonlyMap<number, string>,
): Promise<Record<string, Mode>> {
  await conn.exec('begin')
  try {
    await conn.exec(sql)
    const rows = await conn.query<{ relation: number; mode: string }>(
      'select relation::int as relation, mode from pg_locks where pid = pg_backend_pid() and granted and relation is not null',
    )
    return strongest(rows, oids)
  } finally {
    await conn.exec('rollback')
  }
}

/**
 * The lock a statement that cannot run in a transaction block asks for on `table`: another session holds `held`
 * on it, so the statement waits in `pg_locks` (not granted) with the mode it needs.
 */
async function lockWaitedFor(url: string, table: string, sql: string, held: Mode): Promise<Mode> {
  const holder = await openDatabase(url)
  const runner = await openDatabase(url)
  try {
    await holder.exec(`begin; lock table ${table} in ${held} mode`)
    const [{ pid } = { pid: 0 }] = await runner.query<{ pid: number }>('select pg_backend_pid() as pid')
    const running = runner.exec(sql).then(
      () => undefined,
      (error: unknown) => error,
    )
    let mode: string | undefined
    for (let i = 0; i < 200 && mode === undefined; i++) {
      const rows = await holder.query<{ mode: string }>(
        'select mode from pg_locks where pid = $1 and not granted and relation = $2::regclass',
        [pid, table],
      )
      mode = rows[0]?.mode
      if (mode === undefined) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    await holder.exec('rollback')
    expect(await running).toBeUndefined()
    if (mode === undefined) throw new Error(`${sql} never waited for a lock on ${table}`)
    return modeOf(mode)
  } finally {
    await holder.close()
    await runner.close()
  }
}

function strongest(
  rows: readonly { relation: number; mode: string }[],
  oids: ReadonlyMap<number, string>,
): Record<string, Mode> {
  const out: Record<string, Mode> = {}
  for (const row of rows) {
    const name = oids.get(row.relation)
    if (name === undefined) continue
    const mode = modeOf(row.mode)
    const before = out[name]
    if (before === undefined || MODES.indexOf(mode) > MODES.indexOf(before)) out[name] = mode
  }
  return out
}

describe('lint rules state the lock PostgreSQL takes', () => {
  it.each(CASES.map((c) => [`${c.rule}: ${c.sql}`, c] as const))('%s', { timeout: 60_000 }, async (_, c) => {
    const rule = (await loadAllRules()).find((r) => r.id === c.rule)
    expect(rule, c.rule).toBeDefined()
    const findings = await findingsOf(`${c.sql};\n`, c.rule)
    if (c.safe === true) expect(findings.map((f) => f.message)).toEqual([])
    else expect(findings.length, `${c.rule} fires on ${c.sql}`).toBeGreaterThan(0)
    const words = [rule?.why, rule?.help, ...findings.map((f) => f.message)].join('\n')
    for (const said of c.says ?? [...new Set(Object.values(c.locks))]) expect(words).toContain(said)

    await withDatabase('postgres', async ({ conn, url }) => {
      await conn.exec(SETUP)
      const names = Object.keys(c.locks)
      const rows = await conn.query<{ oid: number; name: string }>(
        'select oid::int as oid, relname as name from pg_class where relname = any($1)',
        [names],
      )
      const oids = new Map(rows.map((r) => [r.oid, r.name]))
      if (c.outside !== undefined) {
        const [table] = names as [string]
        expect({ [table]: await lockWaitedFor(url, table, c.sql, c.outside) }).toEqual(c.locks)
      } else {
        expect(await locksInTransaction(conn, c.sql, oids)).toEqual(c.locks)
      }
    })
  })
})
