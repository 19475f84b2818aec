/**
 * migra's schema-diff fixtures on the system server, with pg_dump as a second judge; the suite itself is
 * test/support/suites/migra.ts, which the version matrix (test/matrix/) runs on other PostgreSQL versions.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { POSTGRES_URL } from '../support/databases.js'
import { migraSuite } from '../support/suites/migra.js'
import unsupported from './migra-unsupported.json' with { type: 'json' }

describe('migra fixtures', () => {
  it('lists only cases that exist, and keeps the unsupported list short', () => {
    const all = readdirSync(join(import.meta.dirname, '../fixtures/migra/fixtures'))
    for (const key of Object.keys(unsupported)) expect(all).toContain(key.replace(/ \((forward|reverse)\)$/, ''))
    expect(Object.keys(unsupported).length).toBeLessThanOrEqual(all.length / 2)
  })
})

migraSuite('PostgreSQL', () => POSTGRES_URL, { pgDump: true, dropAfterFile: true })
