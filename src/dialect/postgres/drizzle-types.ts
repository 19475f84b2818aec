/** drizzle-orm/pg-core, the parts Keel reads a schema with (typed structurally: drizzle-orm is the user's). */
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
