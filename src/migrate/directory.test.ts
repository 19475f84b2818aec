import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrationChecksum } from './checksum.js'
import { isTimestamp, nextVersion, readMigrationFolder, readMigrationsDirectory, snakeName } from './directory.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keel-dir-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function add(folder: string, files: Record<string, string>): void {
  mkdirSync(join(dir, folder), { recursive: true })
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, folder, name), text)
}

describe('readMigrationsDirectory', () => {
  it('reads SQL and module migrations in version order, ignoring dotfiles', () => {
    add('20260102000000_b', { 'migration.ts': '// keel:no-transaction\nexport async function up() {}' })
    add('20260101000000_a', { 'up.sql': 'create table a (id int);', 'down.sql': 'drop table a;' })
    writeFileSync(join(dir, '.gitkeep'), '')
    writeFileSync(join(dir, 'keel.sum'), 'total n1:x\n')
    const read = readMigrationsDirectory(dir)
    expect(read.sumText).toBe('total n1:x\n')
    expect(read.migrations.map((m) => [m.id, m.up.kind, m.down?.kind, m.directives.noTransaction])).toEqual([
      ['20260101000000_a', 'sql', 'sql', false],
      ['20260102000000_b', 'module', 'module', true],
    ])
  })

  it('gives each folder and file the path join() gives, however the directory is spelt', () => {
    // Folder paths are concatenated onto the directory's normalised path, not joined one by one.
    add('20260101000000_a', { 'up.sql': 'select 1;', 'down.sql': 'select 2;', '.notes': 'ignored' })
    add('20260102000000_b', { 'migration.ts': 'export async function up() {}' })
    const spellings = [dir, `${dir}/`, `${dir}/./`, relative(process.cwd(), dir), `${relative(process.cwd(), dir)}/`]
    for (const spelt of spellings) {
      const [a, b] = readMigrationsDirectory(spelt).migrations
      expect([a?.dir, a?.up.file, a?.down?.file, b?.dir, b?.up.file]).toEqual([
        join(spelt, '20260101000000_a'),
        join(spelt, '20260101000000_a', 'up.sql'),
        join(spelt, '20260101000000_a', 'down.sql'),
        join(spelt, '20260102000000_b'),
        join(spelt, '20260102000000_b', 'migration.ts'),
      ])
      // Files in name order whatever order readdir gives, without the dotfile.
      expect(a?.files.map((f) => f.name)).toEqual(['down.sql', 'up.sql'])
    }
    const one = readMigrationFolder(`${dir}/20260101000000_a/`)
    expect([one.dir, one.id, one.checksum]).toEqual([
      join(dir, '20260101000000_a'),
      '20260101000000_a',
      readMigrationsDirectory(dir).migrations[0]?.checksum,
    ])
  })

  it('reads every file whole, small or large, through a symlink too, and hashes what it read', () => {
    // Small files are read without a stat, larger ones with one (directory.ts readSmallFile): both give the text.
    const large = `${'select 1;\n'.repeat(7000)}select 'é ☃ 𝄞';\n`
    add('20260101000000_a', { 'up.sql': large, 'down.sql': 'drop table a;\n' })
    add('20260102000000_b', {})
    writeFileSync(join(dir, '.b-up.sql'), 'create table b (id int);\n')
    symlinkSync(join(dir, '.b-up.sql'), join(dir, '20260102000000_b', 'up.sql'))
    const [a, b] = readMigrationsDirectory(dir).migrations
    expect(a?.up.kind === 'sql' && a.up.text).toBe(large)
    expect(a?.checksum).toBe(
      migrationChecksum([
        { name: 'down.sql', text: 'drop table a;\n' },
        { name: 'up.sql', text: large },
      ]),
    )
    expect(b?.up.kind === 'sql' && b.up.text).toBe('create table b (id int);\n')
  })

  it('is empty when the directory does not exist', () => {
    expect(readMigrationsDirectory(join(dir, 'nope')).migrations).toEqual([])
  })

  it.each([
    ['a misnamed folder', () => add('2026_create', { 'up.sql': '' }), 'a migration folder is named'],
    ['an impossible date', () => add('20261301000000_x', { 'up.sql': '' }), 'a migration folder is named'],
    ['a loose file', () => writeFileSync(join(dir, 'create.sql'), ''), 'create.sql: not a migration folder'],
    ['a folder without up', () => add('20260101000000_a', { 'down.sql': '' }), 'has no up.sql'],
    ['both forms', () => add('20260101000000_a', { 'up.sql': '', 'migration.ts': '' }), 'keep one form'],
    ['an unexpected file', () => add('20260101000000_a', { 'up.sql': '', 'notes.txt': '' }), 'unexpected file'],
    [
      'two folders with one version',
      () => {
        add('20260101000000_a', { 'up.sql': '' })
        add('20260101000000_b', { 'up.sql': '' })
      },
      'two migrations have the version 20260101000000',
    ],
  ])('refuses %s with MIGRATIONS_DIR', (_what, setup, message) => {
    setup()
    expect(() => readMigrationsDirectory(dir)).toThrow(message)
  })
})

describe('versions and names', () => {
  it('validates 14-digit UTC timestamps', () => {
    expect(isTimestamp('20261124093000')).toBe(true)
    expect(isTimestamp('20260230000000')).toBe(false)
    expect(isTimestamp('2026112409300')).toBe(false)
  })

  it('gives a new version after every existing one, even when the clock is behind', () => {
    const now = new Date(Date.UTC(2026, 10, 24, 9, 30, 0))
    expect(nextVersion([], now)).toBe('20261124093000')
    const existing = [{ version: '20261124093000' }] as unknown as Parameters<typeof nextVersion>[0]
    expect(nextVersion(existing, now)).toBe('20261124093001')
    expect(nextVersion([{ version: '20261231235959' }] as unknown as Parameters<typeof nextVersion>[0], now)).toBe(
      '20270101000000',
    )
  })

  it('turns text into snake case', () => {
    expect(snakeName('Add User nickname!')).toBe('add_user_nickname')
    expect(snakeName('addUserNickname')).toBe('add_user_nickname')
    expect(snakeName('Crème brûlée')).toBe('creme_brulee')
  })
})
