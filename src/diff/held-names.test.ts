import { describe, expect, it } from 'vitest'
import { col, index, nameOf, pk, schemaOf, tableOf } from '../schema/build.js'
import type { Table } from '../schema/model.js'
import { heldCopyNames, isCopyNamed } from './held-names.js'

const parent = tableOf('public.m', [col('id', 'int4'), col('k', 'int4')], {
  primaryKey: pk('m_pkey', ['id']),
  indexes: [index('m_k_idx', ['k'])],
})
const partition = (name: string, ext: NonNullable<Table['ext']>['postgres'] = {}): Table =>
  tableOf(`public.${name}`, [], {
    ext: { postgres: { partitionOf: { parent: nameOf('public.m'), bound: "FOR VALUES IN ('x')" }, ...ext } },
  })

describe('heldCopyNames', () => {
  it("lists each partition's copies of its parent's indexes and keys, under their listed or default names", () => {
    const renamed = partition('m_eu', {
      attachedIndexes: [{ parent: 'm_k_idx', name: 'm_eu_k_ix', defaultName: 'm_eu_k_idx' }],
    })
    const schema = schemaOf({ tables: [parent, partition('m_us'), renamed] })
    const names = heldCopyNames(schema, [nameOf('public.m_us')]).map((held) => held.name)
    expect(names).toEqual(expect.arrayContaining(['m_us_k_idx', 'm_us_pkey', 'm_eu_pkey']))
    // m_eu's copy of m_k_idx has a name of its own (not of a copy's shape): its default name is free.
    expect(names).not.toContain('m_eu_k_idx')
    expect(isCopyNamed(schema, nameOf('public.m_us'), 'm_k_idx', 'm_us_k_idx')).toBe(true)
    expect(isCopyNamed(schema, nameOf('public.m_eu'), 'm_k_idx', 'm_eu_k_idx')).toBe(false)
  })

  it('lists them once a schema and namespace: a plan asks for each partition that renames a new copy', () => {
    // At 1,000 partitions of a table with 10 indexes, each ask listed 10,000 copies again (29 ms): 29 s a plan.
    const schema = schemaOf({ tables: [parent, partition('m_us'), partition('m_eu')] })
    const first = heldCopyNames(schema, [nameOf('public.m_us')])
    expect(heldCopyNames(schema, [nameOf('public.m_eu')])).toBe(first)
    expect(heldCopyNames(schemaOf({ tables: [parent, partition('m_us')] }), [nameOf('public.m_us')])).not.toBe(first)
  })
})
