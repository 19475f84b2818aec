import { KeelError } from '../../errors.js'
import type {
  Check,
  Column,
  ColumnType,
  EnumType,
  ForeignKey,
  Index,
  IndexPart,
  QualifiedName,
  ReferentialAction,
  Schema,
  Sequence,
  SequenceOptions,
  Table,
  UniqueConstraint,
  View,
} from '../../schema/model.js'
import { emptySchema } from '../../schema/model.js'
import type { DrizzleCasing, DrizzleReadContext, DrizzleRuntime } from '../../source/drizzle/drizzle-runtime.js'
import { drizzleKind } from '../../source/drizzle/drizzle-runtime.js'
import { relationsIn } from '../../source/drizzle/relations-in.js'
import type { PgColumn, PgCore, PgTableConfig } from './drizzle-types.js'
import { parsePostgresType } from './parse-type.js'
import { quoteLiteral } from './quote.js'

/** A Drizzle schema module of `pgTable`s (DialectRuntime.drizzle), read with the module's own drizzle-orm/pg-core. */
export async function readPostgresDrizzle(
  exports: Record<string, unknown>,
  context: DrizzleReadContext,
): Promise<Schema> {
  return readPgSchema(exports, context.drizzle, await context.load<PgCore>('drizzle-orm/pg-core'), context.casing)
}

/**
 * The PostgreSQL schema drizzle-kit generates for a module's exported tables, enums, sequences, views and
 * `pgSchema`s, read through the user's drizzle-orm metadata (`getTableConfig` and friends), with
 * drizzle-kit's names: `<table>_<col>_unique` for `.unique()`, `<table>_<cols>_index` for an unnamed index,
 * `<table>_<cols>_<target>_<cols>_fk` for `.references()`, `<table>_<cols>_pk` for a composite key, and
 * the `casing` setting applied to columns named by their key.
 */
export function readPgSchema(
  exports: Record<string, unknown>,
  drizzle: DrizzleRuntime,
  pg: PgCore,
  casing: DrizzleCasing,
): Schema {
  const dialect = new pg.PgDialect(casing === undefined ? {} : { casing })
  const sqlText = (value: unknown) => dialect.sqlToQuery(value, 'indexes').sql
  const columnName = (column: PgColumn) =>
    !column.keyAsName || casing === undefined
      ? column.name
      : casing === 'camelCase'
        ? drizzle.casing.toCamelCase(column.name)
        : drizzle.casing.toSnakeCase(column.name)
  const values = Object.values(exports)
  const tables: Table[] = []
  const enums: EnumType[] = []
  const sequences: Sequence[] = []
  const views: View[] = []
  const namespaces = new Set<string>()
  const context = { drizzle, pg, sqlText, columnName }
  for (const value of values) {
    // Views are proxies over their selection: ask drizzle-orm, not the constructor.
    const kind = pg.isPgView(value)
      ? 'PgView'
      : pg.isPgMaterializedView(value)
        ? 'PgMaterializedView'
        : drizzleKind(value)
    if (kind === 'PgTable') tables.push(readTable(pg.getTableConfig(value), context))
    else if (kind === 'PgEnum') {
      const e = value as { enumName: string; enumValues: readonly string[]; schema?: string }
      enums.push({ name: qualified(e.enumName, e.schema), values: [...e.enumValues] })
    } else if (kind === 'PgSequence') sequences.push(readSequence(value))
    else if (kind === 'PgSchema') {
      const name = (value as { schemaName: string }).schemaName
      if (name !== 'public') namespaces.add(name)
    } else if (kind === 'PgView' || kind === 'PgMaterializedView') {
      const materialized = kind === 'PgMaterializedView'
      const config = materialized ? pg.getMaterializedViewConfig(value) : pg.getViewConfig(value)
      if (config.isExisting) continue
      if (config.query === undefined) throw new KeelError('SCHEMA_MODULE', `view ${config.name} has no query`)
      views.push({
        name: qualified(config.name, config.schema),
        definition: sqlText(config.query),
        materialized,
        dependsOn: [],
        indexes: [],
      })
    } else if (kind !== undefined && /^(SQLite|MySql|SingleStore|Gel)/.test(kind)) {
      throw new KeelError(
        /^(SQLite|MySql)/.test(kind) ? 'SCHEMA_MODULE' : 'UNSUPPORTED',
        /^(SQLite|MySql)/.test(kind)
          ? `a ${kind} export beside PostgreSQL ones: a schema module holds the tables of one dialect`
          : `a ${kind} export: Keel reads Drizzle's PostgreSQL, SQLite and MySQL schemas`,
      )
    }
  }
  assertEnumsExported(tables, enums)
  for (const item of [...tables, ...enums, ...sequences, ...views])
    if (item.name.schema !== 'public') namespaces.add(item.name.schema as string)
  const relations = [...tables.map((t) => t.name), ...views.map((v) => v.name)]
  return {
    ...emptySchema,
    namespaces: [...namespaces].sort().map((name) => ({ name })),
    enums,
    sequences,
    tables,
    views: views.map((view) => ({ ...view, dependsOn: relationsIn(view.definition, relations, view.name) })),
  }
}

