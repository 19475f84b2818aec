import { KeelError } from '../../errors.js'
import type {
  Check,
  Column,
  ColumnType,
  ForeignKey,
  Index,
  IndexPart,
  ReferentialAction,
  Schema,
  Table,
  UniqueConstraint,
  View,
} from '../../schema/model.js'
import { emptySchema } from '../../schema/model.js'
import type { DrizzleReadContext, DrizzleRuntime } from './drizzle-runtime.js'
import { drizzleKind } from './drizzle-runtime.js'
import { relationsIn } from './relations-in.js'

/** drizzle-orm/sqlite-core or drizzle-orm/mysql-core, the parts Keel reads a schema with (typed structurally). */
interface DialectCore {
  getTableConfig(table: unknown): DialectTableConfig
  getViewConfig(view: unknown): DialectViewConfig
  uniqueKeyName(table: unknown, columns: string[]): string
}

/**
 * What differs between the dialects whose drizzle-orm cores share one shape (sqlite-core, mysql-core), as
 * drizzle-kit writes their schemas; each dialect's folder holds its own (dialect/<name>/drizzle.ts).
 */
export interface DrizzleCoreFlavour {
  /** The core's module: `drizzle-orm/sqlite-core`. */
  readonly module: string
  /** Its class that prints SQL (`SQLiteSyncDialect`) and its view class (`SQLiteView`), as the core exports them. */
  readonly dialectClass: string
  readonly viewClass: string
  /** drizzle-orm's entity kind of the dialect's tables: `SQLiteTable`. */
  readonly tableKind: string
  /** A view's definition from its SELECT as drizzle-orm prints it (MySQL's in parentheses, as the server keeps it). */
  viewDefinition(select: string): string
  /**
   * A column's type from drizzle-orm's SQL type (`getSQLType()`), and whether it is a serial: MySQL's SERIAL,
   * which brings NOT NULL, AUTO_INCREMENT and a unique index named after the column.
   */
  columnType(sqlType: string): { readonly type: ColumnType; readonly serial: boolean }
  /** `.unique()`s as UNIQUE constraints (MySQL), or as unique indexes of those names (SQLite, as drizzle-kit writes them). */
  readonly uniquesAs: 'constraints' | 'indexes'
  /** Whether `autoIncrement` counts only on a primary key column (SQLite's AUTOINCREMENT). */
  readonly autoIncrementOnPrimaryOnly: boolean
  /** The dialect's string literal (MySQL doubles backslashes, which escape in its strings), for string defaults. */
  quoteLiteral(text: string): string
}

/** `sqliteView(...)`/`mysqlView(...)`'s config; the last three are MySQL's. */
interface DialectViewConfig {
  readonly name: string
  readonly isExisting: boolean
  readonly query?: unknown
  readonly algorithm?: string
  readonly sqlSecurity?: string
  readonly withCheckOption?: string
}

interface DialectColumn {
  readonly name: string
  readonly keyAsName?: boolean
  readonly primary: boolean
  readonly notNull: boolean
  readonly default?: unknown
  readonly isUnique: boolean
  readonly uniqueName?: string
  readonly autoIncrement?: boolean
  readonly hasOnUpdateNow?: boolean
  readonly fsp?: number
  readonly columnType: string
  readonly generated?: { readonly as: unknown; readonly mode?: string; readonly type?: string }
  getSQLType(): string
}

interface DialectTableConfig {
  readonly name: string
  readonly columns: readonly DialectColumn[]
  readonly indexes: readonly {
    readonly config: {
      readonly name: string
      readonly columns: readonly unknown[]
      readonly unique?: boolean
      readonly where?: unknown
      readonly using?: string
    }
  }[]
  readonly foreignKeys: readonly {
    readonly onDelete?: string
    readonly onUpdate?: string
    reference(): {
      readonly columns: readonly DialectColumn[]
      readonly foreignColumns: readonly DialectColumn[]
      readonly foreignTable: unknown
    }
    getName(): string
  }[]
  readonly checks: readonly { readonly name: string; readonly value: unknown }[]
  readonly primaryKeys: readonly { readonly columns: readonly DialectColumn[]; getName(): string }[]
  readonly uniqueConstraints: readonly { readonly name?: string; readonly columns: readonly DialectColumn[] }[]
}

