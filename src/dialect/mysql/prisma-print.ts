import type { PrismaFieldType, PrismaPrinting } from '../../interop/print/prisma-printing.js'
import type { Column, ColumnType, EnumType, Schema, Table } from '../../schema/model.js'
import type { PrismaScalar } from '../../source/prisma/datamodel.js'
import { SCALARS } from './prisma-provider.js'
import { parseMysqlType, renderMysqlType } from './type.js'

/** Prisma's scalars as the MySQL provider reads them (prisma-provider.ts), in the model's canonical form. */
const SCALAR_TYPES = Object.fromEntries(
  Object.entries(SCALARS).map(([scalar, sql]) => [scalar, parseMysqlType(sql)]),
) as Record<PrismaScalar, ColumnType>

/** The collation Prisma Migrate gives every MySQL table (`DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`). */
const PRISMA_COLLATION = 'utf8mb4_unicode_ci'

/**
 * Prisma's mysql provider for `keel inspect --format prisma`, as `prisma db pull` writes a MySQL or MariaDB
 * database: scalars as the reader maps them (String is varchar(191), DateTime datetime(3), Bytes longblob...),
 * other types through `@db.*` (VarChar(n), Char(n), Text/TinyText/MediumText/LongText, TinyInt, SmallInt,
 * MediumInt and their Unsigned* forms, UnsignedInt, UnsignedBigInt, Decimal(p, s), Float, DateTime(n),
 * Timestamp(n), Time(n), Date, Year, Blob kinds, Binary(n), VarBinary(n), Bit(n)); an inline ENUM column as a
 * Prisma enum named `<table>_<column>`, as db pull names it; AUTO_INCREMENT as autoincrement(); a
 * CURRENT_TIMESTAMP default of the column's precision as now(). ON UPDATE CURRENT_TIMESTAMP is written as
 * `@default(dbgenerated("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"))`, which Prisma Migrate puts into the
 * column's DDL as it is (prisma/prisma#11374), not as `@updatedAt`: that is Prisma Client's, never the database's,
 * and db pull never writes it (prisma/prisma#15855). What PSL cannot say is listed: table collations other than
 * Prisma's, engines, row formats, comments, column collations, SPATIAL indexes, invisible indexes.
 */
export const mysqlPrismaPrinting: PrismaPrinting = {
  provider: 'mysql',
  scalarTypes: SCALAR_TYPES,
  nativeType,
  unsupportedSql: renderMysqlType,
  maxIdentifierLength: 64,
  primaryKeyNames: false,
  foreignKeyNames: true,
  identityIsAutoincrement: true,
  keyColumnsNotNull: false,
  uniquesAreIndexes: true,
  // FULLTEXT is @@fulltext; SPATIAL has no word in PSL.
  indexMethod: (method) => (method === 'FULLTEXT' ? { fulltext: true } : undefined),
  prepare: namedEnums,
  defaultAttribute,
  tableNotes,
}

const INTEGERS: Readonly<Record<string, string>> = {
  tinyint: 'TinyInt',
  'tinyint unsigned': 'UnsignedTinyInt',
  mediumint: 'MediumInt',
  'mediumint unsigned': 'UnsignedMediumInt',
  year: 'Year',
}
const STRINGS: Readonly<Record<string, string>> = {
  tinytext: 'TinyText',
  mediumtext: 'MediumText',
  longtext: 'LongText',
}
const BYTES: Readonly<Record<string, string>> = { tinyblob: 'TinyBlob', mediumblob: 'MediumBlob' }

/** `@db.*` as the Prisma reference lists it for MySQL (https://www.prisma.io/docs/orm/reference/prisma-schema-reference#mysql). */
function nativeType(type: ColumnType): PrismaFieldType | undefined {
  const fsp = (p: number | undefined) => `(${p ?? 0})`
  switch (type.kind) {
    case 'integer': {
      const name = { 2: 'SmallInt', 4: 'Int', 8: 'BigInt' }[type.bytes]
      return { type: type.bytes === 8 ? 'BigInt' : 'Int', native: `@db.${type.unsigned ? 'Unsigned' : ''}${name}` }
    }
    case 'decimal':
      return { type: 'Decimal', native: `@db.Decimal(${type.precision ?? 10}, ${type.scale ?? 0})` }
    case 'float':
      return type.bytes === 4 ? { type: 'Float', native: '@db.Float' } : { type: 'Float', native: '@db.Double' }
    case 'text':
      if (type.length === undefined) return { type: 'String', native: '@db.Text' }
      return { type: 'String', native: `@db.${type.fixed ? 'Char' : 'VarChar'}(${type.length})` }
    case 'timestamp':
      return { type: 'DateTime', native: `@db.${type.withTimeZone ? 'Timestamp' : 'DateTime'}${fsp(type.precision)}` }
    case 'time':
      return { type: 'DateTime', native: `@db.Time${fsp(type.precision)}` }
    case 'date':
      return { type: 'DateTime', native: '@db.Date' }
    case 'bytes':
      return { type: 'Bytes', native: '@db.Blob' }
    case 'native':
      return nativeOfSql(type.sql)
    default:
      return undefined
  }
}

