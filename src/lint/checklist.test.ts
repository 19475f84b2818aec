import { describe, expect, it } from 'vitest'
import { checklist } from './checklist.js'
import { sharedRules } from './registry.js'

const item = (items: ReturnType<typeof checklist>, name: string) => items.find((i) => i.item.startsWith(name))

describe('checklist', () => {
  it('says each pending migration runs in one transaction where DDL is transactional', () => {
    const items = checklist({ rules: sharedRules, findings: [], roundTrips: [], noTransaction: [] })
    expect(item(items, 'Migration runs in a transaction')?.details).toEqual([
      'each pending migration runs in one transaction',
    ])
  })

  it('does not claim one transaction where DDL commits implicitly (MySQL, MariaDB)', () => {
    const items = checklist({
      rules: sharedRules,
      findings: [],
      roundTrips: [],
      noTransaction: [],
      transactionalDdl: false,
    })
    const tx = item(items, 'Migration runs in a transaction')
    expect(tx?.details.join('\n')).not.toContain('runs in one transaction')
    expect(tx?.details.join('\n')).toContain('commits each DDL statement on its own')
  })

  it('asks instead of passing the items only lint proves when lint did not run', () => {
    const items = checklist({
      rules: sharedRules,
      findings: [],
      roundTrips: [],
      noTransaction: [],
      notLinted: 'no SQL lint for this dialect',
    })
    for (const name of ['No table locks', 'Indexes created CONCURRENTLY', 'No NOT NULL', 'Foreign key constraints'])
      expect(item(items, name), name).toMatchObject({
        verdict: 'question',
        details: ['not checked (no SQL lint for this dialect): a reviewer has to look'],
      })
  })

  it('says an item does not apply when none of its rules applies to the dialect (CONCURRENTLY on SQLite)', () => {
    // The PostgreSQL-only rules behind the CONCURRENTLY and NOT VALID items, as on SQLite.
    const pgOnly = /^(require-concurrent|require-not-valid|ban-concurrent|ban-validate)/
    const items = checklist({
      rules: sharedRules,
      findings: [],
      roundTrips: [],
      noTransaction: [],
      applies: (id) => !pgOnly.test(id),
    })
    expect(item(items, 'Indexes created CONCURRENTLY')).toMatchObject({
      verdict: 'pass',
      details: ['does not apply: this database has no such operation'],
    })
    expect(item(items, 'Foreign key constraints')?.details).toEqual([
      'does not apply: this database has no such operation',
    ])
    expect(item(items, 'No table locks')?.details).toEqual([
      'no statement holds a blocking lock through a scan or rewrite of an existing table',
    ])
  })
})
