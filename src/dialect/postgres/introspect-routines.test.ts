import { describe, expect, it } from 'vitest'
import { schemaOf } from '../../schema/build.js'
import { aggregateDefinition, buildRoutine, buildTrigger } from './introspect-routines.js'
import { normalizePostgres } from './normalize.js'
import type { RoutineRow } from './queries/routines.js'

const aggregateRow: RoutineRow = {
  oid: '1',
  schema: 'public',
  name: 'group_concat',
  kind: 'a',
  identity_args: 'text',
  arguments: 'text',
  returns: 'text',
  definition: null,
  parallel: 'u',
  agg_kind: 'n',
  agg_sfunc: '_group_concat',
  agg_stype: 'text',
  agg_sspace: 0,
  agg_finalfunc: null,
  agg_finalfunc_extra: false,
  agg_finalfunc_modify: 'r',
  agg_combinefunc: null,
  agg_serialfunc: null,
  agg_deserialfunc: null,
  agg_initcond: null,
  agg_msfunc: null,
  agg_minvfunc: null,
  agg_mstype: null,
  agg_msspace: 0,
  agg_mfinalfunc: null,
  agg_mfinalfunc_extra: false,
  agg_mfinalfunc_modify: 'r',
  agg_minitcond: null,
  agg_sortop: null,
  depends_on: [{ kind: 'routine', schema: 'public', name: '_group_concat', args: 'text, text' }],
  comment: null,
}

describe('aggregateDefinition', () => {
  it('states only what differs from the defaults, as pg_dump does', () => {
    expect(aggregateDefinition({ schema: 'public', name: 'group_concat' }, aggregateRow)).toBe(
      'CREATE OR REPLACE AGGREGATE public.group_concat(text) (\n    SFUNC = _group_concat,\n    STYPE = text\n)',
    )
  })

  it('writes every option that is set, INITCOND as a literal, and * for an aggregate of no arguments', () => {
    const row: RoutineRow = {
      ...aggregateRow,
      name: 'Weird',
      arguments: '',
      parallel: 's',
      agg_finalfunc: 'fin',
      agg_finalfunc_extra: true,
      agg_finalfunc_modify: 'w',
      agg_combinefunc: 'comb',
      agg_initcond: "it's",
      agg_msfunc: 'ms',
      agg_minvfunc: 'minv',
      agg_mstype: 'integer',
      agg_sortop: 'OPERATOR(pg_catalog.>)',
    }
    expect(aggregateDefinition({ schema: 'app', name: 'Weird' }, row)).toMatchInlineSnapshot(`
      "CREATE OR REPLACE AGGREGATE app."Weird"(*) (
          SFUNC = _group_concat,
          STYPE = text,
          FINALFUNC = fin,
          FINALFUNC_EXTRA,
          FINALFUNC_MODIFY = READ_WRITE,
          COMBINEFUNC = comb,
          INITCOND = 'it''s',
          MSFUNC = ms,
          MINVFUNC = minv,
          MSTYPE = integer,
          SORTOP = OPERATOR(pg_catalog.>),
          PARALLEL = SAFE
      )"
    `)
  })
})

describe('buildRoutine and buildTrigger', () => {
  it('builds an aggregate with its dependencies, and normalisation keeps it stable', () => {
    const routine = buildRoutine(aggregateRow)
    expect(routine).toEqual({
      name: { schema: 'public', name: 'group_concat' },
      kind: 'aggregate',
      identityArgs: 'text',
      arguments: 'text',
      returns: 'text',
      definition: aggregateDefinition({ schema: 'public', name: 'group_concat' }, aggregateRow),
      dependsOn: [{ kind: 'routine', name: { schema: 'public', name: '_group_concat' }, identityArgs: 'text, text' }],
    })
    const schema = schemaOf({ routines: [routine] })
    expect(normalizePostgres(schema)).toEqual(schema)
    expect(normalizePostgres(schemaOf({ routines: [], triggers: [], domains: [] }))).toEqual(schemaOf())
  })

  it('omits the default enabled state (O) and keeps the others', () => {
    const row = {
      table_oid: '2',
      schema: 'public',
      table: 'items',
      name: 't',
      definition: 'CREATE TRIGGER t AFTER INSERT ON public.items FOR EACH ROW EXECUTE FUNCTION f()\n',
      enabled: 'O' as const,
      function_schema: 'public',
      function_name: 'f',
      columns: [],
      comment: null,
    }
    expect(buildTrigger(row)).toEqual({
      table: { schema: 'public', name: 'items' },
      name: 't',
      definition: 'CREATE TRIGGER t AFTER INSERT ON public.items FOR EACH ROW EXECUTE FUNCTION f()',
      function: { schema: 'public', name: 'f' },
      columns: [],
    })
    expect(buildTrigger({ ...row, enabled: 'D', comment: 'off' })).toMatchObject({ enabled: 'D', comment: 'off' })
  })
})
