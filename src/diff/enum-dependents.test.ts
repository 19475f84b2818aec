import { describe, expect, it } from 'vitest'
import { check, col, enumOf, enumRef, index, routineOf, schemaOf, tableOf, unique, viewOf } from '../schema/build.js'
import type { Schema } from '../schema/model.js'
import type { Change } from './change.js'
import { diff } from './diff.js'

const mood = enumRef('public.mood')
const isP = routineOf(
  'public.is_p',
  "CREATE OR REPLACE FUNCTION public.is_p(x mood)\n RETURNS boolean\n LANGUAGE sql\nAS $function$ select x = 'p' $function$",
  {
    identityArgs: 'x mood',
    returns: 'boolean',
    dependsOn: [{ kind: 'type', name: { schema: 'public', name: 'mood' } }],
  },
)
const t = tableOf(
  'public.t',
  [
    col('id', 'int8', { nullable: false }),
    col('m', mood, { default: "'p'::mood" }),
    col('n', 'int4'),
    col('h', 'bool', { generated: { expr: "(m = 'p'::mood)", stored: true } }),
    col('g', 'int8', { generated: { expr: '(n * 2)', stored: true } }),
  ],
  {
    checks: [check('t_m_check', "(m <> 'p'::mood)"), check('t_n_check', '(n > 0)')],
    indexes: [
      index('t_m_idx', ['m']),
      index('t_partial_idx', ['id'], { where: "(m = 'p'::mood)" }),
      index('t_n_idx', [{ expr: '(n * 2)' }]),
    ],
  },
)
const readsM = viewOf('public.v', 'SELECT id, m FROM t', ['public.t'])
const overV = viewOf('public.vv', 'SELECT id FROM v', ['public.v'])
const readsN = viewOf('public.w', 'SELECT id, n FROM t', ['public.t'])
const a: Schema = schemaOf({
  enums: [enumOf('public.mood', ['p', 'q'])],
  tables: [t],
  views: [readsM, overV, readsN],
  routines: [isP],
})
const grown = (schema: Schema): Schema => ({ ...schema, enums: [enumOf('public.mood', ['p', 'q', 'r'])] })
const alterEnum = (changes: readonly Change[]) => changes.find((c) => c.kind === 'alterEnum')

describe('an enum that only gains values', () => {
  it('carries, for its reverse, what reads its columns or takes it: the drops a recreation runs first', () => {
    const change = alterEnum(diff(a, grown(a)).changes)
    expect(change?.kind === 'alterEnum' && change.dependents).toEqual([
      { kind: 'dropCheck', table: t.name, check: t.checks[0] },
      { kind: 'dropIndex', table: t.name, index: t.indexes[1] },
      { kind: 'dropColumn', table: t.name, column: t.columns[3] },
      { kind: 'dropView', view: readsM },
      { kind: 'dropView', view: overV },
      { kind: 'dropRoutine', routine: isP },
    ])
  })

  it('leaves out what the plan drops before the enum changes, and names what it renames by the new name', () => {
    const b: Schema = grown({
      ...a,
      tables: [
        {
          ...t,
          checks: [t.checks[1]!],
          indexes: [t.indexes[0]!, { ...t.indexes[1]!, name: 't_p_idx' }, t.indexes[2]!],
        },
      ],
      views: [readsN],
      routines: [],
    })
    const change = alterEnum(diff(a, b).changes)
    expect(change?.kind === 'alterEnum' && change.dependents).toEqual([
      { kind: 'dropIndex', table: t.name, index: { ...t.indexes[1]!, name: 't_p_idx' } },
      { kind: 'dropColumn', table: t.name, column: t.columns[3] },
    ])
  })

  it('gives a materialized view the indexes it has then, and takes along what is built on a generated column', () => {
    const mv = viewOf('public.mv', 'SELECT id, m FROM t', ['public.t'], {
      materialized: true,
      indexes: [index('mv_id_idx', ['id']), index('mv_m_idx', ['m'])],
    })
    const table = {
      ...t,
      checks: [],
      uniques: [unique('t_h_key', ['id', 'h'])],
      indexes: [index('t_h_idx', ['h']), t.indexes[2]!],
    }
    const start: Schema = { ...a, tables: [table], views: [mv], routines: [] }
    const b: Schema = grown({ ...start, views: [{ ...mv, indexes: [mv.indexes[1]!] }] })
    const change = alterEnum(diff(start, b).changes)
    expect(change?.kind === 'alterEnum' && change.dependents).toEqual([
      { kind: 'dropUnique', table: t.name, unique: table.uniques[0] },
      { kind: 'dropIndex', table: t.name, index: table.indexes[0] },
      { kind: 'dropColumn', table: t.name, column: t.columns[3] },
      { kind: 'dropView', view: { ...mv, indexes: [mv.indexes[1]] } },
    ])
  })

  it('carries nothing when nothing reads its columns', () => {
    const plain: Schema = { ...a, tables: [{ ...t, columns: t.columns.slice(0, 3), checks: [], indexes: [] }] }
    const change = alterEnum(
      diff({ ...plain, views: [], routines: [] }, grown({ ...plain, views: [], routines: [] })).changes,
    )
    expect(change).toBeDefined()
    expect(change && 'dependents' in change).toBe(false)
  })

  it('is recreated with them by the way back, which the diff plans as separate changes instead', () => {
    const back = alterEnum(diff(grown(a), a).changes)
    expect(back?.kind === 'alterEnum' && back.dependents).toBeUndefined()
  })
})

describe('an enum recreated: the routines compiled again after it', () => {
  const plpgsql = routineOf(
    'public.moodify',
    'CREATE OR REPLACE FUNCTION public.moodify(t text)\n RETURNS text\n LANGUAGE plpgsql\nAS $function$ declare v mood; begin v := t::mood; return v::text; end $function$',
    { identityArgs: 't text', returns: 'text' },
  )
  // Names `mood` only as a column of another table: PostgreSQL keeps no compiled type for an SQL function.
  const sql = routineOf(
    'public.moods_of',
    'CREATE OR REPLACE FUNCTION public.moods_of(k integer)\n RETURNS text\n LANGUAGE sql\nAS $function$ select mood from people where id = k $function$',
    { identityArgs: 'k integer', returns: 'text' },
  )
  it('are the PL/pgSQL ones that name the type, not an SQL function that names a column like it', () => {
    const from = schemaOf({ enums: [enumOf('public.mood', ['p', 'q'])], routines: [plpgsql, sql] })
    const to = { ...from, enums: [enumOf('public.mood', ['p'])] }
    const change = alterEnum(diff(from, to).changes)
    expect(change?.kind === 'alterEnum' && change.recompiled?.map((r) => r.name.name)).toEqual(['moodify'])
  })
})
