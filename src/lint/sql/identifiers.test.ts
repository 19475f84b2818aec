import { describe, expect, it } from 'vitest'
import { identifiersIn } from './identifiers.js'

const names = (sql: string) => [...identifiersIn(sql)]

describe('identifiersIn', () => {
  it('reads words and quoted names, each once', () => {
    expect(names('select a, "B ""c""", a from t')).toEqual(['select', 'a', 'B "c"', 'from', 't'])
  })

  it('reads none out of strings, dollar-quoted bodies, comments and numbers', () => {
    expect(names("select 'x y', E'z\\' w', $$ q $$, $t$ r $t$, 1e5, 0x1f, $1 -- s\n/* u /* v */ w */ as k")).toEqual([
      'select',
      'E',
      'as',
      'k',
    ])
  })

  it('takes no apostrophe outside a string for a string', () => {
    expect(names("-- don't\nselect 1 as a; /* it's */ select \"o'b\" as b, 'c' as c")).toEqual([
      'select',
      'as',
      'a',
      "o'b",
      'b',
      'c',
    ])
  })

  it('keeps a name that runs to the end of the text, quoted or not', () => {
    expect(names('select "abc')).toEqual(['select', 'abc'])
    expect(names('x$y')).toEqual(['x$y'])
  })

  it('reads a U&"..." name decoded, with its UESCAPE character, and a broken one as written', () => {
    expect(names('select U&"d\\0061t\\+000061", u&"a!0062" /* c */ UESCAPE \'!\', U&"\\00zz" from t')).toEqual([
      'select',
      'U',
      'data',
      'u',
      'ab',
      'UESCAPE',
      '\\00zz',
      'from',
      't',
    ])
  })
})
