import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Jiti } from 'jiti'
import { type DialectName, dialectNames, loadRuntimes, runtimeOf } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import type { Schema } from '../../schema/model.js'
import {
  type DrizzleCasing,
  type DrizzleDialectHook,
  drizzleKind,
  loadDrizzleModule,
  loadDrizzleRuntime,
} from './drizzle-runtime.js'

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
 * are for: the dialect whose `DialectRuntime.drizzle` owns them (`pgTable`s PostgreSQL, `sqliteTable`s SQLite,
 * `mysqlTable`s MySQL), which reads them.
 */
export async function readDrizzleSchema(
  exports: Record<string, unknown>,
  path: string,
  jiti: Jiti,
  cwd: string,
): Promise<{ readonly schema: Schema; readonly dialect: DialectName }> {
  // Asks every dialect whose tables a module's are.
  await loadRuntimes()
  const { name, hook } = moduleDialect(exports)
  const drizzle = await loadDrizzleRuntime(jiti, path)
  const casing = await drizzleCasing(jiti, path, cwd)
  const load = <T>(specifier: string) => loadDrizzleModule<T>(jiti, path, specifier)
  return { schema: await hook.read(exports, { drizzle, casing, path, load }), dialect: name }
}

/**
 * The dialect of a module: the one whose tables its first table is; without tables, the one whose entities
 * (enums, schemas, views...) its first Drizzle export is. PostgreSQL and PGlite share a reader: the first
 * registered names it.
 */
function moduleDialect(exports: Record<string, unknown>): { name: DialectName; hook: DrizzleDialectHook } {
  const readers = dialectNames().flatMap((name) => {
    const hook = runtimeOf(name).drizzle
    return hook === undefined ? [] : [{ name, hook }]
  })
  const kinds = Object.values(exports).flatMap((value) => drizzleKind(value) ?? [])
  const reader =
    kinds.flatMap((kind) => readers.find((r) => r.hook.tableKind === kind) ?? []).at(0) ??
    kinds.flatMap((kind) => readers.find((r) => r.hook.kinds.test(kind)) ?? []).at(0)
  if (reader === undefined) {
    const tables = [...new Set(readers.map((r) => r.hook.tableKind))].join(', ')
    throw new KeelError('UNSUPPORTED', `a ${kinds[0] ?? 'Drizzle'} export: Keel reads Drizzle modules of ${tables}`)
  }
  return reader
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
