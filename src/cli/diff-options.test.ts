import { describe, expect, it } from 'vitest'
import { getDialect } from '../dialect/registry.js'
import { col, index, nameOf, schemaOf, tableOf } from '../schema/build.js'
import type { Index } from '../schema/model.js'
import { diffOptionsFor } from './diff-options.js'

const dialect = getDialect('postgres')

/** A schema whose partitioned table m has `indexes`. */
const withIndexes = (...indexes: Index[]) =>
  schemaOf({
    tables: [
      tableOf('public.m', [col('k', 'int4'), col('note', 'text')], {
        indexes,
        ext: { postgres: { partitionBy: 'LIST (k)' } },
      }),
    ],
  })

const lower = index('m_lower', [{ expr: 'lower(note)' }])

describe('diffOptionsFor', () => {
  it('names index columns when an expression index is added to a partitioned table, or made again', async () => {
    const options = await diffOptionsFor(dialect, withIndexes(), withIndexes(lower))
    expect(options.indexColumnNames?.(nameOf('public.m'), lower)).toEqual(['lower'])
    const changed = index('m_lower', [{ expr: 'upper(note)' }])
    expect((await diffOptionsFor(dialect, withIndexes(lower), withIndexes(changed))).indexColumnNames).toBeDefined()
  })

  it('leaves the parser unloaded when the expression indexes stay as they are', async () => {
    const plain = index('m_k', ['k'])
    expect(await diffOptionsFor(dialect, withIndexes(lower), withIndexes(lower, plain))).toBe(dialect)
  })
})