interface Context {
  readonly drizzle: DrizzleRuntime
  readonly pg: PgCore
  readonly sqlText: (value: unknown) => string
  readonly columnName: (column: PgColumn) => string
}

function qualified(name: string, schema: string | undefined): QualifiedName {
  return { schema: schema ?? 'public', name }
}

function readTable(config: PgTableConfig, context: Context): Table {
  const { pg, columnName } = context
  const table = config.name
  const primary = config.columns.filter((c) => c.primary)
  const composite = config.primaryKeys[0]
  const uniques: UniqueConstraint[] = [
    ...config.columns
      .filter((c) => c.isUnique)
      .map((c) => ({
        name: c.uniqueName ?? `${table}_${columnName(c)}_unique`,
        columns: [columnName(c)],
        ...(c.uniqueType === 'not distinct' ? { nullsNotDistinct: true as const } : {}),
      })),
    ...config.uniqueConstraints.map((u) => {
      const columns = u.columns.map(columnName)
      return {
        name: u.name ?? pg.uniqueKeyName({ [Symbol.for('drizzle:Name')]: table }, columns),
        columns,
        ...(u.nullsNotDistinct ? { nullsNotDistinct: true as const } : {}),
      }
    }),
  ]
  return {
    name: qualified(table, config.schema),
    columns: config.columns.map((c) => readColumn(c, context)),
    ...(primary.length > 0
      ? { primaryKey: { name: `${table}_pkey`, columns: primary.map(columnName) } }
      : composite === undefined
        ? {}
        : {
            primaryKey: {
              name: renamed(composite.getName(), composite.columns, columnName),
              columns: composite.columns.map(columnName),
            },
          }),
    uniques,
    indexes: config.indexes.map((index) => readIndex(table, index.config, context)),
    foreignKeys: config.foreignKeys.map((fk): ForeignKey => {
      const reference = fk.reference()
      const target = pg.getTableConfig(reference.foreignTable)
      return {
        name: renamed(renamed(fk.getName(), reference.columns, columnName), reference.foreignColumns, columnName),
        columns: reference.columns.map(columnName),
        references: { table: qualified(target.name, target.schema), columns: reference.foreignColumns.map(columnName) },
        onDelete: action(fk.onDelete),
        onUpdate: action(fk.onUpdate),
      }
    }),
    checks: config.checks.map((c): Check => ({ name: c.name, expr: context.sqlText(c.value) })),
  }
}

/** drizzle-kit's way of applying casing to a default name: each column's own name replaced once. */
function renamed(name: string, columns: readonly PgColumn[], columnName: (c: PgColumn) => string): string {
  return columns.reduce((text, column) => text.replace(column.name, columnName(column)), name)
}

function action(value: string | undefined): ReferentialAction {
  const upper = (value ?? 'no action').toUpperCase()
  return (
    (['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'] as const).find((a) => a === upper) ?? 'NO ACTION'
  )
}

const SERIALS: Readonly<Record<string, 2 | 4 | 8>> = { smallserial: 2, serial: 4, bigserial: 8 }

function readColumn(column: PgColumn, context: Context): Column {
  const sqlType = column.getSQLType()
  const serial = SERIALS[sqlType.toLowerCase()]
  const type: ColumnType = serial !== undefined ? { kind: 'integer', bytes: serial } : columnType(column, sqlType)
  const identity = column.generatedIdentity
  return {
    name: context.columnName(column),
    type,
    nullable: !(column.notNull || column.primary || serial !== undefined || identity !== undefined),
    ...(serial === undefined ? {} : { serial: true as const }),
    ...(column.default === undefined
      ? {}
      : { default: { kind: 'sql' as const, sql: defaultSql(column, sqlType, context) } }),
    ...(identity === undefined
      ? {}
      : { identity: { always: identity.type === 'always', ...sequenceOf(identity.sequenceOptions ?? {}, type) } }),
    ...(column.generated === undefined
      ? {}
      : {
          generated: {
            expr: context.sqlText(
              typeof column.generated.as === 'function'
                ? (column.generated.as as () => unknown)()
                : column.generated.as,
            ),
            stored: true,
          },
        }),
  }
}

function columnType(column: PgColumn, sqlType: string): ColumnType {
  let base: PgColumn = column
  let depth = 0
  while (base.baseColumn !== undefined) {
    base = base.baseColumn
    depth++
  }
  if (base.enum !== undefined) {
    let type: ColumnType = { kind: 'enum', enum: qualified(base.enum.enumName, base.enum.schema) }
    for (let i = 0; i < depth; i++) type = { kind: 'array', element: type }
    return type
  }
  return parsePostgresType(sqlType)
}

