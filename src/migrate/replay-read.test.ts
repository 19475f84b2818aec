import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readMigrationsDirectory, readMigrationsToReplay } from './directory.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A migrations directory of the given folders, each a map of file name to text (or `{ dir: true }`: a folder). */
function directory(folders: Record<string, Record<string, string | { dir: true }>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-replay-read-'))
  dirs.push(dir)
  for (const [folder, files] of Object.entries(folders)) {
    mkdirSync(join(dir, folder))
    for (const [file, text] of Object.entries(files)) {
      if (typeof text === 'string') writeFileSync(join(dir, folder, file), text)
      else mkdirSync(join(dir, folder, file))
    }
  }
  return dir
}

/** The error a reading throws, as text, or undefined. */
function errorOf(read: () => unknown): string | undefined {
  try {
    read()
    return undefined
  } catch (error) {
    return String(error)
  }
}

describe('readMigrationsToReplay', () => {
  it('gives each migration as readMigrationsDirectory does, up and directives, without down or checksum', () => {
    const dir = directory({
      '20260101000000_users': { 'up.sql': 'create table users (id int);\n', 'down.sql': 'drop table users;\n' },
      '20260102000000_index': {
        'up.sql': '-- keel:no-transaction\ncreate index concurrently users_id on users (id);\n',
      },
      '20260103000000_module': { 'migration.ts': 'export async function up() {}\nexport async function down() {}\n' },
    })
    const whole = readMigrationsDirectory(dir).migrations
    const replayed = readMigrationsToReplay(dir)
    expect(replayed).toEqual(
      whole.map(({ version, name, id, dir, up, directives }) => ({ version, name, id, dir, up, directives })),
    )
    expect(replayed.map((m) => Object.keys(m).sort())).toEqual(
      whole.map(() => ['dir', 'directives', 'id', 'name', 'up', 'version']),
    )
  })

  it('does not read down.sql: a NUL byte there stops only the readings that use it', () => {
    const dir = directory({
      '20260101000000_users': { 'up.sql': 'create table users (id int);\n', 'down.sql': 'drop\0 table users;\n' },
    })
    expect(errorOf(() => readMigrationsDirectory(dir))).toMatch(/down\.sql:1: holds a NUL byte/)
    expect(readMigrationsToReplay(dir).map((m) => m.id)).toEqual(['20260101000000_users'])
  })

  const broken: Record<string, Record<string, Record<string, string | { dir: true }>>> = {
    'an unexpected file': { '20260101000000_a': { 'up.sql': 'select 1;\n', 'notes.txt': 'x' } },
    'no up.sql': { '20260101000000_a': { 'down.sql': 'select 1;\n' } },
    'both forms': { '20260101000000_a': { 'up.sql': 'select 1;\n', 'migration.ts': 'export {}\n' } },
    'a misnamed folder': { '2026_a': { 'up.sql': 'select 1;\n' } },
    'a NUL byte in up.sql': { '20260101000000_a': { 'up.sql': 'select\0 1;\n' } },
    'a down.sql that is a folder': { '20260101000000_a': { 'up.sql': 'select 1;\n', 'down.sql': { dir: true } } },
    'two folders with one version': {
      '20260101000000_a': { 'up.sql': 'select 1;\n' },
      '20260101000000_b': { 'up.sql': 'select 1;\n' },
    },
    'a bad directive': { '20260101000000_a': { 'up.sql': '-- keel:phase sideways\nselect 1;\n' } },
  }
  for (const [what, folders] of Object.entries(broken)) {
    it(`refuses ${what} as readMigrationsDirectory does`, () => {
      const dir = directory(folders)
      const expected = errorOf(() => readMigrationsDirectory(dir))
      expect(expected).toBeDefined()
      expect(errorOf(() => readMigrationsToReplay(dir))).toBe(expected)
    })
  }

  it('reads a directory that does not exist as empty, as readMigrationsDirectory does', () => {
    expect(readMigrationsToReplay(join(tmpdir(), 'keel-replay-read-missing-0'))).toEqual([])
  })
})
