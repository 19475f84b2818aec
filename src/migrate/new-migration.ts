import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { KeelError } from '../errors.js'
import { nextVersion, readMigrationsDirectory, snakeName } from './directory.js'
import { assertSumMatches, sumDrafts, writeSum } from './keel-sum.js'

/** The files of a new migration, by name. */
export type MigrationFiles = Readonly<Record<string, string>>

/**
 * Writes a new migration folder (the next version, `name` in snake case) and adds it to keel.sum.
 * keel.sum must match the directory first: rewriting it over an unreviewed change would hide that
 * change (a merge, an edit) instead of reporting it.
 */
export function writeMigration(
  migrationsDir: string,
  name: string,
  files: MigrationFiles,
  now = new Date(),
): { readonly id: string; readonly dir: string; readonly version: string } {
  const directory = readMigrationsDirectory(migrationsDir)
  assertSumMatches(directory)
  const snake = snakeName(name)
  if (snake === '') throw new KeelError('USAGE', `"${name}" has no letters or digits to name a migration with`)
  const version = nextVersion(directory.migrations, now)
  const id = `${version}_${snake}`
  const dir = join(migrationsDir, id)
  if (existsSync(dir)) throw new KeelError('MIGRATIONS_DIR', `${id} exists already`)
  mkdirSync(dir, { recursive: true })
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text)
  // A new migration is a draft: its author edits it next, and keel.sum must not make them rehash that.
  writeSum(readMigrationsDirectory(migrationsDir), new Set([...sumDrafts(directory), id]))
  return { id, dir, version }
}

/** Templates of a hand-written migration. */
export function emptyMigrationFiles(ts: boolean): MigrationFiles {
  if (ts) {
    return {
      'migration.ts': `import type { MigrationDb } from 'keel'

// Runs in a transaction with its journal entry. Start the file with \`// keel:no-transaction\` to opt out.
export async function up(db: MigrationDb): Promise<void> {
  // await db.exec('alter table users add column nickname text')
}

export async function down(db: MigrationDb): Promise<void> {
  // await db.exec('alter table users drop column nickname')
}
`,
    }
  }
  return {
    'up.sql': `-- Write the migration here. It runs in one transaction; statements that cannot
-- (CREATE INDEX CONCURRENTLY, ...) run on their own, in order.
`,
    'down.sql': '-- Undo up.sql here, in reverse order.\n',
  }
}
