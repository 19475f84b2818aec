import type {
  Check,
  Column,
  ColumnType,
  Domain,
  EnumType,
  Expr,
  Extension,
  ForeignKey,
  Index,
  IndexPart,
  Namespace,
  PrimaryKey,
  QualifiedName,
  ReferentialAction,
  Routine,
  Schema,
  Sequence,
  Table,
  Trigger,
  UniqueConstraint,
  View,
} from './model.js'
import { emptySchema } from './model.js'

/**
 * Small pure builders for schema objects, used by tests (and by anything that wants to write a schema by hand).
 * They fill the model's required fields with their defaults and omit optional fields that are not given, so the
 * results compare with `deepEqual` exactly like normalised schemas do. They do not normalise (no default
 * namespace is filled in): write `'public.users'` when the test needs it.
 */

/** Makes a mutable copy of an options object without its `undefined` fields (the model omits, never sets undefined). */
type Defined<T> = { -readonly [K in keyof T]?: Exclude<T[K], undefined> }
function defined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>
}

/**
 * A qualified name from `'schema.name'` or `'name'` (split at the first dot; pass a QualifiedName for names
 * that contain dots).
 * @example nameOf('app.users') // { schema: 'app', name: 'users' }
 */
export function nameOf(name: string | QualifiedName): QualifiedName {
  if (typeof name !== 'string') return name
  const dot = name.indexOf('.')
  return dot < 0 ? { name } : { schema: name.slice(0, dot), name: name.slice(dot + 1) }
}

/** Short spellings of the common column types, as PostgreSQL names them. */
export type ShortType =
  | 'int2'
  | 'int4'
  | 'int8'
  | 'float4'
  | 'float8'
  | 'numeric'
  | 'text'
  | 'bool'
  | 'date'
  | 'uuid'
  | 'bytea'
  | 'json'
  | 'jsonb'
  | 'timestamp'
  | 'timestamptz'

const shortTypes: Readonly<Record<ShortType, ColumnType>> = {
  int2: { kind: 'integer', bytes: 2 },
  int4: { kind: 'integer', bytes: 4 },
  int8: { kind: 'integer', bytes: 8 },
  float4: { kind: 'float', bytes: 4 },
  float8: { kind: 'float', bytes: 8 },
  numeric: { kind: 'decimal' },
  text: { kind: 'text' },
  bool: { kind: 'boolean' },
  date: { kind: 'date' },
  uuid: { kind: 'uuid' },
  bytea: { kind: 'bytes' },
  json: { kind: 'json' },
  jsonb: { kind: 'jsonb' },
  timestamp: { kind: 'timestamp', withTimeZone: false },
  timestamptz: { kind: 'timestamp', withTimeZone: true },
}

/** A column type from its short spelling, or the type itself. */
export function typeOf(type: ShortType | ColumnType): ColumnType {
  return typeof type === 'string' ? shortTypes[type] : type
}

/** The column type of an enum. */
export function enumRef(name: string | QualifiedName): ColumnType {
  return { kind: 'enum', enum: nameOf(name) }
}

/** An array column type. */
export function arrayOf(element: ShortType | ColumnType): ColumnType {
  return { kind: 'array', element: typeOf(element) }
}

/** Column options: the model's optional fields, `nullable` (default true) and `default` as SQL text. */
export type ColumnOptions = Partial<Omit<Column, 'name' | 'type' | 'default'>> & { readonly default?: string | Expr }

/**
 * A column; nullable unless `{ nullable: false }`.
 * @example col('id', 'int8', { nullable: false, identity: { always: true } })
 */
export function col(name: string, type: ShortType | ColumnType, options: ColumnOptions = {}): Column {
  const { default: dflt, nullable, ...rest } = options
  return {
    name,
    type: typeOf(type),
    nullable: nullable ?? true,
    ...(dflt === undefined ? {} : { default: typeof dflt === 'string' ? { kind: 'sql', sql: dflt } : dflt }),
    ...defined(rest),
  }
}

/** Everything of a table but its name and columns; lists default to empty. */
export type TableExtras = Partial<Omit<Table, 'name' | 'columns'>>

/**
 * A table.
 * @example tableOf('public.users', [col('id', 'int8', { nullable: false })], { primaryKey: pk('users_pkey', ['id']) })
 */
export function tableOf(name: string | QualifiedName, columns: readonly Column[], extras: TableExtras = {}): Table {
  return {
    name: nameOf(name),
    columns,
    uniques: [],
    indexes: [],
    foreignKeys: [],
    checks: [],
    ...defined(extras),
  }
}

/** A primary key. */
export function pk(name: string, columns: readonly string[]): PrimaryKey {
  return { name, columns }
}

/** A unique constraint. */
export function unique(
  name: string,
  columns: readonly string[],
  options: Partial<Omit<UniqueConstraint, 'name' | 'columns'>> = {},
): UniqueConstraint {
  return { name, columns, ...defined(options) }
}