/**
 * The schema drizzle-kit generates for a module's exported tables of a dialect whose drizzle-orm core has this
 * shape (today `sqliteTable`s and `mysqlTable`s, each described by its {@link DrizzleCoreFlavour}), read through
 * the user's drizzle-orm metadata, with drizzle-kit's choices for each dialect:
 * - the column type as drizzle-orm spells it (`getSQLType()`: `integer`, `text(255)`, `varchar(255)`, `serial`...);
 * - `.unique()` named `<table>_<column>_unique` (a unique index on SQLite, a UNIQUE constraint on MySQL), an
 *   unnamed `unique().on()` `<table>_<columns>_unique`, foreign keys `<table>_<cols>_<target>_<cols>_fk` with
 *   NO ACTION unless said otherwise (SQLite keeps no constraint names: the database's own are read back);
 * - `primaryKey({ autoIncrement: true })` as `INTEGER PRIMARY KEY AUTOINCREMENT`, MySQL's `.autoincrement()`
 *   as AUTO_INCREMENT, `serial` as MySQL's SERIAL (bigint unsigned NOT NULL AUTO_INCREMENT, with the unique
 *   index named after the column that the server adds for it), `.onUpdateNow()` as ON UPDATE CURRENT_TIMESTAMP;
 * - defaults as drizzle-kit writes them: SQL as is, strings quoted (as the dialect reads them back: MySQL's with
 *   backslashes doubled), booleans `true`/`false` (SQLite stores 1/0), objects as quoted JSON.
 * - `sqliteView`/`mysqlView` with `.as()` as `CREATE VIEW name AS <its SELECT as drizzle-orm prints it>`
 *   (in parentheses on MySQL, as drizzle-kit writes it),
 *   MySQL's `.sqlSecurity('invoker')` kept; `.existing()` views are not Keel's to create. MySQL's
 *   `.algorithm()` and `.withCheckOption()` are refused: Keel's model has no place for them (yet), and
 *   dropping them silently would create a different view than drizzle-kit.
 */
export async function readDialectSchema(
  exports: Record<string, unknown>,
  context: DrizzleReadContext,
  flavour: DrizzleCoreFlavour,
): Promise<Schema> {
  const { drizzle, casing } = context
  const core = await context.load<
    DialectCore & Record<string, new (config?: { casing?: string }) => { sqlToQuery(sql: unknown): { sql: string } }>
  >(flavour.module)
  const Dialect = core[flavour.dialectClass]
  if (Dialect === undefined)
    throw new KeelError('SCHEMA_MODULE', `${context.path}: ${flavour.module} has no dialect class`)
  const sqlDialect = new Dialect(casing === undefined ? {} : { casing })
  const sqlText = (value: unknown) => sqlDialect.sqlToQuery(value).sql
  const columnName = (column: DialectColumn) =>
    !column.keyAsName || casing === undefined
      ? column.name
      : casing === 'camelCase'
        ? drizzle.casing.toCamelCase(column.name)
        : drizzle.casing.toSnakeCase(column.name)
  const { tableKind } = flavour
  const tables: Table[] = []
  const views: View[] = []
  // Views are proxies over their selection: ask drizzle-orm, not the constructor.
  const viewClass = core[flavour.viewClass]
  for (const [key, value] of Object.entries(exports)) {
    const kind = drizzleKind(value)
    if (kind === tableKind)
      tables.push(readTable(core.getTableConfig(value), { drizzle, core, sqlText, columnName, flavour }))
    else if (viewClass !== undefined && drizzle.is(value, viewClass)) {
      const view = readView(key, core.getViewConfig(value), sqlText, flavour)
      if (view !== undefined) views.push(view)
    } else if (kind !== undefined && /View/.test(kind)) {
      throw new KeelError(
        'SCHEMA_MODULE',
        `export ${key} is a ${kind} beside ${tableKind}s: a schema module holds one dialect`,
      )
    } else if (kind !== undefined && /Table$/.test(kind)) {
      throw new KeelError(
        'SCHEMA_MODULE',
        `export ${key} is a ${kind} beside ${tableKind}s: a schema module holds the tables of one dialect`,
      )
    }
  }
  const relations = [...tables.map((t) => t.name), ...views.map((v) => v.name)]
  return {
    ...emptySchema,
    tables,
    views: views.map((view) => ({ ...view, dependsOn: relationsIn(view.definition, relations, view.name) })),
  }
}

function readView(
  key: string,
  config: DialectViewConfig,
  sqlText: (value: unknown) => string,
  flavour: DrizzleCoreFlavour,
): View | undefined {
  if (config.isExisting) return undefined
  if (config.query === undefined)
    throw new KeelError('SCHEMA_MODULE', `export ${key}: view ${config.name} has no query`)
  for (const option of ['algorithm', 'withCheckOption'] as const) {
    if (config[option] !== undefined && config[option] !== 'undefined') {
      throw new KeelError(
        'UNSUPPORTED',
        `export ${key}: view ${config.name} has .${option}('${config[option]}'), which Keel cannot keep yet`,
        'Remove it from the view, or declare the view in SQL.',
      )
    }
  }
  return {
    name: { name: config.name },
    definition: flavour.viewDefinition(sqlText(config.query)),
    materialized: false,
    ...(config.sqlSecurity === 'invoker' ? { securityInvoker: true as const } : {}),
    dependsOn: [],
    indexes: [],
  }
}

interface Context {
  readonly drizzle: DrizzleRuntime
  readonly core: DialectCore
  readonly sqlText: (value: unknown) => string
  readonly columnName: (column: DialectColumn) => string
  readonly flavour: DrizzleCoreFlavour
}

