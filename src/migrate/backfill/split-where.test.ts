import { describe, expect, it } from 'vitest'
import { splitWhere } from './split-where.js'

describe('splitWhere', () => {
  it('splits at the top-level WHERE only', () => {
    expect(splitWhere('UPDATE t SET a = (SELECT 1 WHERE true) WHERE a IS NULL OR b IS NULL')).toEqual({
      head: 'UPDATE t SET a = (SELECT 1 WHERE true)',
      where: 'a IS NULL OR b IS NULL',
    })
  })

  it('skips literals, quoted names, dollar quotes and comments', () => {
    const sql = `update "where" set note = 'where', x = $q$ where $q$ -- where\n/* where */ where nowhere = 1`
    expect(splitWhere(sql)).toEqual({ head: sql.slice(0, sql.lastIndexOf(' where nowhere')), where: 'nowhere = 1' })
  })

  it('has no WHERE when there is none', () => {
    expect(splitWhere('update t set a = 1')).toEqual({ head: 'update t set a = 1', where: undefined })
  })
})
