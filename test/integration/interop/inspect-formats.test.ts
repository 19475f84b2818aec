/**
 * `keel inspect --format prisma|drizzle` round trips on the corpus schemas those languages can express:
 * the printed schema, read back as a source, is exactly the database it was printed from.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { printForeignSchema } from '../../../src/interop/print/print-foreign.js'
import { loadSchemaSource } from '../../../src/source/load-source.js'
import { runKeel } from '../../support/cli.js'
import { POSTGRES_URL, withDatabase } from '../../support/databases.js'

const CHINOOK = join(import.meta.dirname, '../../fixtures/chinook')
const dir = mkdtempSync(join(tmpdir(), 'keel-inspect-formats-'))
symlinkSync(join(import.meta.dirname, '../../../node_modules'), join(dir, 'node_modules'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const chinook = (variant: string) =>
  readFileSync(join(CHINOOK, `Chinook_PostgreSql${variant}.schema.sql`), 'utf8').replace(
    /^(DROP DATABASE|CREATE DATABASE|\\c)\b.*$/gim,
    '',
  )

/** Chinook with an enum, a composite unique index, a descending index and a one-to-one relation added. */
const EXTRA = `CREATE TYPE track_kind AS ENUM ('song', 'spoken word');
ALTER TABLE track ADD COLUMN kind track_kind NOT NULL DEFAULT 'song';
CREATE UNIQUE INDEX track_album_name ON track (album_id, name);
CREATE INDEX invoice_recent ON invoice (invoice_date DESC);
CREATE TABLE artist_bio (artist_id int PRIMARY KEY REFERENCES artist ON DELETE CASCADE, bio text);`

describe.each([
  ['prisma', ['', '_SerialPKs']],
  ['drizzle', ['', '_SerialPKs', '_AutoIncrementPKs']],
] as const)('keel inspect --format %s round trips', (format, variants) => {
  test.each(variants)('Chinook%s (with an enum, unique and descending indexes, a 1:1 relation)', async (variant) => {
    await withDatabase('postgres', async (db) => {
      await db.conn.exec(chinook(variant))
      await db.conn.exec(EXTRA)
      const live = await getDialect('postgres').introspect(db.conn)
      const printed = await printForeignSchema(format, live, 'postgres')
      expect(printed.skipped).toEqual([])
      const file = join(dir, `chinook${variant}.${format === 'prisma' ? 'prisma' : 'ts'}`)
      writeFileSync(file, printed.text)
      const read = await loadSchemaSource(file, { cwd: dir, near: POSTGRES_URL })
      expect(diff(live, read.schema).changes).toEqual([])
    })
  })
})

test('the CLI prints both formats and warns about what they cannot say', async () => {
  await withDatabase('postgres', async (db) => {
    await db.conn.exec('CREATE TABLE t (id int PRIMARY KEY, n int CHECK (n > 0)); CREATE VIEW v AS SELECT id FROM t;')
    const prisma = await runKeel(['inspect', '--format', 'prisma', '--url', db.url], { cwd: dir })
    expect(prisma.code).toBe(0)
    expect(prisma.stdout).toContain('model t {')
    expect(prisma.stderr).toContain('not in the prisma schema: table t: check t_n_check')
    const drizzle = await runKeel(['inspect', '--format', 'drizzle', '--url', db.url], { cwd: dir })
    expect(drizzle.code).toBe(0)
    expect(drizzle.stdout).toContain("check('t_n_check', sql`(n > 0)`)")
    expect(drizzle.stderr).toContain('not in the drizzle schema: view v')
  })
}, 240_000)
