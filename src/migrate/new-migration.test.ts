import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readMigrationsDirectory } from './directory.js'
import { dropMigration } from './drop-last.js'
import { computeSum, formatSum, sumDrafts, writeSum } from './keel-sum.js'
import { emptyMigrationFiles, nameMigrations, writeMigration, writeNamedMigration } from './new-migration.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A migrations directory with a sealed migration and a draft, its keel.sum matching. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-new-migration-'))
  dirs.push(dir)
  for (const [id, up] of [
    ['20260101000000_sealed', 'create table a (id int);\n'],
    ['20260102000000_draft', 'create table b (id int);\n'],
  ] as const) {
    mkdirSync(join(dir, id))
    writeFileSync(join(dir, id, 'up.sql'), up)
    writeFileSync(join(dir, id, 'down.sql'), '-- undo\n')
  }
  writeSum(readMigrationsDirectory(dir), new Set(['20260102000000_draft']))
  return dir
}

/** keel.sum as a reading of the directory now describes it, with its drafts: what the writers wrote before. */
function sumOfDirectoryNow(dir: string): string {
  const directory = readMigrationsDirectory(dir)
  return formatSum(computeSum(directory.migrations, sumDrafts(directory)))
}

const sumText = (dir: string) => readFileSync(join(dir, 'keel.sum'), 'utf8')

describe('writeMigration (keel new)', () => {
  it('writes the next folder and a keel.sum that is the directory’s, the new one a draft', () => {
    const dir = project()
    const written = writeMigration(dir, 'Add notes', emptyMigrationFiles(false), new Date('2026-01-03T00:00:00Z'))
    expect(written.id).toBe('20260103000000_add_notes')
    expect(readFileSync(join(written.dir, 'up.sql'), 'utf8')).toBe(emptyMigrationFiles(false)['up.sql'])
    expect(sumText(dir)).toBe(sumOfDirectoryNow(dir))
    expect([...sumDrafts(readMigrationsDirectory(dir))]).toEqual(['20260102000000_draft', '20260103000000_add_notes'])
  })

  it('names it after the newest version when the clock is behind, TypeScript form too', () => {
    const dir = project()
    const written = writeMigration(dir, 'later', emptyMigrationFiles(true), new Date('2025-01-01T00:00:00Z'))
    expect(written.id).toBe('20260102000001_later')
    expect(sumText(dir)).toBe(sumOfDirectoryNow(dir))
  })

  it('writes nothing when keel.sum does not match the directory (an edited sealed migration)', () => {
    const dir = project()
    writeFileSync(join(dir, '20260101000000_sealed', 'up.sql'), 'create table a (id bigint);\n')
    const before = sumText(dir)
    expect(() => writeMigration(dir, 'more', emptyMigrationFiles(false))).toThrow(/SUM_MISMATCH|does not match/)
    expect(readMigrationsDirectory(dir).migrations.map((m) => m.id)).toEqual([
      '20260101000000_sealed',
      '20260102000000_draft',
    ])
    expect(sumText(dir)).toBe(before)
  })

  it('refuses a name without letters or digits before writing anything', () => {
    const dir = project()
    const before = sumText(dir)
    expect(() => writeMigration(dir, '--', emptyMigrationFiles(false))).toThrow(/no letters or digits/)
    expect(sumText(dir)).toBe(before)
  })

  it('starts a directory that does not exist, with its keel.sum', () => {
    const parent = mkdtempSync(join(tmpdir(), 'keel-new-migration-'))
    dirs.push(parent)
    const dir = join(parent, 'migrations')
    writeMigration(dir, 'init', emptyMigrationFiles(false), new Date('2026-01-01T00:00:00Z'))
    expect(sumText(dir)).toBe(sumOfDirectoryNow(dir))
  })
})

describe('nameMigrations and writeNamedMigration (keel generate)', () => {
  it('names several after a reading, leaving out the amended one, and each write keeps keel.sum whole', () => {
    const dir = project()
    const named = nameMigrations(readMigrationsDirectory(dir), ['expand', 'contract'], {
      without: '20260102000000_draft',
      now: new Date('2025-01-01T00:00:00Z'),
    })
    expect(named.map((n) => n.id)).toEqual(['20260101000001_expand', '20260101000002_contract'])
    expect(named.map((n) => n.dir)).toEqual(named.map((n) => join(dir, n.id)))
    const later = nameMigrations(readMigrationsDirectory(dir), ['expand', 'contract'], {
      now: new Date('2025-01-01T00:00:00Z'),
    })
    for (const n of later) {
      writeNamedMigration(dir, n, { 'up.sql': `-- ${n.id}\n` })
      expect(sumText(dir)).toBe(sumOfDirectoryNow(dir))
    }
    expect([...sumDrafts(readMigrationsDirectory(dir))]).toEqual([
      '20260102000000_draft',
      '20260102000001_expand',
      '20260102000002_contract',
    ])
  })
})

describe('dropMigration (keel drop-last, generate --amend)', () => {
  it('deletes the folder and its keel.sum line, keeping the other drafts drafts', () => {
    const dir = project()
    const written = writeMigration(dir, 'notes', emptyMigrationFiles(false), new Date('2026-01-03T00:00:00Z'))
    const last = readMigrationsDirectory(dir).migrations.at(-1)
    expect(last?.id).toBe(written.id)
    dropMigration(dir, last as NonNullable<typeof last>)
    expect(readMigrationsDirectory(dir).migrations.map((m) => m.id)).toEqual([
      '20260101000000_sealed',
      '20260102000000_draft',
    ])
    expect(sumText(dir)).toBe(sumOfDirectoryNow(dir))
    expect([...sumDrafts(readMigrationsDirectory(dir))]).toEqual(['20260102000000_draft'])
  })
})
