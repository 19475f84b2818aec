import { createRequire } from 'node:module'
import type { Jiti } from 'jiti'
import { KeelError } from '../../errors.js'

/**
 * The parts of drizzle-orm Keel reads a schema with, typed structurally: drizzle-orm is the user's
 * dependency, not Keel's, and Keel uses the copy the schema module itself imports (so `is()` and the
 * table metadata symbols are the ones its tables were built with).
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
  readonly pg: PgCore
}

export interface PgCore {
  getTableConfig(table: unknown): PgTableConfig
  getViewConfig(view: unknown): PgViewConfig
  getMaterializedViewConfig(view: unknown): PgViewConfig
  isPgEnum(value: unknown): boolean
  isPgSequence(value: unknown): boolean
  isPgView(value: unknown): boolean
  isPgMaterializedView(value: unknown): boolean
  uniqueKeyName(table: unknown, columns: string[]): string
  readonly PgDialect: new (config?: {
    casing?: string
  }) => { sqlToQuery(sql: unknown, source?: string): { sql: string } }
  readonly PgTable: unknown
  readonly PgSchema: unknown
  readonly PgEnumColumn: unknown
  readonly PgArray: unknown
}

export interface PgColumn {
  readonly name: string
  readonly keyAsName?: boolean
  readonly primary: boolean
  readonly notNull: boolean
  readonly default?: unknown
  readonly isUnique: boolean
  readonly uniqueName?: string
  readonly uniqueType?: string
  readonly columnType: string
  readonly generated?: { readonly as: unknown; readonly type?: string }
  readonly generatedIdentity?: {
    readonly type: 'always' | 'byDefault'
    readonly sequenceOptions?: Record<string, unknown>
  }
  readonly enum?: { readonly enumName: string; readonly schema?: string }
  readonly baseColumn?: PgColumn
  readonly indexConfig?: {
    readonly order?: 'asc' | 'desc'
    readonly nulls?: 'first' | 'last'
    readonly opClass?: string
  }
  getSQLType(): string
}

export interface PgTableConfig {
  readonly name: string
  readonly schema?: string
  readonly columns: readonly PgColumn[]
  readonly indexes: readonly { readonly config: PgIndexConfig }[]
  readonly foreignKeys: readonly PgForeignKey[]
  readonly checks: readonly { readonly name: string; readonly value: unknown }[]
  readonly primaryKeys: readonly { readonly columns: readonly PgColumn[]; getName(): string }[]
  readonly uniqueConstraints: readonly {
    readonly name?: string
    readonly columns: readonly PgColumn[]
    readonly nullsNotDistinct: boolean
  }[]
}

export interface PgIndexConfig {
  readonly name?: string
  readonly columns: readonly unknown[]
  readonly unique?: boolean
  readonly where?: unknown
  readonly method?: string
  readonly with?: Record<string, unknown>
}

export interface PgForeignKey {
  readonly onDelete?: string
  readonly onUpdate?: string
  reference(): {
    readonly columns: readonly PgColumn[]
    readonly foreignColumns: readonly PgColumn[]
    readonly foreignTable: unknown
  }
  getName(): string
}

export interface PgViewConfig {
  readonly name: string
  readonly schema?: string
  readonly query?: unknown
  readonly isExisting: boolean
  readonly with?: Record<string, unknown>
}

/** Loads drizzle-orm as the schema module at `path` resolves it. */
export async function loadDrizzleRuntime(jiti: Jiti, path: string): Promise<DrizzleRuntime> {
  const orm = await loadDrizzleModule<Pick<DrizzleRuntime, 'is' | 'SQL' | 'getTableName'>>(jiti, path, 'drizzle-orm')
  return {
    is: orm.is,
    SQL: orm.SQL,
    getTableName: orm.getTableName,
    casing: await loadDrizzleModule(jiti, path, 'drizzle-orm/casing'),
    pg: await loadDrizzleModule(jiti, path, 'drizzle-orm/pg-core'),
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
