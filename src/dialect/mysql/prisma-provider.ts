import type { Func, Value } from '@mrleebo/prisma-ast'
import { KeelError } from '../../errors.js'
import type { ColumnType, Expr } from '../../schema/model.js'
import type { PrismaScalar, PrismaScalarField } from '../../source/prisma/datamodel.js'
import type { EnumNames, PrismaProvider } from '../../source/prisma/provider.js'
import { functionDefault, literalDefaultSql, sql } from '../../source/prisma/provider-defaults.js'
import { isFunc } from '../../source/prisma/psl-values.js'
import { parseMysqlType } from './type.js'

/**
 * Prisma Migrate on MySQL and MariaDB, as its migrations spell the columns: `String` VARCHAR(191) (the longest
 * utf8mb4 key that fitted the old 767-byte index limit), `Boolean` BOOLEAN (tinyint(1)), `Int` INTEGER, `BigInt`
 * BIGINT, `Float` DOUBLE, `Decimal` DECIMAL(65,30), `DateTime` DATETIME(3) (now() is CURRENT_TIMESTAMP(3)),
 * `Json` JSON, `Bytes` LONGBLOB, an enum an inline ENUM('A', 'B') (MySQL has no named enum types), autoincrement
 * AUTO_INCREMENT, every table `DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`; `@db.*` native types
 * as the Prisma reference lists them for MySQL. Default names are Prisma's (`User_email_key`, `_idx`, `_fkey`)
 * cut to MySQL's 64 characters; the primary key is always PRIMARY, whatever it is called.
 */
export const mysqlProvider: PrismaProvider = {
  name: 'mysql',
  dialect: 'mysql',
  maxIdentifierLength: 64,
  defaultNamespace: undefined,
  enumTypes: false,
  joinTableKey: 'unique',
  fulltextIndexes: true,
  indexPrefixLengths: true,
  requiredListsNotNull: false,
  tableExt: { mysql: { collation: 'utf8mb4_unicode_ci' } },
  columnType(field, enums) {
    if (field.list) throw new KeelError('PRISMA_SCHEMA', `field ${field.name}: MySQL has no scalar lists`)
    return parseMysqlType(sqlType(field, enums))
  },
  defaultExpr(field, value, type, enums) {
    return defaultOf(field, value, type, enums)
  },
  // Prisma Migrate puts a dbgenerated default into the DDL as it is, an ON UPDATE with it (prisma/prisma#11374).
  onUpdate(expr) {
    const split = /^(.*?)\s+ON\s+UPDATE\s+(\S+)$/is.exec(expr.sql)
    if (split === null) return undefined
    const value = (split[1] as string).trim()
    return { ...(/^NULL$/i.test(value) ? {} : { default: sql(value) }), onUpdate: split[2] as string }
  },
  autoincrement: () => ({ identity: { always: false } }),
  defaultActions: (requiredKey) => ({ onDelete: requiredKey ? 'Restrict' : 'SetNull', onUpdate: 'Cascade' }),
}

/** Each scalar's column type without `@db.*`: the one table that reading (here) and printing (prisma-print.ts) share. */
export const SCALARS: Readonly<Record<PrismaScalar, string>> = {
  String: 'varchar(191)',
  Boolean: 'tinyint(1)',
  Int: 'int',
  BigInt: 'bigint',
  Float: 'double',
  Decimal: 'decimal(65,30)',
  DateTime: 'datetime(3)',
  Json: 'json',
  Bytes: 'longblob',
}

function sqlType(field: PrismaScalarField, enums: EnumNames): string {
  const type = field.type
  if (type.kind === 'unsupported') return type.sql
  if (type.kind === 'enum') {
    const target = enums.get(type.name)
    if (target === undefined) throw new KeelError('PRISMA_SCHEMA', `field ${field.name}: unknown enum ${type.name}`)
    return `enum(${[...target.values.values()].map(quote).join(',')})`
  }
  return field.nativeType === undefined ? SCALARS[type.name] : nativeType(field.nativeType, field.name)
}

/** `@db.X(args)` (https://www.prisma.io/docs/orm/reference/prisma-schema-reference#mysql). */
function nativeType(native: NonNullable<PrismaScalarField['nativeType']>, field: string): string {
  const args = native.args.length === 0 ? '' : `(${native.args.join(',')})`
  const unsigned = /^Unsigned(TinyInt|SmallInt|MediumInt|Int|BigInt)$/.exec(native.name)
  if (unsigned !== null) return `${(unsigned[1] as string).toLowerCase()} unsigned`
  switch (native.name) {
    case 'VarChar':
    case 'Char':
    case 'Binary':
    case 'VarBinary':
    case 'Bit':
    case 'Decimal':
    case 'Time':
    case 'DateTime':
    case 'Timestamp':
      return `${native.name.toLowerCase()}${args}`
    case 'TinyInt':
      // Prisma maps Boolean to @db.TinyInt(1); a bare TinyInt is the full byte.
      return `tinyint${args}`
    case 'Int':
    case 'SmallInt':
    case 'MediumInt':
    case 'BigInt':
    case 'Float':
    case 'Double':
    case 'Date':
    case 'Year':
    case 'Json':
    case 'Text':
    case 'TinyText':
    case 'MediumText':
    case 'LongText':
    case 'TinyBlob':
    case 'Blob':
    case 'MediumBlob':
    case 'LongBlob':
      return native.name.toLowerCase()
    default:
      throw new KeelError('PRISMA_SCHEMA', `field ${field}: @db.${native.name} is not a MySQL native type`)
  }
}

function defaultOf(
  field: PrismaScalarField,
  value: Value | Func,
  type: ColumnType,
  enums: EnumNames,
): Expr | undefined {
  if (isFunc(value)) {
    // CURRENT_TIMESTAMP with the column's fractional seconds, as MySQL requires them to match.
    const precision = type.kind === 'timestamp' ? (type.precision ?? 0) : 0
    return functionDefault(
      field,
      value,
      precision === 0 ? 'CURRENT_TIMESTAMP' : `CURRENT_TIMESTAMP(${precision})`,
      'MySQL',
    )
  }
  const bytes = type.kind === 'bytes' || (type.kind === 'native' && /blob|binary/.test(type.sql))
  return sql(
    literalDefaultSql(field, value, enums, { quote, ...(bytes ? { bytes: (hex: string) => `X'${hex}'` } : {}) }),
  )
}

function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
}
