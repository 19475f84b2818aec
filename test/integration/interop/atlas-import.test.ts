/**
 * Atlas's import goldens (test/fixtures/atlas-import): the same project in the folders of dbmate, Flyway,
 * golang-migrate, goose and Liquibase, each with the plain SQL files `atlas migrate import` makes of it.
 * Keel's import must keep the meaning: the same migrations, in the same order, with the same statements as
 * the gold files; applied one by one with `keel migrate`, the same schema as the gold files give; and its
 * downs must take the schema back to where the previous migration left it.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { readMigrationsDirectory } from '../../../src/migrate/directory.js'
import { rollback } from '../../../src/migrate/rollback.js'
import { migrate } from '../../../src/migrate/runner.js'
import type { Schema } from '../../../src/schema/model.js'
import { runKeel } from '../../support/cli.js'
import { type TestDatabase, withDatabase } from '../../support/databases.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures/atlas-import')
const TOOLS = ['dbmate', 'flyway', 'golang-migrate', 'goose', 'liquibase'] as const
const work = mkdtempSync(join(tmpdir(), 'keel-atlas-import-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** The gold files in migration order: by version, a Flyway repeatable (`3R_`) after the versioned ones. */
function goldFiles(dir: string): string[] {
  const key = (name: string) => {
    const [, n = '0', r = ''] = /^(\d+)(R?)_/.exec(name) ?? []
    return Number(n) * 2 + (r === 'R' ? 1 : 0)
  }
  return readdirSync(dir).sort((a, b) => key(a) - key(b))
}

/** Statement text without Keel's header comments, blank lines and trailing spaces. */
function normalise(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^-- (keel:|Imported by|Note:)/.test(line))
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .join('\n')
}

async function importInto(tool: string, source: string, out: string): Promise<void> {
  const result = await runKeel(['import', source, '--from', tool, '--out', out], { cwd: work })
  expect(result.stderr).not.toContain('error[')
  expect(result.code).toBe(0)
}

describe.each(TOOLS)('keel import --from %s', (tool) => {
  test('gives the migrations and statements of the gold files', async () => {
    const out = join(work, `${tool}-text`)
    await importInto(tool, join(FIXTURES, tool), out)
    const imported = readMigrationsDirectory(out).migrations
    const gold = goldFiles(join(FIXTURES, `${tool}_gold`))
    expect(imported.length).toBe(gold.length)
    imported.forEach((migration, i) => {
      const up = migration.up.kind === 'sql' ? migration.up.text : ''
      expect(normalise(up)).toBe(normalise(readFileSync(join(FIXTURES, `${tool}_gold`, gold[i] as string), 'utf8')))
    })
  })

  /**
   * The fixtures are Atlas's text-conversion tests, not all valid PostgreSQL: their data INSERTs leave NOT NULL
   * columns out, the Flyway repeatable quotes with MySQL's backticks, and the Flyway baseline lacks a comma.
   * To apply them, the same three mechanical edits are made to the tool's folder and to the gold files alike.
   * And the Flyway baseline B2 stands for V1 and V2 but does not create V2's table, which V3 alters: both
   * databases start with V2 applied (read from the fixture), as a database baselined at 2 would hold it.
   */
  function forPostgres(text: string): string {
    return text
      .replace(/INSERT INTO post[\s\S]*?\);/g, '')
      .replaceAll('`', '"')
      .replace(/NOT NULL\n(\s*)PRIMARY KEY/, 'NOT NULL,\n$1PRIMARY KEY')
  }

  function adaptedCopy(from: string, to: string): string {
    cpSync(from, to, { recursive: true })
    for (const name of readdirSync(to)) writeFileSync(join(to, name), forPostgres(readFileSync(join(to, name), 'utf8')))
    return to
  }

  test('applied, gives the schema of the gold files, and its downs roll back', async () => {
    const source = adaptedCopy(join(FIXTURES, tool), join(work, `${tool}-pg`))
    const goldDir = adaptedCopy(join(FIXTURES, `${tool}_gold`), join(work, `${tool}_gold-pg`))
    const out = join(work, `${tool}-pg-keel`)
    await importInto(tool, source, out)
    const migrations = readMigrationsDirectory(out).migrations
    const preamble = tool === 'flyway' ? readFileSync(join(source, 'V2__second_migration.sql'), 'utf8') : ''
    const fresh = <T>(fn: (db: TestDatabase) => Promise<T>) =>
      withDatabase('postgres', async (db) => {
        if (preamble !== '') await db.conn.exec(preamble)
        return fn(db)
      })
    // The gold schema after each gold file (index 0: empty).
    const goldStates = await fresh(async (db) => {
      const states = [await introspect(db)]
      for (const file of goldFiles(goldDir)) {
        await db.conn.exec(readFileSync(join(goldDir, file), 'utf8'))
        states.push(await introspect(db))
      }
      return states
    })
    const options = (db: TestDatabase) => ({ url: db.url, migrationsDir: out, command: 'test' })
    const downsChecked = new Set<number>()
    await fresh(async (db) => {
      for (const [i, migration] of migrations.entries()) {
        await migrate({ ...options(db), to: migration.version })
        expect(diff(await introspect(db), goldStates[i + 1] as Schema).changes).toEqual([])
      }
      // Down the history while each migration has a down.
      for (let i = migrations.length - 1; i >= 0 && migrations[i]?.down !== undefined; i--) {
        await rollback({ ...options(db), steps: 1 })
        expect(diff(await introspect(db), goldStates[i] as Schema).changes).toEqual([])
        downsChecked.add(i)
      }
    })
    // A down below a migration that has none: apply up to it alone, then undo it.
    for (const [i, migration] of migrations.entries()) {
      if (migration.down === undefined || downsChecked.has(i)) continue
      await fresh(async (db) => {
        await migrate({ ...options(db), to: migration.version })
        await rollback({ ...options(db), steps: 1 })
        expect(diff(await introspect(db), goldStates[i] as Schema).changes).toEqual([])
        downsChecked.add(i)
      })
    }
    expect(downsChecked.size).toBe(migrations.filter((m) => m.down !== undefined).length)
  }, 240_000)
})

function introspect(db: TestDatabase): Promise<Schema> {
  return getDialect('postgres').introspect(db.conn, { excludeTables: ['keel_migrations'] })
}