/** A default as drizzle-kit writes it: SQL as is, strings quoted, json cast, dates as ISO text, arrays as literals. */
function defaultSql(column: PgColumn, sqlType: string, context: Context): string {
  const value = column.default
  if (context.drizzle.is(value, context.drizzle.SQL)) return context.sqlText(value)
  const lowered = sqlType.toLowerCase()
  if (typeof value === 'string') return quoteLiteral(value)
  if (lowered === 'json' || lowered === 'jsonb') return `${quoteLiteral(JSON.stringify(value))}::${lowered}`
  if (value instanceof Date) {
    if (lowered === 'date') return quoteLiteral(value.toISOString().split('T')[0] as string)
    if (lowered.startsWith('timestamp') && !lowered.includes('with time zone')) {
      return quoteLiteral(value.toISOString().replace('T', ' ').slice(0, 23))
    }
    return quoteLiteral(value.toISOString())
  }
  if (Array.isArray(value)) return quoteLiteral(arrayLiteral(value))
  return String(value)
}

function arrayLiteral(values: readonly unknown[]): string {
  const item = (v: unknown): string =>
    Array.isArray(v)
      ? arrayLiteral(v)
      : v === null
        ? 'NULL'
        : typeof v === 'string'
          ? `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
          : String(v)
  return `{${values.map(item).join(',')}}`
}

function readIndex(table: string, config: PgTableConfig['indexes'][number]['config'], context: Context): Index {
  const { drizzle, columnName, sqlText } = context
  if (config.with !== undefined && Object.keys(config.with).length > 0) {
    throw new KeelError(
      'UNSUPPORTED',
      `index ${config.name ?? 'on ' + table}: storage parameters (.with()) are not modelled yet`,
    )
  }
  const parts = config.columns.map((part): IndexPart => {
    if (drizzle.is(part, drizzle.SQL)) return { expr: sqlText(part) }
    const column = part as PgColumn
    const descending = column.indexConfig?.order === 'desc'
    const nulls = column.indexConfig?.nulls
    return {
      column: columnName(column),
      ...(descending ? { descending: true as const } : {}),
      ...(nulls === undefined || (nulls === 'first') === descending ? {} : { nullsFirst: nulls === 'first' }),
      ...(column.indexConfig?.opClass === undefined ? {} : { opclass: column.indexConfig.opClass }),
    }
  })
  if (config.name === undefined && parts.some((p) => p.expr !== undefined)) {
    throw new KeelError(
      'SCHEMA_MODULE',
      `an index of ${table} on an expression has no name`,
      'Name it, as drizzle-kit requires: index("name").on(sql`...`).',
    )
  }
  const method = config.method === undefined || config.method === 'btree' ? undefined : config.method
  return {
    name: config.name ?? `${table}_${parts.map((p) => p.column).join('_')}_index`,
    parts,
    unique: config.unique === true,
    ...(method === undefined ? {} : { method }),
    ...(config.where === undefined ? {} : { where: sqlText(config.where) }),
    include: [],
  }
}

function readSequence(value: unknown): Sequence {
  const s = value as { seqName: string; seqOptions?: Record<string, unknown>; schema?: string }
  return { name: qualified(s.seqName, s.schema), ...sequenceOf(s.seqOptions ?? {}, undefined) }
}

function sequenceOf(
  options: Record<string, unknown>,
  type: ColumnType | undefined,
): { sequence?: SequenceOptions } & SequenceOptions {
  const number = (key: string) => {
    const v = options[key]
    return v === undefined || v === null ? undefined : (Number(v) as number)
  }
  const picked: Record<string, number | boolean> = {}
  for (const [key, to] of [
    ['startWith', 'start'],
    ['increment', 'increment'],
    ['minValue', 'min'],
    ['maxValue', 'max'],
    ['cache', 'cache'],
  ] as const) {
    const v = number(key)
    if (v !== undefined) picked[to] = v
  }
  if (options.cycle === true) picked.cycle = true
  // Identity options go in `sequence`; a sequence's own options are the object itself.
  return type === undefined
    ? (picked as SequenceOptions)
    : Object.keys(picked).length === 0
      ? {}
      : { sequence: picked as SequenceOptions }
}

function assertEnumsExported(tables: readonly Table[], enums: readonly EnumType[]): void {
  const known = new Set(enums.map((e) => `${e.name.schema}.${e.name.name}`))
  for (const table of tables) {
    for (const column of table.columns) {
      let type = column.type
      while (type.kind === 'array') type = type.element
      if (type.kind === 'enum' && !known.has(`${type.enum.schema}.${type.enum.name}`)) {
        throw new KeelError(
          'SCHEMA_MODULE',
          `${table.name.name}.${column.name} uses the enum ${type.enum.name}, which the module does not export`,
          'Export the pgEnum (drizzle-kit creates only exported enums).',
        )
      }
    }
  }
}
