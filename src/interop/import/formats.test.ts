import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { readMigrationsDirectory } from '../../migrate/directory.js'
import { migrationFormat } from './formats.js'
import { importMigrations } from './import-migrations.js'
import { keelVersions } from './keel-versions.js'

const root = mkdtempSync(join(tmpdir(), 'keel-import-formats-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let count = 0

/** A file format's read of `dir`. */
async function read(tool: string, dir: string) {
  const format = migrationFormat(tool)
  if (!('read' in format)) throw new Error(`${tool} is not a file format`)
  return await format.read(dir)
}

/** A folder holding `files` (path → text). */
function folder(files: Record<string, string>): string {
  const dir = join(root, `case-${count++}`)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

describe('migration formats', () => {
  test('goose: StatementBegin/End markers go, NO TRANSACTION is kept, Down becomes down.sql', async () => {
    const [m] = await read(
      'goose',
      folder({
        '20240102030405_add_index.sql':
          '-- +goose NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +goose StatementEnd\n-- +goose Down\nDROP INDEX CONCURRENTLY i;\n',
      }),
    )
    expect(m).toMatchObject({
      version: '20240102030405',
      name: 'add_index',
      up: 'CREATE INDEX CONCURRENTLY i ON t (a);\n',
      down: 'DROP INDEX CONCURRENTLY i;\n',
      noTransaction: true,
      journalKey: '20240102030405',
    })
    expect(m?.at?.toISOString()).toBe('2024-01-02T03:04:05.000Z')
  })

  test('dbmate: transaction:false on the up section', async () => {
    const [m] = await read(
      'dbmate',
      folder({
        '1_x.sql': '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\n',
      }),
    )
    expect(m).toMatchObject({ noTransaction: true, up: 'CREATE INDEX CONCURRENTLY i ON t (a);\n' })
    expect(m?.down).toBeUndefined()
  })

  test('flyway: undo scripts are the downs of their versions; dotted versions order numerically', async () => {
    const migrations = await read(
      'flyway',
      folder({
        'V1__a.sql': 'CREATE TABLE a (x int);',
        'V1_10__c.sql': 'CREATE TABLE c (x int);',
        'sub/V1_2__b.sql': 'CREATE TABLE b (x int);',
        'U1_2__b.sql': 'DROP TABLE b;',
      }),
    )
    expect(migrations.map((m) => [m.version, m.down ?? null])).toEqual([
      ['1', null],
      ['1.2', 'DROP TABLE b;\n'],
      ['1.10', null],
    ])
    expect(migrations.map((m) => m.journalKey)).toEqual(['V1', 'V1.2', 'V1.10'])
  })

  test('prisma: migration folders in order, the lock file provider checked', async () => {
    const dir = folder({
      'migration_lock.toml': 'provider = "postgresql"\n',
      '20240101000000_init/migration.sql': 'CREATE TABLE a (x int);\n',
      '20240201000000_add_b/migration.sql': 'CREATE TABLE b (x int);\n',
    })
    expect((await read('prisma', dir)).map((m) => [m.name, m.journalKey])).toEqual([
      ['init', '20240101000000_init'],
      ['add_b', '20240201000000_add_b'],
    ])
    for (const provider of ['mysql', 'sqlite']) {
      const other = folder({
        'migration_lock.toml': `provider = "${provider}"\n`,
        '20240101000000_init/migration.sql': 'CREATE TABLE a (x int);\n',
      })
      expect((await read('prisma', other)).map((m) => m.name)).toEqual(['init'])
    }
    const sqlserver = folder({
      'migration_lock.toml': 'provider = "sqlserver"\n',
      '20240101000000_init/migration.sql': '',
    })
    await expect(read('prisma', sqlserver)).rejects.toThrow(
      /for sqlserver; Keel imports those for postgresql, mysql, sqlite/,
    )
  })

  test('drizzle-kit: the journal gives order and moments, breakpoints go', async () => {
    const dir = folder({
      'meta/_journal.json': JSON.stringify({
        dialect: 'postgresql',
        entries: [
          { idx: 1, when: 1717000001000, tag: '0001_second' },
          { idx: 0, when: 1717000000000, tag: '0000_first' },
        ],
      }),
      '0000_first.sql': 'CREATE TABLE a (x int);\n--> statement-breakpoint\nCREATE TABLE b (x int);\n',
      '0001_second.sql': 'CREATE TABLE c (x int);',
    })
    const migrations = await read('drizzle-kit', dir)
    expect(migrations.map((m) => [m.name, m.journalKey])).toEqual([
      ['first', '1717000000000'],
      ['second', '1717000001000'],
    ])
    expect(migrations[0]?.up).toBe('CREATE TABLE a (x int);\n\nCREATE TABLE b (x int);\n')
  })

  test('node-pg-migrate: SQL files split at -- Down Migration; code is refused', async () => {
    const [m] = await read(
      'node-pg-migrate',
      folder({
        '1717000000000_init.sql': '-- Up Migration\nCREATE TABLE a (x int);\n-- Down Migration\nDROP TABLE a;\n',
      }),
    )
    expect(m).toMatchObject({
      up: 'CREATE TABLE a (x int);\n',
      down: 'DROP TABLE a;\n',
      journalKey: '1717000000000_init',
    })
    await expect(read('node-pg-migrate', folder({ '1_init.js': 'exports.up = () => {}' }))).rejects.toThrow(
      /written in code/,
    )
  })

  test('knex: a folder from which knex cannot be resolved is refused before anything runs', async () => {
    await expect(
      importMigrations({
        dir: folder({ '1_a.js': 'exports.up = () => {}' }),
        tool: 'knex',
        out: join(root, 'no-knex'),
      }),
    ).rejects.toThrow(/knex migrations, but knex cannot be found from there/)
  })

  test('an unknown tool lists the supported ones', async () => {
    expect(() => migrationFormat('sqitch')).toThrow(/unknown migration tool "sqitch"/)
    try {
      migrationFormat('sqitch')
    } catch (error) {
      expect((error as { hint?: string }).hint).toMatch(
        /golang-migrate, goose, dbmate, flyway, liquibase, prisma, drizzle-kit/,
      )
    }
  })
})

describe('writing the Keel directory', () => {
  test("versions: the tool's moments when all have one, else 1970 plus the position", () => {
    const at = (iso: string) => new Date(iso)
    const base = { name: 'x', up: '', noTransaction: false, journalKey: 'k', files: [], notes: [] }
    expect(
      keelVersions([
        { ...base, version: 'a', at: at('2024-01-01T00:00:00Z') },
        { ...base, version: 'b', at: at('2024-01-01T00:00:00.500Z') },
      ]),
    ).toEqual(['20240101000000', '20240101000001'])
    expect(
      keelVersions([
        { ...base, version: '1' },
        { ...base, version: '1.1' },
      ]),
    ).toEqual(['19700101000001', '19700101000002'])
  })

  test('writes up.sql with the imported-from and no-transaction directives, down.sql, and keel.sum', async () => {
    const dir = folder({
      '20240102030405_add_index.sql':
        '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +goose Down\nDROP INDEX i;\n',
    })
    const out = join(root, `out-${count++}`)
    const result = await importMigrations({ dir, tool: 'goose', out })
    expect(result.migrations.map((m) => m.id)).toEqual(['20240102030405_add_index'])
    const directory = readMigrationsDirectory(out)
    const [migration] = directory.migrations
    expect(migration?.directives).toMatchObject({
      noTransaction: true,
      importedFrom: { tool: 'goose', key: '20240102030405' },
    })
    expect(readFileSync(join(out, '20240102030405_add_index', 'down.sql'), 'utf8')).toContain('DROP INDEX i;')
    expect(directory.sumText).toContain('20240102030405_add_index')
    await expect(importMigrations({ dir, tool: 'goose', out })).rejects.toThrow(/is not empty/)
  })
})
