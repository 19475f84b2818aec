import { KeelError } from '../errors.js'
import { collect } from '../schema/dsl/collect.js'
import type { Schema } from '../schema/model.js'
import { createProjectLoader } from './keel-imports.js'

/** Imports a `.ts` schema module (with jiti, no build step) and collects its exported tables, enums and views. */
export async function loadSchemaModule(path: string): Promise<Schema> {
  let exports: Record<string, unknown>
  try {
    const jiti = createProjectLoader()
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
