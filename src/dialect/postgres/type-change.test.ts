import { describe, expect, it } from 'vitest'
import type { ColumnType } from '../../schema/model.js'
import { typeChangeFacts, usingExpression } from './type-change.js'

const int = (bytes: 2 | 4 | 8): ColumnType => ({ kind: 'integer', bytes })
const text: ColumnType = { kind: 'text' }
const varchar = (length: number): ColumnType => ({ kind: 'text', length })
const mood: ColumnType = { kind: 'enum', enum: { schema: 'public', name: 'mood' } }

describe('typeChangeFacts', () => {
  it.each<[string, ColumnType, ColumnType, { needsUsing: boolean; rewritesTable: boolean; lossless: boolean }]>([
    ['int → bigint', int(4), int(8), { needsUsing: false, rewritesTable: true, lossless: true }],
    ['bigint → int', int(8), int(4), { needsUsing: false, rewritesTable: true, lossless: false }],
    ['int → numeric', int(4), { kind: 'decimal' }, { needsUsing: false, rewritesTable: true, lossless: true }],
    [
      'bigint → numeric(10)',
      int(8),
      { kind: 'decimal', precision: 10 },
      { needsUsing: false, rewritesTable: true, lossless: false },
    ],
    ['int → double', int(4), { kind: 'float', bytes: 8 }, { needsUsing: false, rewritesTable: true, lossless: true }],
    [
      'bigint → double',
      int(8),
      { kind: 'float', bytes: 8 },
      { needsUsing: false, rewritesTable: true, lossless: false },
    ],
    [
      'varchar(10) → varchar(20)',
      varchar(10),
      varchar(20),
      { needsUsing: false, rewritesTable: false, lossless: true },
    ],
    [
      'varchar(20) → varchar(10)',
      varchar(20),
      varchar(10),
      { needsUsing: false, rewritesTable: true, lossless: false },
    ],
    ['varchar(10) → text', varchar(10), text, { needsUsing: false, rewritesTable: false, lossless: true }],
    ['text → varchar(10)', text, varchar(10), { needsUsing: false, rewritesTable: true, lossless: false }],
    [
      'char(2) → text',
      { kind: 'text', length: 2, fixed: true },
      text,
      { needsUsing: false, rewritesTable: true, lossless: false },
    ],
    ['int → text', int(4), text, { needsUsing: false, rewritesTable: true, lossless: true }],
    ['text → int', text, int(4), { needsUsing: true, rewritesTable: true, lossless: false }],
    ['json → jsonb', { kind: 'json' }, { kind: 'jsonb' }, { needsUsing: false, rewritesTable: true, lossless: false }],
    ['jsonb → json', { kind: 'jsonb' }, { kind: 'json' }, { needsUsing: false, rewritesTable: true, lossless: true }],
    [
      'date → timestamp',
      { kind: 'date' },
      { kind: 'timestamp', withTimeZone: false },
      { needsUsing: false, rewritesTable: true, lossless: true },
    ],
    ['boolean → int', { kind: 'boolean' }, int(4), { needsUsing: true, rewritesTable: true, lossless: false }],
    ['enum → text', mood, text, { needsUsing: false, rewritesTable: true, lossless: true }],
    ['text → enum', text, mood, { needsUsing: true, rewritesTable: true, lossless: false }],
    [
      'numeric(10,2) → numeric(12,2)',
      { kind: 'decimal', precision: 10, scale: 2 },
      { kind: 'decimal', precision: 12, scale: 2 },
      { needsUsing: false, rewritesTable: false, lossless: true },
    ],
    [
      'timestamptz(3) → timestamptz',
      { kind: 'timestamp', withTimeZone: true, precision: 3 },
      { kind: 'timestamp', withTimeZone: true },
      { needsUsing: false, rewritesTable: false, lossless: true },
    ],
    [
      'timestamp → timestamptz',
      { kind: 'timestamp', withTimeZone: false },
      { kind: 'timestamp', withTimeZone: true },
      { needsUsing: false, rewritesTable: true, lossless: false },
    ],
    [
      'int[] → bigint[]',
      { kind: 'array', element: int(4) },
      { kind: 'array', element: int(8) },
      { needsUsing: false, rewritesTable: true, lossless: true },
    ],
    [
      'native → native',
      { kind: 'native', sql: 'citext' },
      { kind: 'native', sql: 'ltree' },
      { needsUsing: true, rewritesTable: true, lossless: false },
    ],
  ])('%s', (_name, from, to, facts) => {
    expect(typeChangeFacts(from, to)).toEqual(facts)
  })
})

describe('usingExpression', () => {
  it('casts directly, or through text for enums', () => {
    expect(usingExpression('Age', text, int(4))).toBe('"Age"::integer')
    expect(usingExpression('m', mood, { kind: 'enum', enum: { schema: 'public', name: 'feeling' } })).toBe(
      'm::text::public.feeling',
    )
    expect(
      usingExpression(
        'm',
        { kind: 'array', element: mood },
        { kind: 'array', element: { kind: 'enum', enum: { name: 'f' } } },
      ),
    ).toBe('m::text[]::f[]')
  })
})
