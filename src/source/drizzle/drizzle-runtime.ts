import { createRequire } from 'node:module'
import type { Jiti } from 'jiti'
import { KeelError } from '../../errors.js'
import type { Schema } from '../../schema/model.js'

/**
 * The parts of drizzle-orm Keel reads a schema with, typed structurally: drizzle-orm is the user's
 * dependency, not Keel's, and Keel uses the copy the schema module itself imports (so `is()` and the
 * table metadata symbols are the ones its tables were built with). A dialect's own core
 * (`drizzle-orm/pg-core`...) is loaded by its reader, through {@link DrizzleReadContext.load}.
 */
export interface DrizzleRuntime {
  readonly is: (value: unknown, kind: unknown) => boolean
  readonly SQL: unknown
  readonly getTableName: (table: unknown) => string
  readonly casing: {
    readonly CasingCache: new (casing?: string) => unknown
    toSnakeCase(s: string): string
    toCamelCase(s: string): string
  }
}

/** drizzle.config's `casing`: how columns named by their key are named in the database. */
export type DrizzleCasing = 'snake_case' | 'camelCase' | undefined

/** What a dialect's reader of a Drizzle schema module is given. */
export interface DrizzleReadContext {
  readonly drizzle: DrizzleRuntime
  readonly casing: DrizzleCasing
  /** The schema module's path, for messages. */
  readonly path: string
  /** A module of drizzle-orm (`drizzle-orm/pg-core`), as the schema module resolves it. */
  load<T>(specifier: string): Promise<T>
}

/**
 * How a dialect reads Drizzle schema modules of its tables (`DialectRuntime.drizzle`): the entity kinds that are
 * its, and its reader, which drizzle-kit's choices for the dialect (names, types, defaults) are written in.
 */
export interface DrizzleDialectHook {
  /** drizzle-orm's entity kind of the dialect's tables (`PgTable`): a module's first table names its dialect. */
  readonly tableKind: string
  /** The dialect's other entity kinds (`PgEnum`, `PgSchema`...), which name it in a module without tables. */
  readonly kinds: RegExp
  /** The `dialect` drizzle-kit writes into `meta/_journal.json` for migrations of this dialect (`postgresql`). */
  readonly kitDialect: string
  /** The module's exports as Keel's model, as drizzle-kit generates them for the dialect. */
  read(exports: Record<string, unknown>, context: DrizzleReadContext): Promise<Schema>
}

/** Loads drizzle-orm as the schema module at `path` resolves it. */
export async function loadDrizzleRuntime(jiti: Jiti, path: string): Promise<DrizzleRuntime> {
  const orm = await loadDrizzleModule<Pick<DrizzleRuntime, 'is' | 'SQL' | 'getTableName'>>(jiti, path, 'drizzle-orm')
  return {
    is: orm.is,
    SQL: orm.SQL,
    getTableName: orm.getTableName,
    casing: await loadDrizzleModule(jiti, path, 'drizzle-orm/casing'),
  }
}

/** One module of drizzle-orm (`drizzle-orm/sqlite-core`...), as the schema module at `path` resolves it. */
export async function loadDrizzleModule<T>(jiti: Jiti, path: string, specifier: string): Promise<T> {
  let resolved: string
  try {
    resolved = createRequire(path).resolve(specifier)
  } catch (error) {
    throw new KeelError(
      'SCHEMA_MODULE',
      `${path}: exports Drizzle tables, but ${specifier} cannot be found from there`,
      'Install drizzle-orm in the project that holds the schema (npm install drizzle-orm).',
      { cause: error },
    )
  }
  return (await jiti.import(resolved)) as T
}

const ENTITY_KIND = Symbol.for('drizzle:entityKind')

/** drizzle-orm's entity kind of a value (`PgTable`, `SQLiteTable`, `MySqlTable`, `PgSchema`...), if it is one. */
export function drizzleKind(value: unknown): string | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined
  let klass = (value as { constructor?: unknown }).constructor as Record<symbol, unknown> | undefined
  // pgEnum returns a function marked with its own symbol rather than an entity.
  if (typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[Symbol.for('drizzle:isPgEnum')]) {
    return 'PgEnum'
  }
  while (klass !== undefined && klass !== null) {
    const kind = klass[ENTITY_KIND]
    if (typeof kind === 'string') return kind
    klass = Object.getPrototypeOf(klass) as Record<symbol, unknown> | undefined
  }
  return undefined
}

/** Whether a module's exports hold Drizzle tables (of any dialect), enums, views or schemas. */
export function isDrizzleModule(exports: Record<string, unknown>): boolean {
  return Object.values(exports).some((value) => {
    const kind = drizzleKind(value)
    return kind !== undefined && /Table$|Enum$|View$|Schema$|Sequence$/.test(kind)
  })
}
