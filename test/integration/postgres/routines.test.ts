/**
 * Domains, functions, procedures, aggregates and triggers, end to end on each dialect: introspection
 * reads each object (and leaves out what an extension or a foreign key created), a schema holding them
 * is recreated from empty exactly and its reverse empties the database, and a migration that changes
 * them (a body, a return type, a domain check, a trigger's events and state) reaches its target and
 * its reverse comes back.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy, safePolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import { emptySchema, type Routine, type Schema } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { DIALECTS } from '../../support/databases.js'
import { emptiedBeforeEach } from '../../support/emptied-databases.js'

const dialect = getDialect('postgres')

const START = `
create domain positive as integer default 1 not null constraint positive_check check (value > 0);
comment on domain positive is 'strictly positive';
create domain code as text collate "C" constraint code_upper check (value = upper(value));
comment on constraint code_upper on domain code is 'upper case only';
create domain codes as code[];
create table items (id serial primary key, qty positive, code code, updated_at timestamptz, note text);
create view item_codes as select id, code from items;
create function add_one(n integer) returns integer language sql immutable as $$ select n + 1 $$;
comment on function add_one(integer) is 'adds one';
create function add_one(n bigint) returns bigint language sql immutable as $$ select n + 1 $$;
create function item_count() returns bigint language sql stable as $$ select count(*) from items $$;
create function all_items() returns setof items language sql as $$ select * from items $$;
create procedure bump(by_how integer default 1) language plpgsql as $$ begin update items set qty = qty + by_how; end $$;
create function concat_step(acc text, x text) returns text language sql immutable as $$ select acc || x $$;
create function concat_done(acc text) returns text language sql immutable as $$ select '[' || acc || ']' $$;
create aggregate concat_all(text) (sfunc = concat_step, stype = text, finalfunc = concat_done, initcond = '');
create function touch() returns trigger language plpgsql as $$ begin new.updated_at := now(); return new; end $$;
create trigger items_touch before update of qty, code on items for each row when (old.qty is distinct from new.qty)
  execute function touch();
comment on trigger items_touch on items is 'stamps updates';
create trigger items_audit after insert on items for each statement execute function touch();
alter table items disable trigger items_audit;
create function item_codes_insert() returns trigger language plpgsql as $$
  begin insert into items (code) values (new.code); return new; end $$;
create trigger item_codes_insert instead of insert on item_codes for each row execute function item_codes_insert();
create table parts (id int primary key, item_id int references items (id));
`

/** START with a new body, a new return type (which recreates the trigger calling it), new domain facts and triggers. */
const TARGET = `
create domain positive as integer not null constraint positive_check check (value > 0)
  constraint positive_small check (value < 1000000);
create domain code as text collate "C" constraint code_upper check (value = upper(value));
create domain codes as code[];
create table items (id serial primary key, qty positive, code code, updated_at timestamptz, note text);
create view item_codes as select id, code, note from items;
create function add_one(n integer) returns integer language sql immutable as $$ select n + 2 $$;
create function item_count() returns integer language sql stable as $$ select count(*)::int from items $$;
create function all_items() returns setof items language sql as $$ select * from items $$;
create procedure bump(by_how integer default 1) language plpgsql as $$ begin update items set qty = qty + by_how; end $$;
create function concat_step(acc text, x text) returns text language sql immutable as $$ select acc || x $$;
create aggregate concat_all(text) (sfunc = concat_step, stype = text, initcond = '');
create function touch() returns trigger language plpgsql as $$ begin new.updated_at := clock_timestamp(); return new; end $$;
create trigger items_touch before update of qty on items for each row execute function touch();
create trigger items_audit after insert on items for each statement execute function touch();
alter table items enable always trigger items_audit;
create function item_codes_insert() returns trigger language plpgsql as $$
  begin insert into items (code, note) values (new.code, new.note); return new; end $$;
create trigger item_codes_insert instead of insert on item_codes for each row execute function item_codes_insert();
create table parts (id int primary key, item_id int references items (id));
`

