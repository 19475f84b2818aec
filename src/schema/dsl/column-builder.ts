import type { ColumnType } from '../model.js'
import { brandOf } from './brand-of.js'
import type { ColumnRef } from './column-ref.js'
import type { ForeignKeyActions } from './foreign-key-options.js'
import type { SequenceInput } from './sequence-options.js'
import { Sql } from './sql.js'

/**
 * What the type system knows about a column: its TypeScript value type and the facts that shape `Row` and
 * `NewRow` (NOT NULL, has a default, always generated).
 */
export interface ColumnInfo {
  readonly data: unknown
  readonly notNull: boolean
  readonly hasDefault: boolean
  readonly generated: boolean
}

/** A `ColumnInfo` spelled out; builders and modifiers produce these. */
export interface Info<D, N extends boolean, H extends boolean, G extends boolean> extends ColumnInfo {
  readonly data: D
  readonly notNull: N
  readonly hasDefault: H
  readonly generated: G
}

/** A fresh column: nullable, no default, not generated. */
export type Base<D> = Info<D, false, false, false>
type SetNotNull<T extends ColumnInfo> = Info<T['data'], true, T['hasDefault'], T['generated']>
type SetNullable<T extends ColumnInfo> = Info<T['data'], false, T['hasDefault'], T['generated']>
type SetDefault<T extends ColumnInfo> = Info<T['data'], T['notNull'], true, T['generated']>
type SetData<T extends ColumnInfo, D> = Info<D, T['notNull'], T['hasDefault'], T['generated']>
type SetIdentity<T extends ColumnInfo, Always extends boolean> = Info<T['data'], true, true, Always>
type SetGenerated<T extends ColumnInfo> = Info<T['data'], T['notNull'], true, true>

/** A column default as declared: a value to render as a literal, or a `sql` expression. */
export type DefaultSpec =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'sql'; readonly sql: Sql }

/** `.references(() => users.id, { ... })` */
export interface ReferenceSpec extends ForeignKeyActions {
  readonly target: () => ColumnRef
  readonly name?: string
}

/** Everything a column declaration says, before casing and names are resolved by `collect()`. */
export interface ColumnConfig {
  /** An explicit SQL name (`text('explicit_name')`); otherwise the key, with the table's casing. */
  readonly name?: string
  readonly type: ColumnType
  readonly notNull: boolean
  /**
   * `.nullable()`: NOT NULL is not declared even where a key or identity would imply it. Only SQLite keeps such a
   * column nullable (a primary key of a rowid table); PostgreSQL and MySQL make a key column NOT NULL themselves.
   */
  readonly nullable?: true
  readonly primaryKey?: { readonly name?: string }
  readonly unique?: { readonly name?: string; readonly nullsNotDistinct: boolean }
  readonly default?: DefaultSpec
  readonly identity?: { readonly always: boolean; readonly options?: SequenceInput }
  readonly serial?: true
  readonly generated?: { readonly expr: Sql | (() => Sql); readonly stored: boolean }
  readonly references?: ReferenceSpec
  readonly collation?: string
  readonly comment?: string
  readonly renamedFrom?: string
  readonly backfill?: Sql
}

/**
 * A column declaration. Immutable: every modifier returns a new builder, so a shared set of columns (such as
 * timestamps spread into several tables) cannot be changed by one table. The type parameter records what `Row`
 * and `NewRow` need.
 * @example bigint().primaryKey().generatedAlwaysAsIdentity()
 */
export class ColumnBuilder<T extends ColumnInfo = ColumnInfo> {
  readonly '~keel' = 'column' as const
  /** Type-level only: what `Row`/`NewRow` see. Never set at run time. */
  declare readonly $info: T

  constructor(readonly config: ColumnConfig) {}

  private with<U extends ColumnInfo>(patch: Partial<ColumnConfig>): ColumnBuilder<U> {
    return new ColumnBuilder<U>({ ...this.config, ...patch })
  }

  /** `NOT NULL` */
  notNull(): ColumnBuilder<SetNotNull<T>> {
    const { nullable: _, ...config } = this.config
    return new ColumnBuilder({ ...config, notNull: true })
  }

  /**
   * Declares no NOT NULL, not even the one a primary key or an identity implies. For SQLite, which keeps
   * `id INTEGER PRIMARY KEY` (declared without NOT NULL) apart from `id INTEGER NOT NULL PRIMARY KEY`, and lets a
   * primary key column of a rowid table other than the rowid's alias hold NULL. PostgreSQL and MySQL make key and
   * identity columns NOT NULL whatever is declared.
   * @example native('TEXT').primaryKey().nullable()
   */
  nullable(): ColumnBuilder<SetNullable<T>> {
    return this.with({ notNull: false, nullable: true })
  }

