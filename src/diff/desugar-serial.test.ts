import { describe, expect, it } from 'vitest'
import { col, schemaOf, sequenceOf, tableOf } from '../schema/build.js'
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
