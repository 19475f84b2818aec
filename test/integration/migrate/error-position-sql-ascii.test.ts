/**
 * The line of a failure in a text of several statements (a transaction's statements sent as one text, or migrations
 * sent together) comes from the server's error position, relative to the whole text. PostgreSQL counts it in
 * characters of the database's encoding: code points, except in a SQL_ASCII database, where every byte is one. Counted
 * as code points there, the multibyte text before the error moved the position on by a character per extra byte, and
 * the failure was put on a later line (or left unlocated). The database is made SQL_ASCII by the test.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { connectPg } from '../../../src/db/drivers/pg.js'
import { migrate } from '../../../src/migrate/runner.js'
import { DIALECTS, POSTGRES_URL } from '../../support/databases.js'
import { useProject } from './project.js'

const project = useProject()

// 40 two-byte characters before the error: 40 bytes more than code points, past the next two lines.
const failing = `create table notes (body text);
insert into notes values ('${'é'.repeat(40)}');
select body from missing_table;
insert into notes values ('a line after the failing one');
insert into notes values ('and one more after it, to land on');
insert into notes values ('and the last line of this file');
`

describe.skipIf(!DIALECTS.includes('postgres'))('an error position in a SQL_ASCII database', () => {
  let admin: Connection
  const created: string[] = []
  beforeAll(async () => {
    admin = await connectPg(POSTGRES_URL)
  })
  afterAll(async () => {
    for (const name of created) await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin?.close()
  })

  /** A new SQL_ASCII database (dropped after the file): its URL. */
  async function asciiDatabase(): Promise<string> {
    const name = `keel_ascii_${randomBytes(6).toString('hex')}`
    created.push(name)
    await admin.exec(`CREATE DATABASE ${name} ENCODING 'SQL_ASCII' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`)
    const url = new URL(POSTGRES_URL)
    url.pathname = `/${name}`
    return url.toString()
  }

  async function failure(url: string): Promise<string> {
    const error = await migrate({ url, migrationsDir: project.migrations }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    return (error as Error).message
  }

  it("names the failing statement's line in a transaction's one text", async () => {
    const url = await asciiDatabase()
    project.add('20260101000000_notes', { 'up.sql': failing })
    const message = await failure(url)
    expect(message).toContain('relation "missing_table" does not exist')
    expect(message).toMatch(/20260101000000_notes\/up\.sql:3: /)
  })

  it("names the failing statement's line when migrations share a text", async () => {
    const url = await asciiDatabase()
    project.add('20260101000000_first', { 'up.sql': `create table first (note text default '${'ü'.repeat(30)}');\n` })
    project.add('20260101000001_notes', { 'up.sql': failing })
    const message = await failure(url)
    expect(message).toContain('relation "missing_table" does not exist')
    expect(message).toMatch(/20260101000001_notes\/up\.sql:3: /)
  })
})