/**
 * An index; each part is a column name or an IndexPart (for expressions, order, opclass).
 * @example index('users_email_idx', [{ expr: 'lower(email)' }], { unique: true })
 */
export function index(
  name: string,
  parts: readonly (string | IndexPart)[],
  options: Partial<Omit<Index, 'name' | 'parts'>> = {},
): Index {
  return {
    name,
    parts: parts.map((part) => (typeof part === 'string' ? { column: part } : part)),
    unique: false,
    include: [],
    ...defined(options),
  }
}

/** Foreign key options; actions default to `NO ACTION`. */
export type ForeignKeyOptions = Partial<Omit<ForeignKey, 'name' | 'columns' | 'references'>>

/** A foreign key. */
export function fk(
  name: string,
  columns: readonly string[],
  table: string | QualifiedName,
  referencedColumns: readonly string[],
  options: ForeignKeyOptions = {},
): ForeignKey {
  const noAction: ReferentialAction = 'NO ACTION'
  return {
    name,
    columns,
    references: { table: nameOf(table), columns: referencedColumns },
    onDelete: noAction,
    onUpdate: noAction,
    ...defined(options),
  }
}

/** A check constraint; `expr` without the surrounding `CHECK (...)`. */
export function check(name: string, expr: string, options: Partial<Omit<Check, 'name' | 'expr'>> = {}): Check {
  return { name, expr, ...defined(options) }
}

/** An enum type. */
export function enumOf(
  name: string | QualifiedName,
  values: readonly string[],
  options: Partial<Omit<EnumType, 'name' | 'values'>> = {},
): EnumType {
  return { name: nameOf(name), values, ...defined(options) }
}

/** A sequence with the given options (omitted options are PostgreSQL's defaults). */
export function sequenceOf(name: string | QualifiedName, options: Partial<Omit<Sequence, 'name'>> = {}): Sequence {
  return { name: nameOf(name), ...defined(options) }
}

/** View options; `materialized` defaults to false, `indexes` to none. */
export type ViewOptions = Partial<Omit<View, 'name' | 'definition' | 'dependsOn'>>

/**
 * A view (or, with `{ materialized: true }`, a materialized view).
 * @example viewOf('active_users', 'SELECT id FROM users WHERE active', ['users'])
 */
export function viewOf(
  name: string | QualifiedName,
  definition: string,
  dependsOn: readonly (string | QualifiedName)[] = [],
  options: ViewOptions = {},
): View {
  return {
    name: nameOf(name),
    definition,
    materialized: false,
    dependsOn: dependsOn.map(nameOf),
    indexes: [],
    ...defined(options),
  }
}

/**
 * A domain over a type; no checks unless given.
 * @example domainOf('public.positive', 'int4', { checks: [check('positive_check', '(VALUE > 0)')] })
 */
export function domainOf(
  name: string | QualifiedName,
  type: ShortType | ColumnType,
  options: Partial<Omit<Domain, 'name' | 'type'>> = {},
): Domain {
  return { name: nameOf(name), type: typeOf(type), checks: [], ...defined(options) }
}

/**
 * A routine (a function unless `kind` says otherwise) with its whole CREATE statement; `arguments`
 * defaults to `identityArgs`, which defaults to none, and `dependsOn` to nothing.
 * @example routineOf('public.touch', 'CREATE OR REPLACE FUNCTION public.touch() ...', { returns: 'trigger' })
 */
export function routineOf(
  name: string | QualifiedName,
  definition: string,
  options: Partial<Omit<Routine, 'name' | 'definition'>> = {},
): Routine {
  const identityArgs = options.identityArgs ?? ''
  return {
    name: nameOf(name),
    kind: 'function',
    identityArgs,
    arguments: identityArgs,
    definition,
    dependsOn: [],
    ...defined(options),
  }
}

/**
 * A trigger on a table or view, calling `fn`, with its whole CREATE TRIGGER statement.
 * @example triggerOf('public.users', 'users_touch', 'public.touch', 'CREATE TRIGGER users_touch ...')
 */
export function triggerOf(
  table: string | QualifiedName,
  name: string,
  fn: string | QualifiedName,
  definition: string,
  options: Partial<Omit<Trigger, 'table' | 'name' | 'function' | 'definition'>> = {},
): Trigger {
  return { table: nameOf(table), name, function: nameOf(fn), definition, columns: [], ...defined(options) }
}

/** An extension. */
export function extensionOf(name: string, options: Partial<Omit<Extension, 'name'>> = {}): Extension {
  return { name, ...defined(options) }
}

/** A namespace (PostgreSQL schema). */
export function namespaceOf(name: string, options: Partial<Omit<Namespace, 'name'>> = {}): Namespace {
  return { name, ...defined(options) }
}

/**
 * A schema; every list defaults to empty.
 * @example schemaOf({ tables: [tableOf('users', [col('id', 'int4')])] })
 */
export function schemaOf(parts: Partial<Schema> = {}): Schema {
  return { ...emptySchema, ...defined(parts) }
}
