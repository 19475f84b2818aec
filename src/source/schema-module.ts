import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createJiti } from 'jiti'
import { KeelError } from '../errors.js'
import { collect } from '../schema/dsl/collect.js'
import type { Schema } from '../schema/model.js'

/** Imports a `.ts` schema module (with jiti, no build step) and collects its exported tables, enums and views. */
export async function loadSchemaModule(path: string): Promise<Schema> {
  let exports: Record<string, unknown>
  try {
    const jiti = createJiti(import.meta.url, {
      moduleCache: false,
      fsCache: false,
      alias: { 'keel/schema': dslEntry() },
    })
    exports = (await jiti.import(path)) as Record<string, unknown>
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    throw new KeelError('SCHEMA_MODULE', `${path}: the module threw while loading: ${message}`, undefined, {
      cause: error,
    })
  }
  try {
    return collect(exports)
  } catch (error) {
    if (error instanceof KeelError)
      throw new KeelError(error.code, `${path}: ${error.message}`, error.hint, { cause: error })
    throw error
  }
}

/**
 * The DSL entry of the Keel that is running. A schema module's `keel/schema` import is pointed here so
 * that the module builds its tables with the very code that collects them, even when the project has
 * its own copy of Keel installed or none at all (npx).
 */
function dslEntry(): string {
  const js = fileURLToPath(new URL('../schema/dsl/index.js', import.meta.url))
  return existsSync(js) ? js : js.replace(/\.js$/, '.ts')
}
