import { describe, expect, it } from 'vitest'
import type { Change } from '../../diff/change.js'
import { directPolicy, safePolicy } from '../../plan/policy.js'
import { reversePlan } from '../../plan/step.js'
import { col, fk, pk, tableOf, viewOf } from '../../schema/build.js'
import type { PartitionOf, Rule, Table } from '../../schema/model.js'
import { planPostgres } from './plan.js'

const parentName = { schema: 'public', name: 'measurement' }
const partName = { schema: 'public', name: 'm2006' }
const cities = { schema: 'public', name: 'cities' }
const of: PartitionOf = { parent: parentName, bound: "FOR VALUES FROM ('2006-01-01') TO ('2007-01-01')" }
const columns = [col('city_id', 'int4', { nullable: false }), col('logdate', 'date', { nullable: false })]
const parent: Table = tableOf(parentName, columns, {
  primaryKey: { ...pk('measurement_pkey', ['city_id', 'logdate']), deferrable: { initiallyDeferred: true } },
  ext: { postgres: { partitionBy: 'RANGE (logdate)' } },
})
const partition: Table = tableOf(partName, [], {
  foreignKeys: [fk('m2006_city_fkey', ['city_id'], cities, ['id'])],
  ext: { postgres: { partitionOf: of } },
})
const rule: Rule = {
  name: 'no_delete',
  table: parentName,
  definition: 'CREATE RULE no_delete AS\n    ON DELETE TO measurement DO INSTEAD NOTHING',
  dependsOn: [],
  comment: 'keep history',
}
const sqlOf = (changes: readonly Change[]) => planPostgres(changes, safePolicy).steps.map((step) => step.sql)

describe('creating partitioned and inheriting tables', () => {
  it('creates the parent first, the partition with PARTITION OF, and a child with INHERITS', () => {
    const child = tableOf('public.notes', [col('body', 'text')], { ext: { postgres: { inherits: [parentName] } } })
    expect(
      sqlOf([
        { kind: 'createTable', table: child },
        { kind: 'createTable', table: partition },
        { kind: 'createTable', table: parent },
      ]).join(';\n'),
    ).toMatchInlineSnapshot(`
      "CREATE TABLE public.measurement (
        city_id integer NOT NULL,
        logdate date NOT NULL,
        CONSTRAINT measurement_pkey PRIMARY KEY (city_id, logdate) DEFERRABLE INITIALLY DEFERRED
      )
      PARTITION BY RANGE (logdate);
      CREATE TABLE public.notes (
        body text
      )
      INHERITS (public.measurement);
      CREATE TABLE public.m2006 PARTITION OF public.measurement (
        CONSTRAINT m2006_city_fkey FOREIGN KEY (city_id) REFERENCES public.cities (id)
      )
      FOR VALUES FROM ('2006-01-01') TO ('2007-01-01')"
    `)
  })

  it('takes ACCESS EXCLUSIVE on an existing parent when it creates a partition, and drops partitions first', () => {
    const plan = planPostgres(
      [{ kind: 'createTable', table: tableOf(partName, [], { ext: { postgres: { partitionOf: of } } }) }],
      safePolicy,
    )
    expect(plan.steps[0]?.lock).toEqual({ mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on: [parentName] })
    const drops = planPostgres(
      [
        { kind: 'dropTable', table: parent },
        { kind: 'dropTable', table: partition },
      ],
      safePolicy,
    ).steps
    expect(drops.map((s) => s.sql)).toEqual(['DROP TABLE public.m2006', 'DROP TABLE public.measurement'])
    expect(drops.every((s) => s.dataLoss === 'certain')).toBe(true)
    expect(drops[0]?.lock.on).toEqual([partName, cities, parentName])
  })
})

