/**
 * A run that fails ends with its own error even when keel.sum cannot be sealed after it: the runner seals the drafts
 * it applied before the failure (in a finally, before), and a sealing that failed too replaced the migration's error
 * with its own (error[INTERNAL]: EISDIR), so the user read why keel.sum was not written, not why the migration failed.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readMigrationsDirectory } from '../../../src/migrate/directory.js'
import { Journal } from '../../../src/migrate/journal.js'
import { markDrafts } from '../../../src/migrate/keel-sum.js'
import { withDatabase } from '../../support/databases.js'
import { runKeel, useProject } from './project.js'

const project = useProject()

/**
 * A draft migration, then one that takes keel.sum's place with a folder (nothing can write it any more) and fails on
 * the server running `failing`. The first is a draft, so that the run has something to seal once it applied it.
 */
function sealingFailsAfter(failing: string): void {
  const sum = join(project.migrations, 'keel.sum')
  project.add('20260101000000_first', { 'up.sql': 'create table first (id int);\n' })
  project.add('20260102000000_second', {
    'migration.ts': `import { mkdirSync, rmSync } from 'node:fs'
export async function up(db) {
  rmSync(${JSON.stringify(sum)})
  mkdirSync(${JSON.stringify(sum)})
  await db.query(${JSON.stringify(failing)})
}
`,
  })
  markDrafts(readMigrationsDirectory(project.migrations), ['20260101000000_first'])
}

const SEALING_FAILED = /Also, keel\.sum could not be updated to seal the migrations this run applied \(EISDIR/

describe('keel migrate failing where keel.sum cannot be sealed, on postgres', () => {
  it('reports the migration failure, with the sealing failure after it in the hint', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      sealingFailsAfter('select 1 / 0')

      const run = await runKeel(project, url, 'migrate', '--json')
      expect(run.code, run.stderr).toBe(1)
      const { error } = JSON.parse(run.stdout)
      expect(error.code).toBe('MIGRATION_FAILED')
      expect(error.message).toContain('division by zero')
      expect(error.hint).toMatch(SEALING_FAILED)
      expect(run.stderr).toContain('error[MIGRATION_FAILED]')
      const journal = await new Journal(conn, 'public').list()
      expect(journal.map((r) => [r.version, r.status])).toEqual([['20260101000000', 'applied']])
    })
  })
})

// `keel migrate` gives a failure on an object that already exists a hint of its own (adopt the database with
// `keel baseline`): the sealing failure noted on the runner's error was dropped with the hint it replaced.
describe('keel migrate failing on an object that exists, where keel.sum cannot be sealed, on postgres', () => {
  it('keeps the sealing failure after the baseline hint', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      await conn.exec('create table existing (id int)')
      sealingFailsAfter('create table existing (id int)')

      const run = await runKeel(project, url, 'migrate', '--json')
      expect(run.code, run.stderr).toBe(1)
      const { error } = JSON.parse(run.stdout)
      expect(error.code).toBe('MIGRATION_FAILED')
      expect(error.message).toContain('relation "existing" already exists')
      expect(error.hint).toMatch(/^The database already holds what this migration creates\. .*`keel baseline/)
      expect(error.hint).toMatch(SEALING_FAILED)
    })
  })
})
