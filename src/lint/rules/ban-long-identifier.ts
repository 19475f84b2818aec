import type { Rule } from '../rule.js'
import { identifiersIn } from '../sql/identifiers.js'

/** 22 characters that an unquoted name may hold, in a row (see checkStatement). */
const LONG_RUN = /[A-Za-z0-9_$\u0080-\uffff]{22}/

/** An identifier longer than 63 bytes. */
export const banLongIdentifier: Rule = {
  id: 'ban-long-identifier',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'an identifier longer than 63 bytes',
  why: 'PostgreSQL silently truncates identifiers to 63 bytes: two long names that differ only after byte 63 become the same object, and the name in the schema no longer matches the one in the database (so every later diff shows a change).',
  help: 'Use a shorter name.',
  examples: {
    bad: 'create index index_users_on_organization_id_and_created_at_and_deleted_at_partial on users (organization_id);',
    good: 'create index users_org_created_deleted_idx on users (organization_id);',
  },
  // The parser truncates long identifiers itself (with a NOTICE), so the statement text is read instead.
  *checkStatement({ parsed }) {
    const text = parsed.sql
    // Over 63 bytes is over 21 UTF-16 units (3 bytes each at most): without a quoted name or a run of 22 name
    // characters anywhere in the text there is none, which one test tells of most statements instead of reading
    // each name (lint runs this rule on every statement `keel migrate` is about to run).
    if (!text.includes('"') && !LONG_RUN.test(text)) return
    // Names as the server's lexer reads them (identifiers.ts): none from a string, a comment or a dollar-quoted body.
    for (const name of identifiersIn(text)) {
      const bytes = Buffer.byteLength(name, 'utf8')
      if (bytes <= 63) continue
      yield { message: `${name} is ${bytes} bytes long: PostgreSQL truncates it to 63` }
    }
  },
}
