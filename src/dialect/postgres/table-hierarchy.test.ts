import { describe, expect, it } from 'vitest'
import type { Table } from '../../schema/model.js'
import { postgresTableHierarchy } from './table-hierarchy.js'

const partitioned = (partitionBy: string): Table => ({
  name: { schema: 'public', name: 't' },
  columns: [],
  uniques: [],
  indexes: [],
  foreignKeys: [],
  checks: [],
  ext: { postgres: { partitionBy } },
})

describe('postgresTableHierarchy.partitionKeyReads', () => {
  const reads = (key: string, column: string) =>
    postgresTableHierarchy.partitionKeyReads?.(partitioned(key), column) ?? false

  it('finds a key column, plain, quoted or in an expression', () => {
    expect(reads('RANGE (k)', 'k')).toBe(true)
    expect(reads('HASH (a, b)', 'b')).toBe(true)
    expect(reads('LIST (lower(name))', 'name')).toBe(true)
    expect(reads('RANGE ("Day", k)', 'Day')).toBe(true)
    expect(reads('RANGE (((created_at)::date))', 'created_at')).toBe(true)
  })

  it('leaves other columns alone: a longer name, a function of that name, the method, a table without a key', () => {
    expect(reads('RANGE (k2)', 'k')).toBe(false)
    expect(reads('LIST (lower(name))', 'lower')).toBe(false)
    expect(reads('RANGE (k)', 'range')).toBe(false)
    expect(reads('RANGE ("Day")', 'day')).toBe(false)
    expect(postgresTableHierarchy.partitionKeyReads?.({ ...partitioned(''), ext: {} }, 'k')).toBe(false)
  })
})
