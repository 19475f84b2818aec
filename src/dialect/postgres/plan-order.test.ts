import { describe, expect, it } from 'vitest'
import type { Change } from '../../diff/change.js'
import { safePolicy } from '../../plan/policy.js'
import { col, enumOf, enumRef, fk, index, pk, sequenceOf, tableOf, viewOf } from '../../schema/build.js'
import { planPostgres } from './plan.js'

const sqlOf = (changes: readonly Change[]) => planPostgres(changes, safePolicy).steps.map((step) => step.sql)
const script = (changes: readonly Change[]) => sqlOf(changes).join(';\n')

const a = { schema: 'public', name: 'a' }
const b = { schema: 'public', name: 'b' }
const c = { schema: 'public', name: 'c' }
const idCol = col('id', 'int4', { nullable: false })

describe('foreign keys between tables created together', () => {
  it('breaks a cycle of two new tables by adding one key after both exist', () => {
    const tableA = tableOf(a, [idCol, col('b_id', 'int4')], {
      primaryKey: pk('a_pkey', ['id']),
      foreignKeys: [fk('a_b_fkey', ['b_id'], b, ['id'])],
    })
    const tableB = tableOf(b, [idCol, col('a_id', 'int4')], {
      primaryKey: pk('b_pkey', ['id']),
      foreignKeys: [fk('b_a_fkey', ['a_id'], a, ['id'])],
    })
    expect(
      script([
        { kind: 'createTable', table: tableA },
        { kind: 'createTable', table: tableB },
      ]),
    ).toMatchInlineSnapshot(`
      "CREATE TABLE public.a (
        id integer NOT NULL,
        b_id integer,
        CONSTRAINT a_pkey PRIMARY KEY (id)
      );
      CREATE TABLE public.b (
        id integer NOT NULL,
        a_id integer,
        CONSTRAINT b_pkey PRIMARY KEY (id),
        CONSTRAINT b_a_fkey FOREIGN KEY (a_id) REFERENCES public.a (id)
      );
      ALTER TABLE public.a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES public.b (id)"
    `)
  })

  it('creates referenced tables first and keeps their keys inline', () => {
    const tableA = tableOf(a, [idCol, col('b_id', 'int4')], { foreignKeys: [fk('a_b_fkey', ['b_id'], b, ['id'])] })
    const tableB = tableOf(b, [idCol, col('c_id', 'int4')], { foreignKeys: [fk('b_c_fkey', ['c_id'], c, ['id'])] })
    const tableC = tableOf(c, [idCol], { primaryKey: pk('c_pkey', ['id']) })
    const steps = sqlOf([tableA, tableB, tableC].map((table): Change => ({ kind: 'createTable', table })))
    expect(steps.map((sql) => sql.split(' (')[0])).toEqual([
      'CREATE TABLE public.c',
      'CREATE TABLE public.b',
      'CREATE TABLE public.a',
    ])
    expect(steps.filter((sql) => sql.includes('REFERENCES'))).toHaveLength(2)
  })

  it('keeps a self-reference inline', () => {
    const tree = tableOf(a, [idCol, col('parent', 'int4')], {
      primaryKey: pk('a_pkey', ['id']),
      foreignKeys: [fk('a_parent_fkey', ['parent'], a, ['id'])],
    })
    expect(sqlOf([{ kind: 'createTable', table: tree }])).toHaveLength(1)
  })

  it('drops the key of a cycle before dropping the tables, and adds it back plainly in reverse (the tables are new then)', () => {
    const tableA = tableOf(a, [idCol, col('b_id', 'int4')], {
      primaryKey: pk('a_pkey', ['id']),
      foreignKeys: [fk('a_b_fkey', ['b_id'], b, ['id'])],
    })
    const tableB = tableOf(b, [idCol, col('a_id', 'int4')], {
      primaryKey: pk('b_pkey', ['id']),
      foreignKeys: [fk('b_a_fkey', ['a_id'], a, ['id'])],
    })
    const plan = planPostgres(
      [
        { kind: 'dropTable', table: tableA },
        { kind: 'dropTable', table: tableB },
      ],
      safePolicy,
    )
    expect(plan.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE public.a DROP CONSTRAINT a_b_fkey',
      'DROP TABLE public.b',
      'DROP TABLE public.a',
    ])
    expect(plan.steps[0]?.reverse).toEqual({
      sql: 'ALTER TABLE public.a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES public.b (id)',
    })
  })
})

