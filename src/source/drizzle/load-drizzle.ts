import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Jiti } from 'jiti'
import { KeelError } from '../../errors.js'
import type { Schema } from '../../schema/model.js'
import { loadDrizzleRuntime } from './drizzle-runtime.js'
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
 * (searched from the module's folder up to `cwd`), as drizzle-kit would read it.
 */
export async function readDrizzleSchema(
  exports: Record<string, unknown>,
  path: string,
  jiti: Jiti,
  cwd: string,
): Promise<Schema> {
  const runtime = await loadDrizzleRuntime(jiti, path)
  return readPgSchema(exports, runtime, await drizzleCasing(jiti, path, cwd))
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