function readTable(config: DialectTableConfig, context: Context): Table {
  const { columnName, flavour, core } = context
  const table = config.name
  const primary = config.columns.filter((c) => c.primary)
  const composite = config.primaryKeys[0]
  const pkColumns = primary.length > 0 ? primary.map(columnName) : (composite?.columns.map(columnName) ?? [])
  const declaredUniques: UniqueConstraint[] = [
    ...config.columns
      .filter((c) => c.isUnique)
      .map((c) => ({ name: c.uniqueName ?? `${table}_${columnName(c)}_unique`, columns: [columnName(c)] })),
    ...config.uniqueConstraints.map((u) => {
      const columns = u.columns.map(columnName)
      return { name: u.name ?? core.uniqueKeyName({ [Symbol.for('drizzle:Name')]: table }, columns), columns }
    }),
  ]
  // MySQL's SERIAL is `... AUTO_INCREMENT UNIQUE`: the server names that unique index after the column.
  const serials = config.columns.filter((c) => flavour.columnType(c.getSQLType()).serial)
  const uniques: UniqueConstraint[] =
    flavour.uniquesAs === 'constraints'
      ? [...declaredUniques, ...serials.map((c) => ({ name: columnName(c), columns: [columnName(c)] }))]
      : []
  const indexes: Index[] = [
    // drizzle-kit writes SQLite's unique constraints as unique indexes of those names.
    ...(flavour.uniquesAs === 'indexes'
      ? declaredUniques.map(
          (u): Index => ({
            name: u.name,
            parts: u.columns.map((column) => ({ column })),
            unique: true,
            include: [],
          }),
        )
      : []),
    ...config.indexes.map((index) => readIndex(index.config, context)),
  ]
  return {
    name: { name: table },
    columns: config.columns.map((c) => readColumn(c, context)),
    ...(pkColumns.length === 0
      ? {}
      : { primaryKey: { name: composite?.getName() ?? `${table}_${pkColumns.join('_')}_pk`, columns: pkColumns } }),
    uniques,
    indexes,
    foreignKeys: config.foreignKeys.map((fk): ForeignKey => {
      const reference = fk.reference()
      const target = core.getTableConfig(reference.foreignTable)
      return {
        name: fk.getName(),
        columns: reference.columns.map(columnName),
        references: { table: { name: target.name }, columns: reference.foreignColumns.map(columnName) },
        onDelete: action(fk.onDelete),
        onUpdate: action(fk.onUpdate),
      }
    }),
    checks: config.checks.map((c): Check => ({ name: c.name, expr: context.sqlText(c.value) })),
  }
}

function action(value: string | undefined): ReferentialAction {
  const upper = (value ?? 'no action').toUpperCase()
  return (
    (['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'] as const).find((a) => a === upper) ?? 'NO ACTION'
  )
}

function readColumn(column: DialectColumn, context: Context): Column {
  const { type, serial } = context.flavour.columnType(column.getSQLType())
  const autoIncrement =
    serial || (column.autoIncrement === true && (!context.flavour.autoIncrementOnPrimaryOnly || column.primary))
  const generated = column.generated
  return {
    name: context.columnName(column),
    type,
    nullable: !(column.notNull || column.primary || serial),
    ...(column.default === undefined ? {} : { default: { kind: 'sql' as const, sql: defaultSql(column, context) } }),
    ...(autoIncrement ? { identity: { always: false } } : {}),
    ...(column.hasOnUpdateNow === true
      ? { onUpdate: `CURRENT_TIMESTAMP${column.fsp === undefined ? '' : `(${column.fsp})`}` }
      : {}),
    ...(generated === undefined
      ? {}
      : {
          generated: {
            expr: context.sqlText(
              typeof generated.as === 'function' ? (generated.as as () => unknown)() : generated.as,
            ),
            stored: (generated.mode ?? generated.type) === 'stored',
          },
        }),
  }
}

/** A default as drizzle-kit writes it: SQL as is, strings quoted, booleans as words, objects as JSON text. */
function defaultSql(column: DialectColumn, context: Context): string {
  const value = column.default
  if (context.drizzle.is(value, context.drizzle.SQL)) return context.sqlText(value)
  const quote = context.flavour.quoteLiteral
  if (typeof value === 'string') return quote(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (value instanceof Date) {
    throw new KeelError(
      'UNSUPPORTED',
      `column ${column.name}: a Date default is not read yet; write it as sql\`...\` in the database's spelling`,
    )
  }
  if (typeof value === 'object' && value !== null) return quote(JSON.stringify(value))
  return String(value)
}

function readIndex(config: DialectTableConfig['indexes'][number]['config'], context: Context): Index {
  const { drizzle, columnName, sqlText } = context
  const parts = config.columns.map(
    (part): IndexPart =>
      drizzle.is(part, drizzle.SQL) ? { expr: sqlText(part) } : { column: columnName(part as DialectColumn) },
  )
  const method = config.using === undefined || config.using.toLowerCase() === 'btree' ? undefined : config.using
  return {
    name: config.name,
    parts,
    unique: config.unique === true,
    ...(method === undefined ? {} : { method }),
    ...(config.where === undefined ? {} : { where: sqlText(config.where) }),
    include: [],
  }
}