describe('views', () => {
  const v1 = viewOf('public.v1', 'SELECT id FROM a', ['public.a'])
  const v2 = viewOf('public.v2', 'SELECT id FROM v1', ['public.v1'])
  const v3 = viewOf('public.v3', 'SELECT id FROM v2', ['public.v2'])

  it('creates a view after the views it reads, whatever the input order', () => {
    const steps = sqlOf([v3, v2, v1].map((view): Change => ({ kind: 'createView', view })))
    expect(steps.map((sql) => sql.split(' AS')[0])).toEqual([
      'CREATE VIEW public.v1',
      'CREATE VIEW public.v2',
      'CREATE VIEW public.v3',
    ])
  })

  it('drops a view before the views it reads', () => {
    const steps = sqlOf([v1, v3, v2].map((view): Change => ({ kind: 'dropView', view })))
    expect(steps).toEqual(['DROP VIEW public.v3', 'DROP VIEW public.v2', 'DROP VIEW public.v1'])
  })

  it('creates views after the tables and columns they read, and drops them before', () => {
    const steps = sqlOf([
      { kind: 'createView', view: v1 },
      { kind: 'addColumn', table: a, column: col('n', 'int4') },
      { kind: 'dropView', view: viewOf('public.old', 'SELECT n FROM a', ['public.a']) },
      { kind: 'dropColumn', table: a, column: col('m', 'int4') },
    ])
    expect(steps).toEqual([
      'DROP VIEW public.old',
      'ALTER TABLE public.a DROP COLUMN m',
      'ALTER TABLE public.a ADD COLUMN n integer',
      'CREATE VIEW public.v1 AS\nSELECT id FROM a',
    ])
  })

  it('drops a generated column before the column it reads', () => {
    const g = col('g', 'int8', { generated: { expr: 'm * 2', stored: true } })
    const steps = sqlOf([
      { kind: 'dropColumn', table: a, column: col('m', 'int4') },
      { kind: 'dropColumn', table: a, column: g },
    ])
    expect(steps).toEqual(['ALTER TABLE public.a DROP COLUMN g', 'ALTER TABLE public.a DROP COLUMN m'])
  })

  it('builds the indexes of a new materialized view after the view', () => {
    const mv = viewOf('public.mv', 'SELECT id FROM a', ['public.a'], {
      materialized: true,
      indexes: [index('mv_id_idx', ['id'])],
    })
    expect(sqlOf([{ kind: 'createView', view: mv }])).toEqual([
      'CREATE MATERIALIZED VIEW public.mv AS\nSELECT id FROM a',
      'CREATE INDEX mv_id_idx ON public.mv (id)',
    ])
  })
})

describe('names reused within a plan', () => {
  it('drops a table before creating an index with the name of one of its indexes', () => {
    const old = tableOf(a, [idCol], { indexes: [index('shared_idx', ['id'])] })
    const steps = sqlOf([
      { kind: 'createIndex', table: b, index: index('shared_idx', ['id']) },
      { kind: 'dropTable', table: old },
    ])
    expect(steps).toEqual(['DROP TABLE public.a', 'CREATE INDEX CONCURRENTLY shared_idx ON public.b (id)'])
  })

  it('drops an index and a constraint before creating others with their names', () => {
    const steps = sqlOf([
      { kind: 'addUnique', table: a, unique: { name: 'a_key', columns: ['id'] } },
      { kind: 'createIndex', table: a, index: index('a_idx', ['id']) },
      { kind: 'dropIndex', table: a, index: index('a_key', ['id']) },
      { kind: 'dropUnique', table: a, unique: { name: 'a_idx', columns: ['id'] } },
    ])
    expect(steps).toEqual([
      'DROP INDEX CONCURRENTLY public.a_key',
      'ALTER TABLE public.a DROP CONSTRAINT a_idx',
      'CREATE UNIQUE INDEX CONCURRENTLY a_key ON public.a (id)',
      'ALTER TABLE public.a ADD CONSTRAINT a_key UNIQUE USING INDEX a_key',
      'CREATE INDEX CONCURRENTLY a_idx ON public.a (id)',
    ])
  })
})

