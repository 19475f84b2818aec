import { describe, expect, it } from 'vitest'
import { findingsOf } from '../../test/support/lint.js'
import type { Connection } from '../db/connection.js'
import { liveFactsOf } from './live-facts.js'

// Never queried: a dialect without lintFacts has nothing to ask.
const conn = {} as Connection

describe('live facts of a dialect that reads none', () => {
  it('are no facts, so that a table the migration does not create is of unknown size, judged as a large one', async () => {
    const live = await liveFactsOf({}, conn)
    expect(live.tables).toBeUndefined()
    const sql = 'create index users_email_idx on users (email);'
    const withoutFacts = await findingsOf(sql, 'require-concurrent-index', { live })
    const withoutUrl = await findingsOf(sql, 'require-concurrent-index')
    expect(withoutFacts.map((f) => f.severity)).toEqual(['error'])
    expect(withoutFacts).toEqual(withoutUrl)
  })

  it("are the dialect's own where it reads them", async () => {
    const tables = new Map([['users', { rows: 0, bytes: 0 }]])
    const live = await liveFactsOf({ lintFacts: async () => ({ tables }) }, conn)
    expect(
      await findingsOf('create index users_email_idx on users (email);', 'require-concurrent-index', { live }),
    ).toEqual([])
  })
})