async function load(conn: Connection, sql: string): Promise<Schema> {
  await conn.exec(sql)
  return dialect.introspect(conn)
}

function routine(schema: Schema, name: string, identityArgs = ''): Routine {
  const found = schema.routines?.find((r) => r.name.name === name && r.identityArgs === identityArgs)
  if (found === undefined) throw new Error(`no routine ${name}(${identityArgs})`)
  return found
}

describe.each(DIALECTS)('domains, routines and triggers on %s', (name) => {
  // Every test starts from empty databases; two shared ones, wiped before each test, instead of one or two new
  // ones per test (on PGlite each new one is a boot: nine of them were most of this file's time).
  const databases = emptiedBeforeEach(name, 2)
  const first = () => databases.at(0)
  const second = () => databases.at(1)

  it('introspects domains with their base type, default, NOT NULL, collation, checks and comments', async () => {
    const schema = await load(first().conn, START)
    expect(schema.domains).toEqual([
      {
        name: { schema: 'public', name: 'code' },
        type: { kind: 'text' },
        collation: 'C',
        checks: [{ name: 'code_upper', expr: '(VALUE = upper(VALUE))', comment: 'upper case only' }],
      },
      {
        name: { schema: 'public', name: 'codes' },
        type: { kind: 'array', element: { kind: 'native', sql: 'public.code' } },
        checks: [],
      },
      {
        name: { schema: 'public', name: 'positive' },
        type: { kind: 'integer', bytes: 4 },
        notNull: true,
        default: { kind: 'sql', sql: '1' },
        checks: [{ name: 'positive_check', expr: '(VALUE > 0)' }],
        comment: 'strictly positive',
      },
    ])
    const items = schema.tables.find((t) => t.name.name === 'items')
    expect(items?.columns.find((c) => c.name === 'qty')?.type).toEqual({ kind: 'native', sql: 'public.positive' })
  })

  it('introspects functions, overloads, procedures and aggregates with what they depend on', async () => {
    const schema = await load(first().conn, START)
    expect(schema.routines?.map((r) => `${r.kind} ${r.name.name}(${r.identityArgs})`)).toEqual([
      'function add_one(n bigint)',
      'function add_one(n integer)',
      'function all_items()',
      'procedure bump(IN by_how integer)',
      'aggregate concat_all(text)',
      'function concat_done(acc text)',
      'function concat_step(acc text, x text)',
      'function item_codes_insert()',
      'function item_count()',
      'function touch()',
    ])
    const addOne = routine(schema, 'add_one', 'n integer')
    expect(addOne).toMatchObject({ arguments: 'n integer', returns: 'integer', dependsOn: [], comment: 'adds one' })
    expect(addOne.definition).toMatch(/^CREATE OR REPLACE FUNCTION public\.add_one\(n integer\)\n RETURNS integer\n/)
    expect(addOne.definition).toContain('select n + 1')
    expect(routine(schema, 'bump', 'IN by_how integer')).toMatchObject({
      kind: 'procedure',
      arguments: 'IN by_how integer DEFAULT 1',
    })
    expect(routine(schema, 'bump', 'IN by_how integer').returns).toBeUndefined()
    expect(routine(schema, 'all_items').dependsOn).toEqual([
      { kind: 'relation', name: { schema: 'public', name: 'items' } },
    ])
    const aggregate = routine(schema, 'concat_all', 'text')
    expect(aggregate.definition).toBe(
      "CREATE OR REPLACE AGGREGATE public.concat_all(text) (\n    SFUNC = concat_step,\n    STYPE = text,\n    FINALFUNC = concat_done,\n    INITCOND = ''\n)",
    )
    expect(aggregate.dependsOn).toEqual([
      { kind: 'routine', name: { schema: 'public', name: 'concat_done' }, identityArgs: 'acc text' },
      { kind: 'routine', name: { schema: 'public', name: 'concat_step' }, identityArgs: 'acc text, x text' },
    ])
  })

  it('introspects triggers on tables and views, not the internal ones behind foreign keys', async () => {
    const schema = await load(first().conn, START)
    expect(schema.triggers?.map((t) => `${t.table.name}.${t.name}`)).toEqual([
      'item_codes.item_codes_insert',
      'items.items_audit',
      'items.items_touch',
    ])
    const [onView, audit, touch] = schema.triggers ?? []
    expect(onView?.definition).toBe(
      'CREATE TRIGGER item_codes_insert INSTEAD OF INSERT ON public.item_codes FOR EACH ROW EXECUTE FUNCTION item_codes_insert()',
    )
    expect(audit).toMatchObject({ enabled: 'D', function: { schema: 'public', name: 'touch' }, columns: [] })
    expect(touch).toMatchObject({ columns: ['qty', 'code'], comment: 'stamps updates' })
    expect(touch?.definition).toMatch(
      /^CREATE TRIGGER items_touch BEFORE UPDATE OF qty, code ON public\.items FOR EACH ROW WHEN/,
    )
    expect(touch?.enabled).toBeUndefined()
  })

  it('leaves out what extensions create and triggers of left-out tables', async () => {
    const { conn } = first()
    await conn.exec(`create table keel_migrations (id int);
        create function stamp() returns trigger language plpgsql as $$ begin return new; end $$;
        create trigger journal_stamp before insert on keel_migrations for each row execute function stamp();`)
    const schema = await dialect.introspect(conn, { excludeTables: ['keel_migrations'] })
    expect(schema.triggers).toBeUndefined()
    expect(schema.routines?.map((r) => r.name.name)).toEqual(['stamp'])
    if (name === 'postgres') {
      await conn.exec('create extension if not exists pg_trgm')
      const withExtension = await dialect.introspect(conn, { excludeTables: ['keel_migrations'] })
      expect(withExtension.routines?.map((r) => r.name.name)).toEqual(['stamp'])
    }
  })

  it.each([
    ['safe', safePolicy],
    ['direct', directPolicy],
  ] as const)(
    'recreates the schema from empty exactly (%s policy), and its reverse empties the database',
    async (_p, policy) => {
      const schema = await load(first().conn, START)
      const { conn } = second()
      const plan = dialect.plan(diff(emptySchema, schema).changes, policy)
      await applyPlan(conn, plan)
      const recreated = await dialect.introspect(conn)
      expect(diff(recreated, schema).changes).toEqual([])
      expect(recreated).toEqual(schema)
      const back = reversePlan(plan)
      if (!('sql' in back)) throw new Error(`irreversible: ${back.irreversible.join('; ')}`)
      await conn.transaction(async (tx) => {
        for (const sql of back.sql) await tx.exec(sql)
      })
      expect(await dialect.introspect(conn)).toEqual(emptySchema)
    },
  )

  it('migrates to a changed schema, and its reverse comes back', async () => {
    const to = await load(first().conn, TARGET)
    const { conn } = second()
    const from = await load(conn, START)
    const { changes } = diff(from, to)
    expect(changes.map((c) => c.kind)).toContain('alterRoutine')
    const plan = dialect.plan(changes, safePolicy)
    const sql = plan.steps.map((s) => s.sql)
    // A new body is replaced in place; a new return type drops and creates the function.
    expect(sql.some((s) => s.startsWith('CREATE OR REPLACE FUNCTION public.touch()'))).toBe(true)
    expect(sql).toContain('DROP FUNCTION public.item_count()')
    await applyPlan(conn, plan)
    expect(diff(await dialect.introspect(conn), to).changes).toEqual([])
    const back = reversePlan(plan)
    if (!('sql' in back)) throw new Error(`irreversible: ${back.irreversible.join('; ')}`)
    await conn.transaction(async (tx) => {
      for (const statement of back.sql) await tx.exec(statement)
    })
    expect(diff(await dialect.introspect(conn), from).changes).toEqual([])
  })
})