function nativeOfSql(sql: string): PrismaFieldType | undefined {
  const integer = INTEGERS[sql]
  if (integer !== undefined) return { type: 'Int', native: `@db.${integer}` }
  const text = STRINGS[sql]
  if (text !== undefined) return { type: 'String', native: `@db.${text}` }
  const bytes = BYTES[sql]
  if (bytes !== undefined) return { type: 'Bytes', native: `@db.${bytes}` }
  const sized = /^(binary|varbinary|bit)\((\d+)\)$/.exec(sql)
  if (sized === null) return undefined
  const [, base, n] = sized
  if (base === 'bit') return { type: n === '1' ? 'Boolean' : 'Bytes', native: `@db.Bit(${n})` }
  return { type: 'Bytes', native: `@db.${base === 'binary' ? 'Binary' : 'VarBinary'}(${n})` }
}

/** Each inline `enum('a','b')` column as a named enum `<table>_<column>`, the name `prisma db pull` gives it. */
function namedEnums(schema: Schema): Schema {
  const enums: EnumType[] = []
  const tables = schema.tables.map(
    (table): Table => ({
      ...table,
      columns: table.columns.map((column): Column => {
        const values = column.type.kind === 'native' ? enumValues(column.type.sql) : undefined
        if (values === undefined) return column
        const name = { name: `${table.name.name}_${column.name}` }
        enums.push({ name, values })
        return { ...column, type: { kind: 'enum', enum: name } }
      }),
    }),
  )
  return { ...schema, tables, enums: [...schema.enums, ...enums] }
}

/** The values of `enum('a','it''s')`, or undefined for any other type. */
export function enumValues(sql: string): string[] | undefined {
  const body = /^enum\((.*)\)$/s.exec(sql)?.[1]
  if (body === undefined) return undefined
  return [...body.matchAll(/'((?:[^'\\]|''|\\.)*)'/g)].map((m) => (m[1] as string).replaceAll("''", "'"))
}

/**
 * MySQL's defaults in Prisma's words: `current_timestamp(n)` of the column's own precision is now() (Prisma writes
 * CURRENT_TIMESTAMP(n) for it); tinyint(1)'s 1 and 0 are true and false; an ON UPDATE rides in dbgenerated.
 */
function defaultAttribute(column: Column, skipped: string[], where: string): string | undefined {
  const sql = column.default?.sql
  if (column.onUpdate !== undefined) {
    if (sql === undefined && !column.nullable) {
      skipped.push(`${where}: ON UPDATE ${column.onUpdate} without a default`)
      return undefined
    }
    return `@default(dbgenerated(${JSON.stringify(`${sql ?? 'NULL'} ON UPDATE ${column.onUpdate}`)}))`
  }
  if (sql === undefined) return undefined
  const now = /^current_timestamp(?:\((\d*)\))?$/i.exec(sql)
  if (now !== null && (column.type.kind === 'timestamp' || column.type.kind === 'time')) {
    const precision = Number(now[1] || 0)
    if (precision === (column.type.precision ?? 0)) return '@default(now())'
  }
  if (column.type.kind === 'boolean' && (sql === '1' || sql === '0')) return `@default(${sql === '1'})`
  return undefined
}

function tableNotes(table: Table): string[] {
  const where = `table ${table.name.name}`
  const mysql = table.ext?.mysql
  const notes: string[] = []
  if (mysql?.collation !== PRISMA_COLLATION)
    notes.push(
      `${where}: collation ${mysql?.collation ?? "(the database's default)"}, where Prisma Migrate creates every MySQL table ${PRISMA_COLLATION}`,
    )
  if (mysql?.engine !== undefined) notes.push(`${where}: ENGINE=${mysql.engine}`)
  if (mysql?.rowFormat !== undefined) notes.push(`${where}: ROW_FORMAT=${mysql.rowFormat}`)
  if (table.comment !== undefined) notes.push(`${where}: comment`)
  for (const column of table.columns) {
    if (column.collation !== undefined) notes.push(`${where}.${column.name}: collation ${column.collation}`)
    if (column.comment !== undefined) notes.push(`${where}.${column.name}: comment`)
  }
  return notes
}
