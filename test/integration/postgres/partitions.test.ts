/**
 * Partitioned tables, inheritance, rules, exclusion constraints and deferrable primary keys, end to end on each
 * dialect: introspection reads what is a table's own (not what it inherits or what PostgreSQL clones onto it), a
 * schema is recreated from empty exactly, and a migration between two such schemas (bounds, detach, inheritance,
 * rules, exclusions) reaches its target and its reverse comes back.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy, safePolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import { emptySchema, type Schema, type Table } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { DIALECTS } from '../../support/databases.js'
import { emptiedBeforeEach } from '../../support/emptied-databases.js'
import { runScript } from '../../support/run-script.js'

const dialect = getDialect('postgres')

const START = `
create table cities (id int primary key);
create table measurement (city_id int not null, logdate date not null, peak int, primary key (city_id, logdate))
  partition by range (logdate);
create index measurement_peak on measurement (peak);
create table m2006 partition of measurement for values from ('2006-01-01') to ('2007-01-01');
create table m2007 partition of measurement for values from ('2007-01-01') to ('2008-01-01') partition by list (city_id);
create table m2007_a partition of m2007 for values in (1, 2);
create index m2006_own on m2006 (city_id) where peak > 10;
create table events (kind text not null, at timestamptz) partition by list (kind);
create table events_click partition of events for values in ('click');
create table events_other partition of events default;
create table base (id serial primary key, note text default 'x', constraint id_pos check (id > 0));
create table child (extra int, constraint extra_pos check (extra > 0)) inherits (base);
create rule child_insert as on insert to base where new.note = 'child'
  do instead insert into child (note) values (new.note);
comment on rule child_insert on base is 'routes child rows';
create table booking (during tsrange, constraint no_overlap exclude using gist (during with &&) deferrable initially deferred);
create table dk (id int, constraint dk_pkey primary key (id) deferrable initially deferred);
`

const TARGET = `
create table cities (id int primary key);
create table measurement (city_id int not null references cities (id), logdate date not null, peak int, extra text,
  primary key (city_id, logdate)) partition by range (logdate);
create index measurement_peak on measurement (peak);
create index measurement_city on measurement (city_id);
create table m2006 partition of measurement for values from ('2005-01-01') to ('2007-01-01');
create table m2007 partition of measurement for values from ('2007-01-01') to ('2008-01-01') partition by list (city_id);
create table m2007_a partition of m2007 for values in (1, 2);
create table m2008 partition of measurement for values from ('2008-01-01') to ('2009-01-01');
create index m2006_own on m2006 (city_id) where peak > 10;
create table events (kind text not null, at timestamptz) partition by list (kind);
create table events_click (kind text not null, at timestamptz);
create table events_other partition of events default;
create table base (id serial primary key, note text default 'x', constraint id_pos check (id > 0));
create table child (id integer not null default nextval('base_id_seq'::regclass), note text default 'x', extra int,
  constraint extra_pos check (extra > 0), constraint id_pos check (id > 0));
create rule child_insert as on insert to base where new.note = 'kid'
  do instead insert into child (note) values (new.note);
create table booking (during tsrange, constraint no_overlap2 exclude using gist (during with &&));
create table dk (id int, constraint dk_pkey primary key (id));
`

function table(schema: Schema, name: string): Table {
  const found = schema.tables.find((t) => t.name.name === name)
  if (found === undefined) throw new Error(`no table ${name}`)
  return found
}

async function load(conn: Connection, sql: string): Promise<Schema> {
  await conn.exec(sql)
  return dialect.introspect(conn)
}

describe.each(DIALECTS)('partitions, inheritance, rules and exclusions on %s', (name) => {
  // Every test starts from empty databases: shared ones, wiped before each test, instead of one or two
  // new ones per test (on PGlite each new one is a boot, most of this file's time).
  const databases = emptiedBeforeEach(name, 2)

  it('introspects what each table owns, not what it inherits or PostgreSQL clones onto it', async () => {
    await databases.use(0, async ({ conn }) => {
      const schema = await load(conn, START)
      const measurement = table(schema, 'measurement')
      expect(measurement.ext).toEqual({ postgres: { partitionBy: 'RANGE (logdate)' } })
      expect(measurement.indexes.map((i) => i.name)).toEqual(['measurement_peak'])
      const m2006 = table(schema, 'm2006')
      expect(m2006.columns).toEqual([])
      expect(m2006.primaryKey).toBeUndefined()
      expect(m2006.indexes.map((i) => i.name)).toEqual(['m2006_own'])
      expect(m2006.ext).toEqual({
        postgres: {
          partitionOf: {
            parent: { schema: 'public', name: 'measurement' },
            bound: "FOR VALUES FROM ('2006-01-01') TO ('2007-01-01')",
          },
        },
      })
      expect(table(schema, 'm2007').ext?.postgres?.partitionBy).toBe('LIST (city_id)')
      expect(table(schema, 'events_other').ext?.postgres?.partitionOf?.bound).toBe('DEFAULT')
      const child = table(schema, 'child')
      expect(child.columns.map((c) => c.name)).toEqual(['extra'])
      expect(child.checks.map((c) => c.name)).toEqual(['extra_pos'])
      expect(child.ext).toEqual({ postgres: { inherits: [{ schema: 'public', name: 'base' }] } })
      expect(schema.rules).toEqual([
        {
          name: 'child_insert',
          table: { schema: 'public', name: 'base' },
          definition: expect.stringMatching(/^CREATE RULE child_insert AS\s+ON INSERT TO base[\s\S]*DO INSTEAD/),
          dependsOn: [{ schema: 'public', name: 'child' }],
          comment: 'routes child rows',
        },
      ])
      expect(table(schema, 'booking').exclusions).toEqual([
        {
          name: 'no_overlap',
          definition: 'EXCLUDE USING gist (during WITH &&)',
          deferrable: { initiallyDeferred: true },
        },
      ])
      expect(table(schema, 'dk').primaryKey).toEqual({
        name: 'dk_pkey',
        columns: ['id'],
        deferrable: { initiallyDeferred: true },
      })
    })
  })

  it('recreates the schema from empty exactly (partitions created with PARTITION OF, children with INHERITS)', async () => {
    await databases.use(0, async (original) => {
      const inspected = await load(original.conn, START)
      await databases.use(1, async (copy) => {
        const plan = dialect.plan(diff(emptySchema, inspected, [], dialect).changes, safePolicy)
        expect(plan.steps.map((s) => s.sql)).toContainEqual(
          expect.stringContaining('CREATE TABLE public.m2006 PARTITION OF public.measurement'),
        )
        await applyPlan(copy.conn, plan)
        const recreated = await dialect.introspect(copy.conn)
        expect(diff(recreated, inspected, [], dialect).changes).toEqual([])
        expect(recreated).toEqual(inspected)
      })
    })
  })

  for (const [policyName, policy] of [
    ['safe', safePolicy],
    ['direct', directPolicy],
  ] as const) {
    it(`migrates bounds, detaches, inheritance, rules and exclusions, and back (${policyName})`, async () => {
      await databases.use(0, async (work) => {
        const start = await load(work.conn, START)
        await databases.use(1, async (other) => {
          const target = await load(other.conn, TARGET)
          const plan = dialect.plan(diff(start, target, [], dialect).changes, policy)
          const sql = plan.steps.map((s) => s.sql)
          expect(sql).toContain('ALTER TABLE public.events DETACH PARTITION public.events_click')
          expect(sql).toContain('ALTER TABLE public.child NO INHERIT public.base')
          // No CONCURRENTLY and no NOT VALID on a partitioned table: PostgreSQL refuses both there. The safe policy
          // builds the index on each partition concurrently and creates the partitioned table's ON ONLY.
          expect(sql).toContain(
            `CREATE INDEX measurement_city ON ${policyName === 'safe' ? 'ONLY ' : ''}public.measurement (city_id)`,
          )
          expect(sql).toContainEqual(
            expect.stringMatching(
              /^ALTER TABLE public.measurement ADD CONSTRAINT \S+ FOREIGN KEY \(city_id\) REFERENCES public.cities \(id\)$/,
            ),
          )
          expect(sql.indexOf('ALTER TABLE public.measurement DETACH PARTITION public.m2006')).toBeLessThan(
            sql.findIndex((s) => s.startsWith('ALTER TABLE public.measurement ATTACH PARTITION public.m2006')),
          )
          await applyPlan(work.conn, plan)
          expect(diff(await dialect.introspect(work.conn), target, [], dialect).changes).toEqual([])

          const reverse = reversePlan(plan)
          if (!('sql' in reverse)) throw new Error(reverse.irreversible.join('; '))
          await runScript(work.conn, reverse.sql)
          expect(diff(await dialect.introspect(work.conn), start, [], dialect).changes).toEqual([])
        })
      })
    })
  }
})
