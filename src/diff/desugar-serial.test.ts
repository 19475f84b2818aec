import { describe, expect, it } from 'vitest'
import { col, schemaOf, sequenceOf, tableOf } from '../schema/build.js'
import type { Change } from './change.js'
import { diff } from './diff.js'

describe('serial columns on one side only', () => {
  it('keeps the sequence and releases its ownership instead of dropping it', () => {
    const serial = schemaOf({
      tables: [tableOf('public.test', [{ ...col('id', 'int4', { nullable: false }), serial: true }])],
    })
    const explicit = schemaOf({
      sequences: [sequenceOf('public.test_id_seq', { type: { kind: 'integer', bytes: 4 } })],
      tables: [
        tableOf('public.test', [col('id', 'int4', { nullable: false, default: "nextval('test_id_seq'::regclass)" })]),
      ],
    })
    const changes = diff(serial, explicit).changes
    expect(changes.map((c) => c.kind)).toEqual(['alterSequence'])
    expect(changes[0]).toMatchObject({ from: { ownedBy: { column: 'id' } }, to: { name: { name: 'test_id_seq' } } })
    expect(diff(explicit, serial).changes.map((c) => c.kind)).toEqual(['alterSequence'])
  })
})

describe('a serial column whose names pass 63 bytes', () => {
  // PostgreSQL names the sequence as makeObjectName does: the longer name shortened first, to fit 63 bytes.
  const table = 'a_very_long_table_name_that_goes_on_and_on_for_a_while_xx'
  const column = 'identifier_column_with_long_name'
  const sequence = 'a_very_long_table_name_that_g_identifier_column_with_long_n_seq'

  it('names the sequence as CREATE TABLE does, not with the template the server would truncate', () => {
    const serial = schemaOf({
      tables: [tableOf(`public.${table}`, [{ ...col(column, 'int4', { nullable: false }), serial: true }])],
    })
    const plain = schemaOf({ tables: [tableOf(`public.${table}`, [col(column, 'int4', { nullable: false })])] })
    const sequenceNames = (changes: readonly Change[]) =>
      changes.flatMap((c) => (c.kind === 'dropSequence' || c.kind === 'createSequence' ? [c.sequence.name.name] : []))
    expect(sequenceNames(diff(serial, plain).changes)).toEqual([sequence])
    expect(sequenceNames(diff(plain, serial).changes)).toEqual([sequence])
  })
})
