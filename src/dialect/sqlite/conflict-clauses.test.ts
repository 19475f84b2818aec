import { describe, expect, it } from 'vitest'
import { readConflictClauses } from './conflict-clauses.js'
import { parenthesized, splitTopLevel } from './sql-text.js'

const elementsOf = (create: string) => splitTopLevel(parenthesized(create)?.inner ?? '')

describe('readConflictClauses', () => {
  it('places each clause on the constraint written before it, in column definitions and table constraints', () => {
    const elements = elementsOf(`CREATE TABLE t (
      id INTEGER PRIMARY KEY DESC ON CONFLICT REPLACE,
      "a b" TEXT NOT NULL ON CONFLICT ignore UNIQUE ON CONFLICT FAIL,
      c TEXT DEFAULT 'ON CONFLICT REPLACE' NOT NULL,
      CONSTRAINT [u x] UNIQUE ("a b" COLLATE NOCASE, c) ON CONFLICT ROLLBACK,
      CONSTRAINT c_check CHECK (c <> '') ON CONFLICT IGNORE
    )`)
    const read = readConflictClauses(elements)
    expect(read.primaryKey).toBe('REPLACE')
    expect([...read.notNull]).toEqual([['a b', 'IGNORE']])
    expect(read.uniques).toEqual([
      { columns: ['a b'], onConflict: 'FAIL' },
      { columns: ['a b', 'c'], onConflict: 'ROLLBACK' },
    ])
    expect([...read.checks.values()]).toEqual(['IGNORE'])
    expect(read.unplaced).toEqual([])
  })

  it('leaves ABORT (the default) out, and reports a clause on no constraint it models', () => {
    const read = readConflictClauses(
      elementsOf(
        'CREATE TABLE t (a INT NOT NULL ON CONFLICT ABORT, b INT NULL ON CONFLICT IGNORE, PRIMARY KEY (a) ON CONFLICT ABORT)',
      ),
    )
    expect(read).toEqual({
      notNull: new Map(),
      uniques: [],
      checks: new Map(),
      unplaced: ['b INT NULL ON CONFLICT IGNORE'],
    })
  })
})
