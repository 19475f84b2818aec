import type { Func, Value } from '@mrleebo/prisma-ast'
import { KeelError } from '../../errors.js'
import type { Expr } from '../../schema/model.js'
import type { PrismaScalar, PrismaScalarField } from '../../source/prisma/datamodel.js'
import type { EnumNames, PrismaProvider } from '../../source/prisma/provider.js'
import { functionDefault, literalDefaultSql, sql } from '../../source/prisma/provider-defaults.js'
import { isFunc } from '../../source/prisma/psl-values.js'
import { quoteLiteral } from './quote.js'

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

/** Each scalar's declared type: the one table that reading (here) and printing (prisma-print.ts) share. */
export const SCALARS: Readonly<Record<PrismaScalar, string>> = {
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

function defaultOf(field: PrismaScalarField, value: Value | Func, enums: EnumNames): Expr | undefined {
  if (isFunc(value)) return functionDefault(field, value, 'CURRENT_TIMESTAMP', 'SQLite')
  const bytes = field.type.kind === 'scalar' && field.type.name === 'Bytes'
  return sql(
    literalDefaultSql(field, value, enums, {
      quote: quoteLiteral,
      ...(bytes ? { bytes: (hex: string) => `X'${hex}'` } : {}),
    }),
  )
}
