import { beforeAll, describe, expect, it } from 'vitest'
import { index, nameOf } from '../../schema/build.js'
import { indexColumnNames } from './index-column-names.js'
import { loadReferenceParser } from './sql-references.js'

beforeAll(() => loadReferenceParser())

const m = nameOf('public.m')
const names = (...parts: Parameters<typeof index>[1]) => indexColumnNames(m, index('m_i', parts, { include: ['id'] }))

describe('indexColumnNames', () => {
  it('names columns by themselves and expressions as FigureIndexColname does, INCLUDE columns last', () => {
    expect(names('k', { expr: 'lower(note)' })).toEqual(['k', 'lower', 'id'])
    // Operators have no name; a cast takes its argument's, else its type's; COALESCE is named as a function.
    expect(names({ expr: '(k + 1)' }, { expr: '((k)::text)' }, { expr: "(''::text)::varchar" })).toEqual([
      'expr',
      'k',
      'varchar',
      'id',
    ])
    expect(names({ expr: "COALESCE(note, 'x'::text)" }, { expr: 'public.f(k)' })).toEqual(['coalesce', 'f', 'id'])
  })

  it('cannot tell an expression that does not parse', () => {
    expect(indexColumnNames(m, index('m_i', [{ expr: 'lower(' }]))).toBeUndefined()
    // Nor one that would close the statement and start another.
    expect(indexColumnNames(m, index('m_i', [{ expr: 'k); select (1' }]))).toBeUndefined()
  })
})