describe('attaching, detaching and inheriting', () => {
  it('attaches under SHARE UPDATE EXCLUSIVE on the parent and ACCESS EXCLUSIVE on the partition, scanning it', () => {
    const [step] = planPostgres([{ kind: 'attachPartition', table: partName, partitionOf: of }], safePolicy).steps
    expect(step?.sql).toBe(
      "ALTER TABLE public.measurement ATTACH PARTITION public.m2006 FOR VALUES FROM ('2006-01-01') TO ('2007-01-01')",
    )
    expect(step?.lock).toEqual({
      mode: 'ACCESS EXCLUSIVE',
      blocks: 'readsAndWrites',
      on: [partName],
      also: [{ mode: 'SHARE UPDATE EXCLUSIVE', on: [parentName] }],
    })
    expect(step?.scansTable).toBe(true)
    // The undo detaches it and drops the copies of the parent's indexes the attach made (undo-attach.ts).
    const reverse = step !== undefined && 'sql' in step.reverse ? step.reverse.sql : ''
    expect(reverse).toMatch(/^DO \$keel\$/)
    expect(reverse).toContain('  ALTER TABLE public.measurement DETACH PARTITION public.m2006;\n')
  })

  it('detaches before the columns change and attaches after, locking both tables to detach', () => {
    const plan = planPostgres(
      [
        { kind: 'detachPartition', table: partName, partitionOf: of },
        { kind: 'attachPartition', table: partName, partitionOf: { ...of, bound: 'DEFAULT' } },
        { kind: 'addColumn', table: partName, column: col('extra', 'text') },
        { kind: 'addColumn', table: parentName, column: col('extra', 'text') },
      ],
      directPolicy,
    )
    expect(plan.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE public.measurement DETACH PARTITION public.m2006',
      'ALTER TABLE public.m2006 ADD COLUMN extra text',
      'ALTER TABLE public.measurement ADD COLUMN extra text',
      'ALTER TABLE public.measurement ATTACH PARTITION public.m2006 DEFAULT',
    ])
    expect(plan.steps[0]?.lock).toEqual({
      mode: 'ACCESS EXCLUSIVE',
      blocks: 'readsAndWrites',
      on: [parentName, partName],
    })
  })

  it('renders INHERIT and NO INHERIT, each the reverse of the other', () => {
    const [step] = planPostgres([{ kind: 'dropInherit', table: partName, parent: parentName }], safePolicy).steps
    expect(step?.sql).toBe('ALTER TABLE public.m2006 NO INHERIT public.measurement')
    expect(step?.reverse).toEqual({ sql: 'ALTER TABLE public.m2006 INHERIT public.measurement' })
    expect(step?.lock.also).toEqual([{ mode: 'SHARE UPDATE EXCLUSIVE', on: [parentName] }])
  })
})

describe('indexes and foreign keys of partitioned tables', () => {
  it('builds and drops them without CONCURRENTLY and adds foreign keys validated, which PostgreSQL requires there', () => {
    const index = { name: 'measurement_city', parts: [{ column: 'city_id' }], unique: false, include: [] }
    const key = fk('measurement_city_fkey', ['city_id'], cities, ['id'])
    const plan = planPostgres(
      [
        { kind: 'createIndex', table: parentName, index, partitioned: true },
        { kind: 'addForeignKey', table: parentName, foreignKey: key, partitioned: true },
      ],
      safePolicy,
    )
    expect(plan.steps.map((s) => [s.sql, s.transactional])).toEqual([
      ['CREATE INDEX measurement_city ON public.measurement (city_id)', true],
      [
        'ALTER TABLE public.measurement ADD CONSTRAINT measurement_city_fkey FOREIGN KEY (city_id) REFERENCES public.cities (id)',
        true,
      ],
    ])
    expect(plan.steps[0]?.reverse).toEqual({ sql: 'DROP INDEX public.measurement_city' })
  })
})

describe('exclusion constraints and rules', () => {
  const exclusion = {
    name: 'no_overlap',
    definition: 'EXCLUDE USING gist (during WITH &&)',
    deferrable: { initiallyDeferred: false },
    comment: 'one booking at a time',
  }

  it('adds an exclusion constraint with its DEFERRABLE clause and its comment, and drops it', () => {
    const plan = planPostgres([{ kind: 'addExclusion', table: parentName, exclusion }], safePolicy)
    expect(plan.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE public.measurement ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&) DEFERRABLE INITIALLY IMMEDIATE',
      "COMMENT ON CONSTRAINT no_overlap ON public.measurement IS 'one booking at a time'",
    ])
    expect(plan.steps[0]?.scansTable).toBe(true)
    expect(plan.steps[0]?.reverse).toEqual({ sql: 'ALTER TABLE public.measurement DROP CONSTRAINT no_overlap' })
  })

  it('drops rules before renames and views, and creates them after views, with their comment', () => {
    const view = viewOf('public.v', 'SELECT 1')
    const plan = planPostgres(
      [
        { kind: 'createRule', rule },
        { kind: 'createView', view },
        { kind: 'renameTable', from: { schema: 'public', name: 'a' }, to: { schema: 'public', name: 'b' } },
        {
          kind: 'dropRule',
          rule: {
            name: 'old',
            table: parentName,
            definition: 'CREATE RULE old AS ON DELETE TO measurement DO NOTHING',
            dependsOn: [],
          },
        },
      ],
      safePolicy,
    )
    expect(plan.steps.map((s) => s.sql.split('\n')[0])).toEqual([
      'DROP RULE old ON public.measurement',
      'ALTER TABLE public.a RENAME TO b',
      'CREATE VIEW public.v AS',
      'CREATE RULE no_delete AS',
      "COMMENT ON RULE no_delete ON public.measurement IS 'keep history'",
    ])
    expect(plan.steps.at(-2)?.lock).toEqual({ mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on: [parentName] })
  })

  it('reverses a dropped rule by creating it again with its comment', () => {
    const plan = planPostgres([{ kind: 'dropRule', rule }], safePolicy)
    expect(plan.steps[0]?.dataLoss).toBe('none')
    expect(reversePlan(plan)).toEqual({
      sql: [`${rule.definition};\nCOMMENT ON RULE no_delete ON public.measurement IS 'keep history'`],
    })
  })
})