describe('sequences', () => {
  it('gives a sequence OWNED BY a column of a new table its owner after the table exists', () => {
    const owned = sequenceOf('public.a_no', { ownedBy: { table: a, column: 'no' } })
    const plan = planPostgres(
      [
        { kind: 'createSequence', sequence: owned },
        { kind: 'createTable', table: tableOf(a, [col('no', 'int8', { default: "nextval('a_no'::regclass)" })]) },
      ],
      safePolicy,
    )
    expect(plan.steps.map((s) => [s.sql, s.reverse])).toEqual([
      ['CREATE SEQUENCE public.a_no', { sql: 'DROP SEQUENCE public.a_no' }],
      ["CREATE TABLE public.a (\n  no bigint DEFAULT nextval('a_no'::regclass)\n)", { sql: 'DROP TABLE public.a' }],
      ['ALTER SEQUENCE public.a_no OWNED BY public.a.no', { sql: 'ALTER SEQUENCE public.a_no OWNED BY NONE' }],
    ])
  })

  it('owns a sequence inline when its column already exists', () => {
    const owned = sequenceOf('public.a_no', { ownedBy: { table: a, column: 'no' } })
    expect(sqlOf([{ kind: 'createSequence', sequence: owned }])).toEqual([
      'CREATE SEQUENCE public.a_no OWNED BY public.a.no',
    ])
  })

  it('detaches an owned sequence before its table is dropped, and drops it after', () => {
    const owned = sequenceOf('public.a_no', { ownedBy: { table: a, column: 'no' } })
    const steps = sqlOf([
      { kind: 'dropSequence', sequence: owned },
      { kind: 'dropTable', table: tableOf(a, [col('no', 'int8')]) },
    ])
    expect(steps).toEqual([
      'ALTER SEQUENCE public.a_no OWNED BY NONE',
      'DROP TABLE public.a',
      'DROP SEQUENCE public.a_no',
    ])
  })

  it('drops a sequence after the default that used it is gone', () => {
    const steps = sqlOf([
      { kind: 'dropSequence', sequence: sequenceOf('public.s') },
      {
        kind: 'alterColumn',
        table: a,
        from: col('n', 'int8', { default: "nextval('s'::regclass)" }),
        to: col('n', 'int8'),
        aspects: ['default'],
      },
    ])
    expect(steps).toEqual(['ALTER TABLE public.a ALTER COLUMN n DROP DEFAULT', 'DROP SEQUENCE public.s'])
  })
})

describe('types', () => {
  it('creates an enum before the table using it, and drops one after its last column moved off', () => {
    const mood = enumOf('public.mood', ['sad', 'ok'])
    const steps = sqlOf([
      { kind: 'dropEnum', enum: mood },
      {
        kind: 'alterColumn',
        table: a,
        from: col('m', enumRef('public.mood')),
        to: col('m', 'text'),
        aspects: ['type'],
      },
      { kind: 'createTable', table: tableOf(b, [col('m', enumRef('public.feeling'))]) },
      { kind: 'createEnum', enum: enumOf('public.feeling', ['up']) },
    ])
    expect(steps).toEqual([
      `CREATE TYPE public.feeling AS ENUM ('up')`,
      'CREATE TABLE public.b (\n  m public.feeling\n)',
      'ALTER TABLE public.a ALTER COLUMN m TYPE text',
      'DROP TYPE public.mood',
    ])
  })
})

describe('renames', () => {
  it('run first, so later changes can use the new names', () => {
    const steps = sqlOf([
      { kind: 'addColumn', table: b, column: col('n', 'int4') },
      { kind: 'dropIndex', table: b, index: index('a_idx', ['id']) },
      { kind: 'renameTable', from: a, to: b },
    ])
    expect(steps[0]).toBe('ALTER TABLE public.a RENAME TO b')
  })
})

describe('indexes of a table created in the plan', () => {
  it('come right after the table, before any concurrent step: generate keeps them in the table’s migration', () => {
    const created = tableOf(a, [idCol, col('x', 'text')], { indexes: [index('a_x_idx', ['x'])] })
    const steps = planPostgres(
      [
        { kind: 'createIndex', table: b, index: index('b_y_idx', ['y']) },
        { kind: 'createTable', table: created },
      ],
      safePolicy,
    ).steps
    expect(steps.map((s) => [s.sql.split('\n')[0], s.transactional])).toEqual([
      ['CREATE TABLE public.a (', true],
      ['CREATE INDEX a_x_idx ON public.a (x)', true],
      ['CREATE INDEX CONCURRENTLY b_y_idx ON public.b (y)', false],
    ])
  })
})
