import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { KeelError } from '../errors.js'
import {
  type Migration,
  type MigrationsDirectory,
  nextVersion,
  readMigrationFolder,
  readMigrationsDirectory,
  snakeName,
} from './directory.js'
import { assertSumMatches, sumDrafts, writeSum } from './keel-sum.js'

/** The files of a new migration, by name. */
export type MigrationFiles = Readonly<Record<string, string>>

/** Where a new migration goes: its version, its id (`<version>_<name>`, the folder's name) and its folder. */
export interface NewMigration {
  readonly id: string
  readonly dir: string
  readonly version: string
}

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
): NewMigration {
  // One reading names it and is checked against keel.sum: the directory is read (and hashed) once, not three times.
  const directory = readMigrationsDirectory(migrationsDir)
  const [named] = nameMigrations(directory, [name], { now })
  return writeInto(directory, named as NewMigration, files)
}

/**
 * The folders the migrations `names` get when written one after the other now, as writeMigration names them: each
 * the next version after the one before it, the first after the newest of `directory` as read (leaving out `without`,
 * the migration `keel generate --amend` replaces). Named before they are written, they can be judged (linted) under
 * the ids and paths they will have.
 */
export function nameMigrations(
  directory: MigrationsDirectory,
  names: readonly string[],
  options: { readonly without?: string; readonly now?: Date } = {},
): readonly NewMigration[] {
  let before: readonly Pick<Migration, 'version'>[] = directory.migrations.filter((m) => m.id !== options.without)
  return names.map((name) => {
    const snake = snakeName(name)
    if (snake === '') throw new KeelError('USAGE', `"${name}" has no letters or digits to name a migration with`)
    const version = nextVersion(before, options.now)
    before = [{ version }]
    const id = `${version}_${snake}`
    return { id, dir: join(directory.dir, id), version }
  })
}

/** Writes a migration named by {@link nameMigrations} and adds it to keel.sum, as a draft (see writeMigration). */
export function writeNamedMigration(migrationsDir: string, named: NewMigration, files: MigrationFiles): NewMigration {
  return writeInto(readMigrationsDirectory(migrationsDir), named, files)
}

/**
 * Writes the migration `named` into the directory as `directory` read it, once keel.sum is found to match that
 * reading, and writes keel.sum for that reading and the new folder: what was checked, with the one folder added
 * (read back from disk, as the next reading will read it).
 */
function writeInto(directory: MigrationsDirectory, named: NewMigration, files: MigrationFiles): NewMigration {
  assertSumMatches(directory)
  if (existsSync(named.dir)) throw new KeelError('MIGRATIONS_DIR', `${named.id} exists already`)
  mkdirSync(named.dir, { recursive: true })
  for (const [file, text] of Object.entries(files)) writeFileSync(join(named.dir, file), text)
  // In version order, as a reading lists them: the new version comes after every other (nextVersion).
  const migrations = [...directory.migrations, readMigrationFolder(named.dir)].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  )
  // A new migration is a draft: its author edits it next, and keel.sum must not make them rehash that.
  writeSum({ ...directory, migrations }, new Set([...sumDrafts(directory), named.id]))
  return named
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
