import type { Func, Value } from '@mrleebo/prisma-ast'
import { quoteLiteral } from '../../../dialect/sqlite/quote.js'
import { KeelError } from '../../../errors.js'
import type { Expr } from '../../../schema/model.js'
import type { PrismaScalar, PrismaScalarField } from '../datamodel.js'
import type { EnumNames, PrismaProvider } from '../provider.js'
import { identifierValue, isFunc, stringValue } from '../psl-values.js'

/**
 * Prisma Migrate on SQLite, as its migrations spell the columns: `String` TEXT, `Boolean` BOOLEAN, `Int` INTEGER,
 * `BigInt` BIGINT, `Float` REAL, `Decimal` DECIMAL, `DateTime` DATETIME, `Json` JSONB, `Bytes` BLOB, an enum
 * TEXT (SQLite has no enum types: Prisma Client checks the values). `@default(autoincrement())` is
 * `INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT`. SQLite has no scalar lists and no `@db.*` native types.
 */
export const sqliteProvider: PrismaProvider = {
  name: 'sqlite',
  dialect: 'sqlite',
  // Prisma does not shorten default names on SQLite, which keeps identifiers of any length.
  maxIdentifierLength: Number.POSITIVE_INFINITY,
  defaultNamespace: undefined,
  enumTypes: false,
  joinTableKey: 'unique',
  fulltextIndexes: false,
  indexPrefixLengths: false,
  requiredListsNotNull: false,
  columnType(field) {
    if (field.list) throw new KeelError('PRISMA_SCHEMA', `field ${field.name}: SQLite has no scalar lists`)
    if (field.nativeType !== undefined)
      throw new KeelError(
        'PRISMA_SCHEMA',
        `field ${field.name}: @db.${field.nativeType.name} is not a SQLite native type`,
      )
    const type = field.type
    if (type.kind === 'unsupported') return { kind: 'native', sql: type.sql }
    return { kind: 'native', sql: type.kind === 'enum' ? 'TEXT' : SCALARS[type.name] }
  },
  defaultExpr(field, value, _type, enums) {
    return defaultOf(field, value, enums)
  },
  autoincrement: () => ({ identity: { always: false } }),
  defaultActions: (requiredKey) => ({ onDelete: requiredKey ? 'Restrict' : 'SetNull', onUpdate: 'Cascade' }),
}

const SCALARS: Readonly<Record<PrismaScalar, string>> = {
  String: 'TEXT',
  Boolean: 'BOOLEAN',
  Int: 'INTEGER',
  BigInt: 'BIGINT',
  Float: 'REAL',
  Decimal: 'DECIMAL',
  DateTime: 'DATETIME',
  Json: 'JSONB',
  Bytes: 'BLOB',
}

/** Functions whose values Prisma Client generates: no database default. */
const CLIENT_GENERATED = new Set(['uuid', 'cuid', 'nanoid', 'ulid'])

function defaultOf(field: PrismaScalarField, value: Value | Func, enums: EnumNames): Expr | undefined {
  if (isFunc(value)) {
    if (CLIENT_GENERATED.has(value.name)) return undefined
    if (value.name === 'now') return sql('CURRENT_TIMESTAMP')
    if (value.name === 'dbgenerated') {
      const text = stringValue(value.params?.[0])
      return text === undefined || text === '' ? undefined : sql(text)
    }
    throw new KeelError('PRISMA_SCHEMA', `field ${field.name}: @default(${value.name}()) is not supported on SQLite`)
  }
  if (field.type.kind === 'enum') {
    const enumName = field.type.name
    const member = identifierValue(value)
    const dbValue = member === undefined ? undefined : enums.get(enumName)?.values.get(member)
    if (dbValue === undefined)
      throw new KeelError('PRISMA_SCHEMA', `field ${field.name}: ${String(value)} is not a value of ${enumName}`)
    return sql(quoteLiteral(dbValue))
  }
  if (typeof value === 'boolean' || typeof value === 'number') return sql(String(value))
  const text = stringValue(value)
  if (text === undefined) {
    if (value === 'true' || value === 'false' || (typeof value === 'string' && /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(value)))
      return sql(value)
    throw new KeelError('PRISMA_SCHEMA', `field ${field.name}: cannot read the default ${JSON.stringify(value)}`)
  }
  if (field.type.kind === 'scalar' && field.type.name === 'Bytes')
    return sql(`X'${Buffer.from(text, 'base64').toString('hex')}'`)
  return sql(quoteLiteral(text))
}

function sql(text: string): Expr {
  return { kind: 'sql', sql: text }
}
