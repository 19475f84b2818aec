import { describe, expect, it } from 'vitest'
import { quoteIdent as mysqlQuoteIdent } from '../dialect/mysql/quote.js'
import { quoteIdent as postgresQuoteIdent } from '../dialect/postgres/quote.js'
import { quoteIdent as sqliteQuoteIdent } from '../dialect/sqlite/quote.js'
import { col, schemaOf, sequenceOf, tableOf } from '../schema/build.js'
import { diff } from './diff.js'
import { type NameSpelling, nextvalDefault } from './serial-default.js'

const postgres: NameSpelling = { quoteIdent: postgresQuoteIdent, defaultNamespace: 'public' }

describe('nextvalDefault', () => {
  it("quotes each part with the target's quoter, as PostgreSQL prints it back", () => {
    expect(nextvalDefault({ schema: 'public', name: 'users_id_seq' }, postgres)).toBe(
      "nextval('users_id_seq'::regclass)",
    )
    // A keyword schema, a double quote and a single quote in the names: PostgreSQL's own spelling of each.
    expect(nextvalDefault({ schema: 'user', name: 'we"ird_id_seq' }, postgres)).toBe(
      `nextval('"user"."we""ird_id_seq"'::regclass)`,
    )
    expect(nextvalDefault({ schema: 'public', name: "it's_id_seq" }, postgres)).toBe(
      `nextval('"it''s_id_seq"'::regclass)`,
    )
  })

  it("leaves unqualified the sequence in the target's default namespace, not in a namespace named public", () => {
    const sqlite: NameSpelling = { quoteIdent: sqliteQuoteIdent, defaultNamespace: 'main' }
    expect(nextvalDefault({ schema: 'main', name: 't_id_seq' }, sqlite)).toBe(`nextval('"t_id_seq"'::regclass)`)
    expect(nextvalDefault({ schema: 'public', name: 't_id_seq' }, sqlite)).toBe(
      `nextval('"public"."t_id_seq"'::regclass)`,
    )
    // No namespaces at all (MySQL): a named schema is always written.
    const mysql: NameSpelling = { quoteIdent: mysqlQuoteIdent, defaultNamespace: undefined }
    expect(nextvalDefault({ schema: 'public', name: 'a`b' }, mysql)).toBe("nextval('`public`.`a``b`'::regclass)")
  })
})

describe("diff() spells a desugared serial's default with the dialect it is given", () => {
  // One side has the serial, the other its sequence and default spelled out as PostgreSQL prints them: with the
  // target's spelling the defaults are equal and only the sequence's ownership changes.
  const table = 'we"ird'
  const serial = schemaOf({
    tables: [tableOf({ schema: 'public', name: table }, [{ ...col('id', 'int4', { nullable: false }), serial: true }])],
  })
  const explicit = schemaOf({
    sequences: [sequenceOf({ schema: 'public', name: 'we"ird_id_seq' }, { type: { kind: 'integer', bytes: 4 } })],
    tables: [
      tableOf({ schema: 'public', name: table }, [
        col('id', 'int4', { nullable: false, default: `nextval('"we""ird_id_seq"'::regclass)` }),
      ]),
    ],
  })

  it('finds no default change with PostgreSQL quoting', () => {
    expect(diff(serial, explicit, [], postgres).changes.map((c) => c.kind)).toEqual(['alterSequence'])
  })

  it("finds a spurious one with another dialect's quoter, which is why the dialect's own is passed", () => {
    const mysql: NameSpelling = { quoteIdent: mysqlQuoteIdent, defaultNamespace: 'public' }
    expect(diff(serial, explicit, [], mysql).changes.map((c) => c.kind)).toEqual(['alterSequence', 'alterColumn'])
  })
})
