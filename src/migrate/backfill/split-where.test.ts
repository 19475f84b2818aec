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

  it('reads a $ inside a name as part of the name, and a tag with digits as a dollar quote', () => {
    // A table named i$keel$: the $keel$ is no dollar quote (it ran to the end of the text: no WHERE found).
    expect(splitWhere('update i$keel$ set a = 1 where a is null')).toEqual({
      head: 'update i$keel$ set a = 1',
      where: 'a is null',
    })
    expect(splitWhere('update t set a = $q1$ where $q1$ where a is null')).toEqual({
      head: 'update t set a = $q1$ where $q1$',
      where: 'a is null',
    })
  })

  it('has no WHERE when there is none', () => {
    expect(splitWhere('update t set a = 1')).toEqual({ head: 'update t set a = 1', where: undefined })
  })
})
