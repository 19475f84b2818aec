import type { ColumnRef } from './column-ref.js'
import type { DeferrableInput, ForeignKeyActions } from './foreign-key-options.js'
import type { IndexBuilder } from './index-builder.js'
import type { Sql } from './sql.js'

/** A unique constraint as declared. */
export interface UniqueSpec {
  readonly name?: string
  readonly columns: readonly TableColumn[]
  readonly nullsNotDistinct: boolean
  readonly deferrable?: DeferrableInput
  readonly comment?: string
}

/**
 * A table-level unique constraint, named `<table>_<columns>_key` unless named. Immutable.
 * @example unique().on(t.email, t.tenantId).nullsNotDistinct()
 */
export class UniqueBuilder {
  readonly '~keel' = 'unique' as const

  constructor(readonly spec: UniqueSpec) {}

  /** The constrained columns, in order. */
  on(...columns: readonly TableColumn[]): UniqueBuilder {
    return new UniqueBuilder({ ...this.spec, columns })
  }

  /** `NULLS NOT DISTINCT` (PostgreSQL 15+): rows whose columns are all NULL conflict too. */
  nullsNotDistinct(): UniqueBuilder {
    return new UniqueBuilder({ ...this.spec, nullsNotDistinct: true })
  }

  /** `DEFERRABLE [INITIALLY DEFERRED]` */
  deferrable(initiallyDeferred = false): UniqueBuilder {
    return new UniqueBuilder({ ...this.spec, deferrable: { initiallyDeferred } })
  }

  /** `COMMENT ON CONSTRAINT` */
  comment(comment: string): UniqueBuilder {
    return new UniqueBuilder({ ...this.spec, comment })
  }
}

/** A unique constraint; follow with `.on(...)`. */
export function unique(name?: string): UniqueBuilder {
  const spec: UniqueSpec = { columns: [], nullsNotDistinct: false }
  return new UniqueBuilder(name === undefined ? spec : { ...spec, name })
}

/** A (composite) primary key as declared. */
export interface PrimaryKeySpec {
  readonly '~keel': 'primaryKey'
  readonly name?: string
  readonly columns: readonly TableColumn[]
}

/**
 * A table-level primary key, named `<table>_pkey` unless named. Its columns become NOT NULL, as in SQL.
 * @example primaryKey(t.postId, t.tagId)
 * @example primaryKey({ name: 'post_tags_pk', columns: [t.postId, t.tagId] })
 */
export function primaryKey(
  ...args: readonly ColumnRef[] | readonly [{ readonly name?: string; readonly columns: readonly TableColumn[] }]
): PrimaryKeySpec {
  const first = args[0]
  if (first !== undefined && !isRef(first)) {
    const config = first as { readonly name?: string; readonly columns: readonly TableColumn[] }
    return config.name === undefined
      ? { '~keel': 'primaryKey', columns: config.columns }
      : { '~keel': 'primaryKey', name: config.name, columns: config.columns }
  }
  return { '~keel': 'primaryKey', columns: args as readonly TableColumn[] }
}

function isRef(value: unknown): value is ColumnRef {
  return (value as { '~keel'?: unknown })['~keel'] === 'ref'
}

/** `foreignKey({ ... })` */
export interface ForeignKeyConfig extends ForeignKeyActions {
  readonly name?: string
  readonly columns: readonly TableColumn[]
  readonly foreignColumns: readonly ColumnRef[]
  /** Added `NOT VALID` and never validated (rows that were there before it are not checked). */
  readonly notValid?: boolean
}

/** A table-level foreign key as declared. */
export interface ForeignKeySpec extends ForeignKeyConfig {
  readonly '~keel': 'foreignKey'
}

/**
 * A (composite) foreign key, named `<table>_<columns>_fkey` unless named.
 * @example foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [members.orgId, members.userId], onDelete: 'cascade' })
 */
export function foreignKey(config: ForeignKeyConfig): ForeignKeySpec {
  return { ...config, '~keel': 'foreignKey' }
}

/**
 * A column of the table in its extras: a reference (`t.id`), or its name as a string, which a partition or
 * INHERITS child needs for the columns it has from its parent.
 */
export type TableColumn = ColumnRef | string

/** Options of `check()`. */
export interface CheckOptions {
  /** `NO INHERIT` */
  readonly noInherit?: boolean
  /** Added `NOT VALID` and never validated. */
  readonly notValid?: boolean
}

/** A check constraint as declared. */
export interface CheckSpec {
  readonly '~keel': 'check'
  readonly name?: string
  readonly expr: Sql
  readonly noInherit?: true
  /** Added `NOT VALID` and never validated. */
  readonly notValid?: true
}

/**
 * A check constraint. Without a name it is named as PostgreSQL would: `<table>_<column>_check` when the
 * expression mentions exactly one column of the table, `<table>_check` otherwise.
 * @example check('price_positive', sql`${t.price} > 0`)
 */
export function check(name: string, expr: Sql, options?: CheckOptions): CheckSpec
export function check(expr: Sql, options?: CheckOptions): CheckSpec
export function check(first: string | Sql, second?: Sql | CheckOptions, third?: CheckOptions): CheckSpec {
  const named = typeof first === 'string'
  const expr = (named ? second : first) as Sql
  const options = (named ? third : second) as CheckOptions | undefined
  const spec: CheckSpec = named ? { '~keel': 'check', name: first, expr } : { '~keel': 'check', expr }
  return {
    ...spec,
    ...(options?.noInherit === true ? { noInherit: true } : {}),
    ...(options?.notValid === true ? { notValid: true } : {}),
  }
}

/** Anything a table's extras callback may return. */
export type TableExtra = IndexBuilder | UniqueBuilder | PrimaryKeySpec | ForeignKeySpec | CheckSpec
