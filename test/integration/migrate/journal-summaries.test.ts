/**
 * Journal.listSummaries (what keel status and keel check read) gives each row as it was written, without the
 * statements' proof and the failed statement's text: on PostgreSQL and PGlite through the one-letter JSON text, on
 * MySQL and SQLite through plain rows. Compared with what was inserted and with applied_at as the driver reads it in
 * a plain row (not with another JSON read, which would share a mistake). Rows with the values that are easy to get
 * wrong: a failed row with an error of quotes, backslashes, an emoji and a newline; a module migration's missing
 * statement count; another origin.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { Journal, type JournalWrite } from '../../../src/migrate/journal.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'

const rows: JournalWrite[] = [
  {
    version: '20260101000000',
    name: 'create_a',
    checksum: 'n1:abc',
    status: 'applied',
    batch: 1,
    durationMs: 12,
    completedStatements: 2,
    totalStatements: 2,
    statementHashes: ['chain:n1:x'],
    error: undefined,
    failedStatement: undefined,
    origin: 'migrate',
  },
  {
    version: '20260102000000',
    name: 'odd_text',
    checksum: 'n1:def',
    status: 'failed',
    batch: 2,
    durationMs: 3,
    completedStatements: 1,
    totalStatements: 3,
    statementHashes: ['n1:x', "n1:it's"],
    error: "it's a \\backslash\\ and 😀\nnew line",
    failedStatement: "up.sql:2: select 'a\\b'",
    origin: 'migrate',
  },
  {
    version: '20260103000000',
    name: 'module_one',
    checksum: 'n1:ghi',
    status: 'partial',
    batch: 3,
    durationMs: 0,
    completedStatements: 0,
    totalStatements: undefined,
    statementHashes: [],
    error: undefined,
    failedStatement: undefined,
    origin: 'resolve',
  },
]

async function expectSummariesOfRows(conn: Connection): Promise<void> {
  const journal = new Journal(conn, 'public')
  await journal.ensure()
  // Inserted out of order: both reads give version order.
  for (const row of [rows[2], rows[0], rows[1]]) await journal.insert(row as JournalWrite)
  // The database's clock, read as a plain row: a Date from the driver (from SQLite's, ISO 8601 text in UTC).
  const plain = await conn.query<{ version: string; applied_at: Date | string }>(
    `select version, applied_at from ${journal.table} order by version`,
  )
  const appliedAt = plain.map((row) => new Date(row.applied_at))
  expect(appliedAt.every((date) => Math.abs(date.getTime() - Date.now()) < 600_000)).toBe(true)
  const written = rows.map(({ statementHashes, failedStatement, ...summary }, i) => ({
    ...summary,
    appliedAt: appliedAt[i],
  }))
  expect(await journal.listSummaries()).toEqual(written)
  // The whole rows too: listExisting reads them the same way.
  const whole = await journal.listExisting()
  expect(whole).toEqual(rows.map((row, i) => ({ ...row, appliedAt: appliedAt[i] })))
  await expectDigests(conn, journal, written)
}

/**
 * Journal.digestedSummaries: the same summaries with the server's digest, none when the digest given is the server's,
 * and another digest after any summary column of any row changed (even to a value another column had: a row's values
 * are not run together); MySQL and SQLite have none.
 */
async function expectDigests(conn: Connection, journal: Journal, written: readonly unknown[]): Promise<void> {
  const first = await journal.digestedSummaries(undefined)
  if (conn.dialect === 'sqlite' || conn.dialect === 'mysql') {
    expect(first).toBeUndefined()
    return
  }
  expect(first?.summaries).toEqual(written)
  expect(first?.digest).toMatch(/^[0-9a-f]{64}$/)
  const digest = first?.digest as string
  expect(await journal.digestedSummaries(digest)).toEqual({ digest, summaries: undefined })
  const digests = new Set([digest])
  const changes = [
    `set duration_ms = duration_ms + 1 where version = '20260101000000'`,
    `set error = 'it''s' where version = '20260103000000'`,
    // The statement count moves into the error: the same text if the values were only joined.
    `set total_statements = null, error = '3' where version = '20260102000000'`,
    `set applied_at = applied_at + interval '1 microsecond' where version = '20260102000000'`,
    `set origin = 'baseline' where version = '20260103000000'`,
  ]
  for (const change of changes) {
    await conn.exec(`update ${journal.table} ${change}`)
    const changed = await journal.digestedSummaries(digest)
    expect(changed?.summaries, change).toEqual(await journal.listSummaries())
    expect(digests.has(changed?.digest as string), change).toBe(false)
    digests.add(changed?.digest as string)
  }
}

describe('Journal.listSummaries and digestedSummaries', () => {
  it.each(DIALECTS)('gives each row but its proof and failed statement on %s', async (dialect) => {
    await withDatabase(dialect, async ({ conn }) => expectSummariesOfRows(conn))
  })

  it('gives each row but its proof and failed statement on sqlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-journal-summaries-'))
    const conn = await openDatabase(`sqlite:${join(dir, 'app.db')}`)
    try {
      await expectSummariesOfRows(conn)
    } finally {
      await conn.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