  /** A single-column primary key (implies NOT NULL), named `<table>_pkey` unless `name` is given. */
  primaryKey(name?: string): ColumnBuilder<SetNotNull<T>> {
    return this.with({ notNull: true, primaryKey: name === undefined ? {} : { name } })
  }

  /** A single-column unique constraint, named `<table>_<column>_key` unless `name` is given. */
  unique(name?: string, options: { readonly nullsNotDistinct?: boolean } = {}): ColumnBuilder<T> {
    const nullsNotDistinct = options.nullsNotDistinct === true
    return this.with({ unique: name === undefined ? { nullsNotDistinct } : { name, nullsNotDistinct } })
  }

  /** A default: a value (rendered as a SQL literal; `null` means no default) or a `sql` expression. */
  default(value: T['data'] | Sql | null): ColumnBuilder<SetDefault<T>> {
    const spec: DefaultSpec = isSql(value) ? { kind: 'sql', sql: value } : { kind: 'literal', value }
    return this.with({ default: spec })
  }

  /** `DEFAULT now()` */
  defaultNow(): ColumnBuilder<SetDefault<T>> {
    return this.with({ default: { kind: 'sql', sql: rawSql('now()') } })
  }

  /** `DEFAULT gen_random_uuid()` */
  defaultRandom(): ColumnBuilder<SetDefault<T>> {
    return this.with({ default: { kind: 'sql', sql: rawSql('gen_random_uuid()') } })
  }

  /** `GENERATED ALWAYS AS IDENTITY` (implies NOT NULL; inserts may not set the column). */
  generatedAlwaysAsIdentity(options?: SequenceInput): ColumnBuilder<SetIdentity<T, true>> {
    return this.with({ notNull: true, identity: options === undefined ? { always: true } : { always: true, options } })
  }

  /** `GENERATED BY DEFAULT AS IDENTITY` (implies NOT NULL; inserts may set the column). */
  generatedByDefaultAsIdentity(options?: SequenceInput): ColumnBuilder<SetIdentity<T, false>> {
    const identity = options === undefined ? { always: false } : { always: false, options }
    return this.with({ notNull: true, identity })
  }

  /** `GENERATED ALWAYS AS (expr) STORED` (or VIRTUAL with `{ stored: false }`, PostgreSQL 18). */
  generatedAlwaysAs(
    expr: Sql | (() => Sql),
    options: { readonly stored?: boolean } = {},
  ): ColumnBuilder<SetGenerated<T>> {
    return this.with({ generated: { expr, stored: options.stored !== false } })
  }

  /** A single-column foreign key, named `<table>_<column>_fkey` unless `name` is given. */
  references(target: () => ColumnRef, options: ForeignKeyActions & { readonly name?: string } = {}): ColumnBuilder<T> {
    return this.with({ references: { ...options, target } })
  }

  /** `COLLATE "name"` */
  collate(collation: string): ColumnBuilder<T> {
    return this.with({ collation })
  }

  /** `COMMENT ON COLUMN` */
  comment(comment: string): ColumnBuilder<T> {
    return this.with({ comment })
  }

  /** A rename hint: the column used to be called `oldName` (the table's casing applies to it too). */
  renamedFrom(oldName: string): ColumnBuilder<T> {
    return this.with({ renamedFrom: oldName })
  }

  /**
   * A backfill hint: where this new column's values come from, as an expression over the table's current columns.
   * `keel generate` then writes expand, backfill and contract migrations instead of one that loses data.
   * @example text().notNull().backfill(sql`first_name || ' ' || last_name`)
   */
  backfill(expr: Sql): ColumnBuilder<T> {
    return this.with({ backfill: expr })
  }

  /** Overrides the TypeScript type that `Row`/`NewRow` use, e.g. `jsonb().$type<Settings>()`. */
  $type<U>(): ColumnBuilder<SetData<T, U>> {
    return this.with({})
  }

  /** An array of this type (`text[]`). */
  array(): ColumnBuilder<SetData<T, T['data'][]>> {
    return this.with({ type: { kind: 'array', element: this.config.type } })
  }
}

function isSql(value: unknown): value is Sql {
  return brandOf(value) === 'sql'
}

function rawSql(text: string): Sql {
  return new Sql([text], [])
}

/** Starts a column of the given type. */
export function column<D>(type: ColumnType, name?: string): ColumnBuilder<Base<D>> {
  return new ColumnBuilder<Base<D>>(name === undefined ? { type, notNull: false } : { name, type, notNull: false })
}
