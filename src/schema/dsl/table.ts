import { KeelError } from '../../errors.js'
import type {
  AttachedIndex,
  Exclusion,
  PartitionOf,
  Privilege,
  QualifiedName,
  RowLevelSecurity,
  RowPolicy,
} from '../model.js'
import { attachState, BRAND, brandOf } from './brand-of.js'
import type { Casing } from './casing.js'
import type { ColumnBuilder, ColumnInfo } from './column-builder.js'
import { ColumnRef } from './column-ref.js'
import type { TableExtra } from './constraints.js'

/** The columns of a table: TypeScript keys to column builders. */
export type ColumnBuilders = Readonly<Record<string, ColumnBuilder<ColumnInfo>>>

/** The `ColumnInfo` of a column builder. */
export type InfoOf<B> = B extends ColumnBuilder<infer T> ? T : never

/** The column references of a table, by TypeScript key: what `t` is in the extras callback. */
export type TableColumnRefs<TCols extends ColumnBuilders> = {
  readonly [K in keyof TCols]: ColumnRef<InfoOf<TCols[K]>>
}

/** What a table's extras callback returns: an array (or, as older Drizzle code does, an object) of extras. */
export type TableExtras = readonly TableExtra[] | Readonly<Record<string, TableExtra>>

/** Table options. */
export interface TableOptions {
  /** The namespace; omitted means the dialect's default (`public`). */
  readonly schema?: string
  /** How keys become column names; overrides `defineSchema`/`collect` casing for this table. */
  readonly casing?: Casing
  readonly comment?: string
  /** A rename hint: the table used to be called this (same namespace unless a qualified name is given). */
  readonly renamedFrom?: string | QualifiedName
  /** `CREATE UNLOGGED TABLE` (PostgreSQL). */
  readonly unlogged?: boolean
  /** `PARTITION BY ...`, as PostgreSQL prints the key: `'RANGE (payment_date)'`. */
  readonly partitionBy?: string
  /**
   * `PARTITION OF parent FOR VALUES ...`: the table is a partition. It declares no columns (they are the parent's);
   * its extras name the parent's columns as strings, e.g. `index().on('customer_id')`.
   */
  readonly partitionOf?: PartitionOf
  /** A partition's indexes attached to its parent's under names of their own (see `AttachedIndex` in the model). */
  readonly attachedIndexes?: readonly AttachedIndex[]
  /** `INHERITS (parents)`: the table declares only its own columns; extras may name inherited ones as strings. */
  readonly inherits?: readonly QualifiedName[]
  /** Exclusion constraints, as PostgreSQL prints them (`EXCLUDE USING gist (room WITH =, during WITH &&)`). */
  readonly exclusions?: readonly Exclusion[]
  /** `GRANT ... ON TABLE` (see `Privilege` in the model). */
  readonly privileges?: readonly Privilege[]
  /** `ENABLE` / `FORCE ROW LEVEL SECURITY`. */
  readonly rowLevelSecurity?: RowLevelSecurity
  /** Row-level security policies (`CREATE POLICY`). */
  readonly policies?: readonly RowPolicy[]
  /** `WITHOUT ROWID` (SQLite): the primary key is the table's storage key. */
  readonly withoutRowid?: boolean
  /** `STRICT` (SQLite): declared types are enforced. */
  readonly strict?: boolean
}

/** What a table declaration holds, under its brand. */
export interface TableState<TName extends string = string, TCols extends ColumnBuilders = ColumnBuilders> {
  readonly kind: 'table'
  readonly name: TName
  readonly columns: TCols
  readonly refs: Readonly<Record<string, ColumnRef>>
  readonly options: TableOptions
  /** Called by `collect()`, once every module-level constant exists, so extras may name tables defined later. */
  extras?(refs: Readonly<Record<string, ColumnRef>>): TableExtras
}

/** A defined table: its column references by key (`users.id`), plus its declaration under a hidden brand. */
export type TableDef<TName extends string = string, TCols extends ColumnBuilders = ColumnBuilders> = {
  readonly [BRAND]: TableState<TName, TCols>
} & TableColumnRefs<TCols>

/** Any table, e.g. for functions over tables. */
export interface AnyTable {
  readonly [BRAND]: TableState
}

/**
 * Defines a table. `extras` returns indexes and table-level constraints over the column references `t`;
 * `options` sets the namespace, casing, comment, rename hint or UNLOGGED.
 * @example
 * export const users = table('users', {
 *   id: bigint().primaryKey().generatedAlwaysAsIdentity(),
 *   email: varchar(255).notNull().unique(),
 * }, (t) => [index().on(t.email)], { casing: 'snake_case' })
 */
export function table<TName extends string, TCols extends ColumnBuilders>(
  name: TName,
  columns: TCols,
  extras?: (t: TableColumnRefs<TCols>) => TableExtras,
  options?: TableOptions,
): TableDef<TName, TCols>
export function table<TName extends string, TCols extends ColumnBuilders>(
  name: TName,
  columns: TCols,
  options: TableOptions,
): TableDef<TName, TCols>
export function table<TName extends string, TCols extends ColumnBuilders>(
  name: TName,
  columns: TCols,
  extrasOrOptions?: ((t: TableColumnRefs<TCols>) => TableExtras) | TableOptions,
  maybeOptions?: TableOptions,
): TableDef<TName, TCols> {
  const extras = typeof extrasOrOptions === 'function' ? extrasOrOptions : undefined
  const options = (typeof extrasOrOptions === 'object' ? extrasOrOptions : maybeOptions) ?? {}
  if (typeof name !== 'string' || name === '') {
    throw new KeelError('SCHEMA_MODULE', 'table(): the first argument must be the table name')
  }
  const def: Record<string, ColumnRef> = {}
  for (const [key, builder] of Object.entries(columns)) {
    if (key === BRAND)
      throw new KeelError('SCHEMA_MODULE', `table ${name}: "${BRAND}" is reserved and cannot be a column key`)
    if (brandOf(builder) !== 'column') {
      throw new KeelError('SCHEMA_MODULE', `table ${name}: "${key}" is not a column (use a builder such as text())`)
    }
    def[key] = new ColumnRef(def as unknown as AnyTable, key, builder)
  }
  const state: TableState<TName, TCols> = {
    kind: 'table',
    name,
    columns,
    refs: { ...def },
    options,
    ...(extras === undefined ? {} : { extras: extras as unknown as NonNullable<TableState['extras']> }),
  }
  attachState(def, state)
  return Object.freeze(def) as unknown as TableDef<TName, TCols>
}

/** The declaration of a table. */
export function tableState(table: AnyTable): TableState {
  return table[BRAND]
}
