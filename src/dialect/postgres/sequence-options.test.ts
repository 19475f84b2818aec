import { describe, expect, it } from 'vitest'
import { diff } from '../../diff/diff.js'
import { directPolicy } from '../../plan/policy.js'
import { col, schemaOf, tableOf } from '../../schema/build.js'
import type { Schema } from '../../schema/model.js'
import { buildSequence, sequenceOptions } from './introspect-columns.js'
import { normalizePostgres } from './normalize.js'
import { planPostgres } from './plan.js'
import type { SequenceRow } from './queries/sequences.js'
import { renderCreateTable } from './render.js'
import { renderCreateSequence } from './render-objects.js'
import { normalizeSequenceOptions } from './sequence-options.js'

/** A catalog row as SEQUENCES_SQL returns it (values as text), PostgreSQL's defaults unless told. */
function row(values: Partial<Pick<SequenceRow, 'start' | 'increment' | 'min' | 'max'>>): SequenceRow {
  return {
    oid: '1',
    schema: 'public',
    name: 's',
    type: 'bigint',
    start: '1',
    increment: '1',
    min: '1',
    max: '9223372036854775807',
    cache: '1',
    cycle: false,
    owner_kind: null,
    owner_table_oid: null,
    owner_schema: null,
    owner_table: null,
    owner_column: null,
    ...values,
  }
}

/** A schema holding the sequence of `values`, as introspection then normalisation make it. */
const withSequence = (values: Parameters<typeof row>[0]): Schema =>
  normalizePostgres(schemaOf({ sequences: [buildSequence(row(values), () => undefined)] }))

/** A schema holding table t whose identity column has the options of `values`, as introspection makes it. */
const withIdentity = (values: Parameters<typeof row>[0]): Schema =>
  normalizePostgres(
    schemaOf({
      tables: [
        tableOf('public.t', [
          col('id', 'int8', { nullable: false, identity: { always: true, sequence: sequenceOptions(row(values)) } }),
        ]),
      ],
    }),
  )

const planned = (from: Schema, to: Schema): string[] =>
  planPostgres(diff(from, to).changes, directPolicy).steps.map((step) => step.sql)

describe('sequence values past 2^53', () => {
  it('are read from the catalog exactly, and defaults are recognised to the last digit', () => {
    expect(withSequence({ max: '9223372036854775806' }).sequences).toEqual([
      { name: { schema: 'public', name: 's' }, max: '9223372036854775806' },
    ])
    expect(withSequence({ max: '9223372036854775807' }).sequences).toEqual([{ name: { schema: 'public', name: 's' } }])
    expect(withSequence({ increment: '-1', min: '-9223372036854775807', max: '-1', start: '-1' }).sequences[0]).toEqual(
      { name: { schema: 'public', name: 's' }, increment: -1, min: '-9223372036854775807' },
    )
    // A start equal to a big minimum is the default start.
    expect(withSequence({ start: '9007199254740993', min: '9007199254740993' }).sequences[0]).toEqual({
      name: { schema: 'public', name: 's' },
      min: '9007199254740993',
    })
    expect(withIdentity({ start: '9007199254740993', max: '9223372036854775806' }).tables[0]?.columns[0]).toEqual({
      name: 'id',
      type: { kind: 'integer', bytes: 8 },
      nullable: false,
      identity: { always: true, sequence: { start: '9007199254740993', max: '9223372036854775806' } },
    })
  })

  it('are canonical: digits of a safe value become a number, so that equality compares', () => {
    expect(normalizeSequenceOptions({ start: '100', increment: '9007199254740991' }, 8, true)).toEqual({
      start: 100,
      increment: 9007199254740991,
    })
    expect(normalizeSequenceOptions({ max: 9223372036854775807n.toString() as `${bigint}` }, 8, true)).toEqual({})
  })

  it('one apart compare different and are altered to the exact value', () => {
    const same = withSequence({ max: '9223372036854775806' })
    expect(diff(same, withSequence({ max: '9223372036854775806' })).changes).toEqual([])
    expect(planned(same, withSequence({ max: '9223372036854775805' }))).toEqual([
      'ALTER SEQUENCE public.s MAXVALUE 9223372036854775805',
    ])
    // Dropping a start restores the default start: the minimum, here past 2^53.
    expect(
      planned(
        withSequence({ start: '9007199254740995', min: '9007199254740993' }),
        withSequence({ start: '9007199254740993', min: '9007199254740993' }),
      ),
    ).toEqual(['ALTER SEQUENCE public.s START WITH 9007199254740993'])
    expect(planned(withIdentity({ start: '9007199254740993' }), withIdentity({ start: '9007199254740994' }))).toEqual([
      'ALTER TABLE public.t ALTER COLUMN id SET START WITH 9007199254740994',
    ])
  })

  it('are created with all their digits', () => {
    const values = {
      start: '9007199254740993',
      increment: '9007199254740995',
      min: '-9223372036854775807',
      max: '9223372036854775806',
    }
    const [sequence] = withSequence(values).sequences
    expect(sequence && renderCreateSequence(sequence)).toBe(
      'CREATE SEQUENCE public.s INCREMENT BY 9007199254740995 MINVALUE -9223372036854775807 ' +
        'MAXVALUE 9223372036854775806 START WITH 9007199254740993',
    )
    const [table] = withIdentity(values).tables
    expect(table && renderCreateTable(table)).toContain(
      'id bigint GENERATED ALWAYS AS IDENTITY (INCREMENT BY 9007199254740995 MINVALUE -9223372036854775807 ' +
        'MAXVALUE 9223372036854775806 START WITH 9007199254740993) NOT NULL',
    )
  })
})
