import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Connection } from '../db/connection.js'
import { KeelError } from '../errors.js'
import { parseDirectives } from './directives.js'
import { type MigrationDb, migrationDb } from './module-migration.js'
import { execUnit, groupStatements, prepareStatements, StatementFailure } from './prepare-statements.js'
import { type RunnerOptions, sessionOptions } from './runner.js'
import { withRunnerSession } from './session.js'

const SEED_FILE = /\.(sql|ts|mts|js|mjs)$/

export interface SeedOptions extends Pick<RunnerOptions, 'url' | 'lockWaitMs' | 'events' | 'command'> {
  readonly seedsDir: string
  readonly onSeed?: (file: string) => void
}

/**
 * Runs the seed files of `seedsDir` in name order, each in its own transaction: `.sql` files, and
 * modules exporting `seed(db)`. Seeds run every time; making them idempotent (ON CONFLICT DO
 * NOTHING, upserts) is the author's design.
 */
export async function runSeeds(options: SeedOptions): Promise<{ readonly files: readonly string[] }> {
  if (!existsSync(options.seedsDir)) {
    throw new KeelError(
      'SOURCE_NOT_FOUND',
      `no seeds directory at ${options.seedsDir}`,
      'Create it and put .sql or .ts seed files in it.',
    )
  }
  const files = readdirSync(options.seedsDir)
    .filter((file) => SEED_FILE.test(file) && !file.startsWith('.') && !/\.d\.[mc]?ts$/.test(file))
    .sort()
  return withRunnerSession(options.url, sessionOptions({ ...options, migrationsDir: '' }, 'seed'), async (conn) => {
    for (const file of files) {
      options.onSeed?.(file)
      const path = join(options.seedsDir, file)
      if (file.endsWith('.sql')) await runSqlSeed(conn, path)
      else await runModuleSeed(conn, path, file)
    }
    return { files }
  })
}

async function runSqlSeed(conn: Connection, path: string): Promise<void> {
  const text = readFileSync(path, 'utf8')
  const statements = await prepareStatements(path, text, conn.dialect)
  try {
    const { noTransaction } = parseDirectives(text, path)
    for (const unit of groupStatements(statements, noTransaction)) await execUnit(conn, unit, noTransaction)
  } catch (error) {
    if (error instanceof StatementFailure) {
      const located = error.located()
      throw new KeelError(
        'DATABASE_ERROR',
        `seed failed at ${located.message}`,
        'Fix the seed file and run `keel seed` again.',
        {
          cause: error.cause,
        },
      )
    }
    throw error
  }
}

async function runModuleSeed(conn: Connection, path: string, file: string): Promise<void> {
  // Loaded on first use: jiti is a noticeable part of a cold start, and most runs load no module.
  const { createProjectLoader } = await import('../source/keel-imports.js')
  const jiti = createProjectLoader()
  const mod = (await jiti.import(path)) as { seed?: (db: MigrationDb) => Promise<void> | void }
  if (typeof mod.seed !== 'function') {
    throw new KeelError(
      'SCHEMA_MODULE',
      `${file}: does not export a function seed(db)`,
      'Export `async function seed(db)`.',
    )
  }
  const seed = mod.seed
  try {
    await conn.transaction((tx) => Promise.resolve(seed(migrationDb(tx))))
  } catch (error) {
    if (error instanceof KeelError) throw error
    throw new KeelError(
      'DATABASE_ERROR',
      `seed ${file} failed: ${error instanceof Error ? error.message : String(error)}`,
      undefined,
      {
        cause: error,
      },
    )
  }
}
