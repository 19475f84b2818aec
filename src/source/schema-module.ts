import type { DialectName } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import { type CollectOptions, collect } from '../schema/dsl/collect.js'
import type { Schema } from '../schema/model.js'
import { isDrizzleModule } from './drizzle/drizzle-runtime.js'
import { describeColumnTypo } from './dsl-typo.js'
import { createProjectLoader, describeLoadError } from './keel-imports.js'

/**
 * Imports a `.ts` schema module (with jiti, no build step) and collects its exported tables, enums and views:
 * built with `keel/schema`, or with Drizzle's `pgTable`/`pgEnum`/... (read through the project's drizzle-orm).
 */
export async function loadSchemaModule(path: string): Promise<Schema> {
  return (await loadSchemaModuleFor(path)).schema
}

/**
 * As `loadSchemaModule`, with the dialect a Drizzle module's tables are for (`sqliteTable`: sqlite,
 * `mysqlTable`: mysql, `pgTable`: the first of PostgreSQL's); undefined for a dialect-neutral module (keel/schema).
 */
export async function loadSchemaModuleFor(
  path: string,
  options: Pick<CollectOptions, 'quoteIdent' | 'quoteLiteral'> = {},
): Promise<{ readonly schema: Schema; readonly dialect?: DialectName }> {
  let exports: Record<string, unknown>
  const jiti = createProjectLoader()
  try {
    exports = (await jiti.import(path)) as Record<string, unknown>
  } catch (error) {
    const typo = describeColumnTypo(error, path, process.cwd())
    if (typo !== undefined) throw new KeelError('SCHEMA_MODULE', typo, undefined, { cause: error })
    throw new KeelError(
      'SCHEMA_MODULE',
      `${path}: the module threw while loading: ${describeLoadError(error)}`,
      undefined,
      {
        cause: error,
      },
    )
  }
  if (isDrizzleModule(exports)) {
    // A Drizzle schema (pgTable, pgEnum, ...): read through the project's own drizzle-orm.
    const { readDrizzleSchema } = await import('./drizzle/load-drizzle.js')
    try {
      return await readDrizzleSchema(exports, path, jiti, process.cwd())
    } catch (error) {
      if (error instanceof KeelError && !error.message.startsWith(path)) {
        throw new KeelError(error.code, `${path}: ${error.message}`, error.hint, { cause: error })
      }
      throw error
    }
  }
  let schema: Schema
  try {
    schema = collect(exports, options)
  } catch (error) {
    if (error instanceof KeelError)
      throw new KeelError(error.code, `${path}: ${error.message}`, error.hint, { cause: error })
    throw error
  }
  const named = Object.keys(exports)
  if (isEmpty(schema) && !named.includes('schema') && !named.includes('default')) {
    // Read as an empty schema, a module that lost its exports would make generate and push drop every table.
    throw new KeelError(
      'SCHEMA_MODULE',
      `${path}: exports no tables, enums, sequences, views, extensions or namespaces`,
      'Export the tables built with `keel/schema` (for a deliberately empty schema: `export const schema = {}`).',
    )
  }
  return { schema }
}

function isEmpty(schema: Schema): boolean {
  return (
    schema.tables.length + schema.enums.length + schema.sequences.length + schema.views.length === 0 &&
    schema.extensions.length + schema.namespaces.length === 0
  )
}
