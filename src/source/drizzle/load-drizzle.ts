import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Jiti } from 'jiti'
import { KeelError } from '../../errors.js'
import type { Schema } from '../../schema/model.js'
import { drizzleKind, loadDrizzleModule, loadDrizzleRuntime } from './drizzle-runtime.js'
import { type DialectCore, type DrizzleDialect, readDialectSchema } from './read-dialect-schema.js'
import { type DrizzleCasing, readPgSchema } from './read-pg-schema.js'

const CONFIG_FILES = [
  'drizzle.config.ts',
  'drizzle.config.mts',
  'drizzle.config.js',
  'drizzle.config.mjs',
  'drizzle.config.cjs',
]

/**
 * A Drizzle schema module's exports as Keel's model, with the `casing` of the project's drizzle.config
 * (searched from the module's folder up to `cwd`), as drizzle-kit would read it, and the dialect its tables
 * are for: `pgTable`s (and enums, views... around them) are PostgreSQL, `sqliteTable`s SQLite, `mysqlTable`s MySQL.
 */
export async function readDrizzleSchema(
  exports: Record<string, unknown>,
  path: string,
  jiti: Jiti,
  cwd: string,
): Promise<{ readonly schema: Schema; readonly dialect: 'postgres' | DrizzleDialect }> {
  const runtime = await loadDrizzleRuntime(jiti, path)
  const casing = await drizzleCasing(jiti, path, cwd)
  const dialect = moduleDialect(exports)
  if (dialect === 'postgres') return { schema: readPgSchema(exports, runtime, casing), dialect }
  const folder = dialect === 'sqlite' ? 'sqlite-core' : 'mysql-core'
  const core = await loadDrizzleModule<
    DialectCore & Record<string, new (config?: { casing?: string }) => { sqlToQuery(sql: unknown): { sql: string } }>
  >(jiti, path, `drizzle-orm/${folder}`)
  const Dialect = dialect === 'sqlite' ? core.SQLiteSyncDialect : core.MySqlDialect
  if (Dialect === undefined) throw new KeelError('SCHEMA_MODULE', `${path}: drizzle-orm/${folder} has no dialect class`)
  const sqlDialect = new Dialect(casing === undefined ? {} : { casing })
  const sqlText = (value: unknown) => sqlDialect.sqlToQuery(value).sql
  return { schema: readDialectSchema(exports, runtime, core, sqlText, dialect, casing), dialect }
}

/** The dialect of a module's tables: the first SQLite or MySQL table decides; otherwise PostgreSQL. */
function moduleDialect(exports: Record<string, unknown>): 'postgres' | DrizzleDialect {
  for (const value of Object.values(exports)) {
    const kind = drizzleKind(value)
    if (kind === 'SQLiteTable') return 'sqlite'
    if (kind === 'MySqlTable') return 'mysql'
  }
  return 'postgres'
}

async function drizzleCasing(jiti: Jiti, path: string, cwd: string): Promise<DrizzleCasing> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const file = CONFIG_FILES.map((name) => join(dir, name)).find((candidate) => existsSync(candidate))
    if (file !== undefined) {
      const loaded = (await jiti.import(file)) as { default?: { casing?: unknown }; casing?: unknown }
      const casing = (loaded.default ?? loaded).casing
      if (casing === undefined || casing === 'snake_case' || casing === 'camelCase') return casing
      throw new KeelError(
        'CONFIG',
        `${file}: casing must be 'snake_case' or 'camelCase' (got ${JSON.stringify(casing)})`,
      )
    }
    if (dir === cwd || dir === dirname(dir) || !dir.startsWith(cwd)) return undefined
  }
}
