import { describe, expect, it } from 'vitest'
import { wordsOf } from './change-reads.js'
import { refsOfSql } from './step-ties-names.js'

/** Whether `sql` may name `name` of `schema`. */
const names = (sql: string, schema: string, name: string) => refsOfSql(sql).mentions({ schema, name })

// A routine's body as the server keeps it (comments and all) is SQL that other steps may depend on: a quote that
// does not open a literal there (a comment's apostrophe, a quoted name's) blanked what followed up to the next quote,
// and the step read none of the names in between: it could be put before what it reads (the rule: when unsure, tie).
describe('string literals left out of what a statement names, and nothing else', () => {
  it("reads on past an apostrophe in a comment of a routine's body", () => {
    const body = "CREATE FUNCTION public.f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  -- don't count twice\n"
    expect(names(`${body}  UPDATE other.audit SET n = 'x';\n  RETURN NEW;\nEND $$`, 'other', 'audit')).toBe(true)
    expect(names(`${body}  /* it's */ DELETE FROM other.audit WHERE n = 'x';\nEND $$`, 'other', 'audit')).toBe(true)
  })

  it('reads on past a quoted name holding an apostrophe, and an escaped quote in an E string', () => {
    expect(names(`SELECT "it's" FROM other.audit WHERE n = 'x'`, 'other', 'audit')).toBe(true)
    expect(names(`SELECT E'it\\'s' AS a, b FROM other.audit WHERE n = 'x'`, 'other', 'audit')).toBe(true)
  })

  it("reads a dollar-quoted body's code, a stray apostrophe in it ending with it", () => {
    expect(names(`SELECT $$it's$$ AS a FROM other.audit WHERE n = 'x'`, 'other', 'audit')).toBe(true)
    expect(names(`DO $body$ BEGIN PERFORM 1 FROM other.audit WHERE n = 'x'; END $body$`, 'other', 'audit')).toBe(true)
  })

  it('still leaves out what a literal holds', () => {
    expect(wordsOf("select 'shared_idx', E'a\\'b shared_two', 'it''s shared_three' from t")).toEqual([
      'select',
      'from',
      't',
    ])
    expect(names("b = 'other.audit'", 'other', 'audit')).toBe(false)
    expect(names(`-- don't\nSELECT 'other.audit'`, 'other', 'audit')).toBe(false)
  })
})
