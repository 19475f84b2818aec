import { describe, expect, it } from 'vitest'
import { changeOf } from '../../test/support/change-of.js'
import { check, index, nameOf, sequenceOf } from '../schema/build.js'
import { objectsOf, refsOfSql } from './step-ties-names.js'

/** Whether `sql` may name `name` of `schema` (undefined: of any). */
const names = (sql: string, schema: string | undefined, name: string) => refsOfSql(sql).mentions({ schema, name })

describe('the names a statement mentions, in their schemas', () => {
  it('takes a qualified name in its schema alone, quoted or not', () => {
    expect(names('DROP INDEX CONCURRENTLY public.shared_idx', 'public', 'shared_idx')).toBe(true)
    expect(names('DROP INDEX CONCURRENTLY public.shared_idx', 'other', 'shared_idx')).toBe(false)
    expect(names('DROP INDEX "Other"."Shared idx"', 'other', 'shared idx')).toBe(true)
    expect(names('DROP INDEX "Other"."Shared idx"', 'public', 'shared idx')).toBe(false)
    // Blanks around the dot are still a qualified name.
    expect(names('DROP TABLE other . accounts', 'public', 'accounts')).toBe(false)
  })

  it("takes a name alone in every schema (the search path is the dialect's)", () => {
    expect(names("ALTER TABLE other.accounts ALTER COLUMN d SET DEFAULT 'p'::state", 'public', 'state')).toBe(true)
    expect(names("ALTER TABLE other.accounts ALTER COLUMN d SET DEFAULT 'p'::state", 'other', 'state')).toBe(true)
    expect(names("ALTER TABLE other.accounts ALTER COLUMN d SET DEFAULT 'p'::state", 'third', 'state')).toBe(true)
    // The qualifier itself is a name alone: it may be any schema's relation (a table's name before its column's).
    expect(names("ALTER TABLE other.accounts ALTER COLUMN d SET DEFAULT 'p'::state", 'third', 'other')).toBe(true)
    // What a key's name is in: its table's schema, which the statement names.
    expect(names('ALTER TABLE other.t ADD CONSTRAINT t_key UNIQUE USING INDEX t_idx', 'other', 't_idx')).toBe(true)
  })

  it("takes the name a CREATE INDEX makes in its table's schema alone", () => {
    const sql = "CREATE INDEX shared_idx ON other.accounts (id) WHERE (d = 'p'::state)"
    expect(names(sql, 'other', 'shared_idx')).toBe(true)
    expect(names(sql, 'public', 'shared_idx')).toBe(false)
    expect(names(sql, 'public', 'state')).toBe(true)
    const concurrent = 'create unique index concurrently if not exists c on only "Other".t (c)'
    expect(names(concurrent, 'other', 'c')).toBe(true)
    // c the column: a name alone, in any schema the statement names or the search path's.
    expect(names(concurrent, 'public', 'c')).toBe(true)
    // The table written without its schema: the index's name is where the table is, by the search path.
    expect(names('CREATE INDEX i ON t (a)', 'public', 'i')).toBe(true)
  })

  it('reads the relation a literal names, and nothing of other literals', () => {
    expect(names("nextval('other.s'::regclass)", 'other', 's')).toBe(true)
    expect(names("nextval('other.s'::regclass)", 'public', 's')).toBe(false)
    expect(names("nextval('s'::regclass)", 'public', 's')).toBe(true)
    expect(names("b = 'shared_idx'", 'public', 'shared_idx')).toBe(false)
  })

  it('matches a name the model holds without a schema in any schema', () => {
    expect(names('DROP INDEX other.shared_idx', undefined, 'shared_idx')).toBe(true)
  })
})

describe('the objects a change is about, in their schemas', () => {
  it("puts an index, a check or a key in its table's schema, and a named object in its own", () => {
    const table = nameOf('other.accounts')
    expect(objectsOf(changeOf('dropIndex', { table, index: index('shared_idx', ['id']) }))).toEqual([
      { schema: 'other', name: 'accounts' },
      { schema: 'other', name: 'shared_idx' },
    ])
    expect(objectsOf(changeOf('addCheck', { table, check: check('Positive', 'id > 0') }))).toEqual([
      { schema: 'other', name: 'accounts' },
      { schema: 'other', name: 'positive' },
    ])
    expect(objectsOf(changeOf('dropSequence', { sequence: sequenceOf('other.s') }))).toEqual([
      { schema: 'other', name: 's' },
    ])
  })
})

describe('names beyond ASCII', () => {
  it('reads a name with letters from U+0080 whole, as the server scans it', () => {
    expect(names('DROP INDEX CONCURRENTLY public.café_idx', 'public', 'café_idx')).toBe(true)
    expect(names('CREATE INDEX ON public.t ((größe(x)))', 'public', 'größe')).toBe(true)
  })
})
