import type { Func, Value } from '@mrleebo/prisma-ast'
import { KeelError } from '../../errors.js'
import type { ColumnType, Expr } from '../../schema/model.js'
import type { PrismaScalar, PrismaScalarField } from '../../source/prisma/datamodel.js'
import type { EnumNames, PrismaProvider } from '../../source/prisma/provider.js'
import { functionDefault, literalDefaultSql, sql } from '../../source/prisma/provider-defaults.js'
import { isFunc, listValues } from '../../source/prisma/psl-values.js'
import { quoteLiteral } from './quote.js'
import { renderColumnType } from './render-type.js'

/**
 * Prisma Migrate on PostgreSQL: `String` is text, `DateTime` is timestamp(3), `Decimal` is decimal(65,30),
 * `Json` is jsonb, autoincrement is serial; `@db.*` native types as the Prisma docs list them.
 */
export const postgresqlProvider: PrismaProvider = {
  name: 'postgresql',
  dialect: 'postgres',
  enumTypes: true,
  joinTableKey: 'primaryKey',
  maxIdentifierLength: 63,
  defaultNamespace: 'public',
  fulltextIndexes: false,
  indexPrefixLengths: false,
  requiredListsNotNull: false,
  columnType(field, enums) {
    const scalar = scalarType(field, enums)
    return field.list ? { kind: 'array', element: scalar } : scalar
  },
  defaultExpr(field, value, type, enums) {
    return defaultOf(field, value, type, enums)
  },
  autoincrement: () => ({ serial: true }),
  defaultActions: (requiredKey) => ({ onDelete: requiredKey ? 'Restrict' : 'SetNull', onUpdate: 'Cascade' }),
}

/** Each scalar's column without `@db.*`: the one table that reading (here) and printing (prisma-print.ts) share. */
export const SCALARS: Readonly<Record<PrismaScalar, ColumnType>> = {
  String: { kind: 'text' },
  Boolean: { kind: 'boolean' },
  Int: { kind: 'integer', bytes: 4 },
  BigInt: { kind: 'integer', bytes: 8 },
  Float: { kind: 'float', bytes: 8 },
  Decimal: { kind: 'decimal', precision: 65, scale: 30 },
  DateTime: { kind: 'timestamp', withTimeZone: false, precision: 3 },
  Json: { kind: 'jsonb' },
  Bytes: { kind: 'bytes' },
}

function scalarType(field: PrismaScalarField, enums: EnumNames): ColumnType {
  const type = field.type
  if (type.kind === 'unsupported') return { kind: 'native', sql: type.sql }
  if (type.kind === 'enum') {
    const target = enums.get(type.name)
    if (target === undefined) throw new KeelError('PRISMA_SCHEMA', `field ${field.name}: unknown enum ${type.name}`)
    return { kind: 'enum', enum: target.name }
  }
  return field.nativeType === undefined ? SCALARS[type.name] : nativeType(field.nativeType, field.name)
}

/** `@db.X(args)` (https://www.prisma.io/docs/orm/reference/prisma-schema-reference#postgresql). */
function nativeType(native: NonNullable<PrismaScalarField['nativeType']>, field: string): ColumnType {
  const [first, second] = native.args.map(Number)
  const precision = first === undefined ? {} : { precision: first }
  switch (native.name) {
    case 'Text':
      return { kind: 'text' }
    case 'VarChar':
      return first === undefined ? { kind: 'native', sql: 'character varying' } : { kind: 'text', length: first }
    case 'Char':
      return { kind: 'text', length: first ?? 1, fixed: true }
    case 'Uuid':
      return { kind: 'uuid' }
    case 'Boolean':
      return { kind: 'boolean' }
    case 'SmallInt':
      return { kind: 'integer', bytes: 2 }
    case 'Integer':
      return { kind: 'integer', bytes: 4 }
    case 'BigInt':
      return { kind: 'integer', bytes: 8 }
    case 'Real':
      return { kind: 'float', bytes: 4 }
    case 'DoublePrecision':
      return { kind: 'float', bytes: 8 }
    case 'Decimal':
      return first === undefined ? { kind: 'decimal' } : { kind: 'decimal', precision: first, scale: second ?? 0 }
    case 'Timestamp':
      return { kind: 'timestamp', withTimeZone: false, ...precision }
    case 'Timestamptz':
      return { kind: 'timestamp', withTimeZone: true, ...precision }
    case 'Time':
      return { kind: 'time', withTimeZone: false, ...precision }
    case 'Timetz':
      return { kind: 'time', withTimeZone: true, ...precision }
    case 'Date':
      return { kind: 'date' }
    case 'Json':
      return { kind: 'json' }
    case 'JsonB':
      return { kind: 'jsonb' }
    case 'ByteA':
      return { kind: 'bytes' }
    case 'Money':
    case 'Xml':
    case 'Inet':
    case 'Citext':
    case 'Oid':
      return { kind: 'native', sql: native.name.toLowerCase() }
    case 'Bit':
    case 'VarBit':
      return {
        kind: 'native',
        sql: `${native.name === 'Bit' ? 'bit' : 'bit varying'}${first === undefined ? '' : `(${first})`}`,
      }
    default:
      throw new KeelError('PRISMA_SCHEMA', `field ${field}: @db.${native.name} is not a PostgreSQL native type`)
  }
}

function defaultOf(
  field: PrismaScalarField,
  value: Value | Func,
  type: ColumnType,
  enums: EnumNames,
): Expr | undefined {
  if (isFunc(value)) return functionDefault(field, value, 'CURRENT_TIMESTAMP', 'PostgreSQL')
  const list = listValues(value)
  if (list !== undefined) {
    // As Prisma writes it: ARRAY['a', 'b']::TEXT[] (the cast types an empty list).
    const element = type.kind === 'array' ? type.element : type
    const items = list.map((item) => literal(field, item, element, enums))
    return sql(`ARRAY[${items.join(', ')}]::${renderColumnType(type)}`)
  }
  return sql(literal(field, value, type, enums))
}

function literal(field: PrismaScalarField, value: Value, type: ColumnType, enums: EnumNames): string {
  return literalDefaultSql(field, value, enums, {
    quote: quoteLiteral,
    ...(type.kind === 'bytes' ? { bytes: (hex: string) => quoteLiteral(`\\x${hex}`) } : {}),
  })
}
