/**
 * `keel check`'s round trip (src/lint/round-trip.ts) runs each pending migration as the caller read it: the text that
 * was linted is the text tried, and the directory is not read again for every migration.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { createScratchDatabase } from '../../../src/db/scratch.js'
import { roundTrips } from '../../../src/lint/round-trip.js'
import { readMigrationsDirectory } from '../../../src/migrate/directory.js'

const root = mkdtempSync(join(tmpdir(), 'keel-round-trip-read-once-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function writeMigration(dir: string, folder: string, up: string, down: string): void {
  mkdirSync(join(dir, folder), { recursive: true })
  writeFileSync(join(dir, folder, 'up.sql'), up)
  writeFileSync(join(dir, folder, 'down.sql'), down)
}

async function tables(conn: Connection): Promise<string[]> {
  const rows = await conn.query<{ name: string }>(
    "select relname as name from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace order by 1",
  )
  return rows.map((r) => r.name)
}

describe('round trips of pending migrations', () => {
  it('run the migrations as read, even when their files changed since', async () => {
    const dir = join(root, 'migrations')
    writeMigration(dir, '20261201000000_first', 'create table first (id int);\n', 'drop table first;\n')
    writeMigration(dir, '20261201000001_second', 'create table second (id int);\n', 'drop table second;\n')
    const { migrations } = readMigrationsDirectory(dir)
    // Edited after the reading, as between `keel check`'s lint and its round trip: the read text is what was linted.
    writeFileSync(join(dir, '20261201000000_first', 'up.sql'), 'create table edited (id int);\n')
    rmSync(join(dir, '20261201000001_second'), { recursive: true })
    const scratch = await createScratchDatabase()
    try {
      const result = await roundTrips(scratch.conn, migrations, { introspect: tables, differences: diffLines })
      expect(result.trips.map((t) => [t.migration, t.verdict])).toStrictEqual([
        ['20261201000000_first', 'ok'],
        ['20261201000001_second', 'ok'],
      ])
      expect(result.final).toStrictEqual(['first', 'second'])
      expect(await tables(scratch.conn)).toStrictEqual(['first', 'second'])
    } finally {
      await scratch.dispose()
    }
  })
})

function diffLines(from: readonly string[], to: readonly string[]): string[] {
  return from.join(',') === to.join(',') ? [] : [`${from.join(',')} -> ${to.join(',')}`]
}
