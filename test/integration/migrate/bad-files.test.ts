/**
 * Bad files are errors, not truncations: a NUL byte, a missing migrations directory, an up.sql that is a
 * directory and a file too large to apply each stop `keel migrate` with error[MIGRATIONS_DIR] naming the
 * file, exit 2, before anything is applied (the valid migration before the bad one included).
 */
import { mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_MIGRATION_FILE_BYTES } from '../../../src/migrate/migration-file.js'
import { withDatabase } from '../../support/databases.js'
import { createProject, runKeel, type TestProject } from './project.js'

let project: TestProject
beforeEach(() => {
  project = createProject()
  project.add('20260101000000_first', { 'up.sql': 'create table first_table (id int);\n' })
})
afterEach(() => project.dispose())

async function expectNothingApplied(expected: RegExp, reset = false): Promise<void> {
  await withDatabase('postgres', async ({ url, conn }) => {
    await conn.exec('create table keep_me (id int)')
    const result = await runKeel(project, url, ...(reset ? ['reset', '--force'] : ['migrate']))
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toMatch(expected)
    const tables = await conn.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' order by 1",
    )
    expect(tables.map((t) => t.name)).toEqual(['keep_me'])
  })
}

describe('bad migration files', () => {
  it('a NUL byte in up.sql names file and line', async () => {
    project.add(
      '20260102000000_nul',
      {
        'up.sql': 'create table a (id int);\ncreate table b (id int);\0\ncreate table c (id int);\n',
      },
      { sum: false },
    )
    await expectNothingApplied(/^error\[MIGRATIONS_DIR\]: 20260102000000_nul\/up\.sql:2: holds a NUL byte/m)
  })

  it('an up.sql that is a directory is MIGRATIONS_DIR, not INTERNAL: EISDIR', async () => {
    mkdirSync(join(project.migrations, '20260102000000_dir', 'up.sql'), { recursive: true })
    await expectNothingApplied(/^error\[MIGRATIONS_DIR\]: 20260102000000_dir\/up\.sql: is a directory/m)
  })

  it('a migration file over the size limit', async () => {
    const dir = join(project.migrations, '20260102000000_huge')
    mkdirSync(dir)
    // A sparse file: the size is refused before a byte is read.
    const file = join(dir, 'up.sql')
    writeFileSync(file, '')
    truncateSync(file, MAX_MIGRATION_FILE_BYTES + 1)
    await expectNothingApplied(
      /^error\[MIGRATIONS_DIR\]: 20260102000000_huge\/up\.sql: is 256\.0 MB; .*limited to 256 MB/m,
    )
  })

  it('a migrations directory that does not exist: migrate and reset refuse (reset before dropping anything)', async () => {
    rmSync(project.migrations, { recursive: true })
    await expectNothingApplied(/^error\[MIGRATIONS_DIR\]: the migrations directory .*migrations does not exist/m)
    await expectNothingApplied(/^error\[MIGRATIONS_DIR\]: the migrations directory .*migrations does not exist/m, true)
  })
})
