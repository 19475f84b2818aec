import type { Func, Value } from '@mrleebo/prisma-ast'
import { assertNever } from '../../assert-never.js'
import { KeelError } from '../../errors.js'
import type { Expr } from '../../schema/model.js'
import type { PrismaScalarField } from './datamodel.js'
import type { EnumNames } from './provider.js'
import { identifierValue, stringValue } from './psl-values.js'

/** Functions whose values Prisma Client generates: no database default. */
const CLIENT_GENERATED = new Set(['uuid', 'cuid', 'nanoid', 'ulid'])

/**
 * `@default(fn(...))` as every provider reads it: none for the values Prisma Client generates, `now` as the
 * provider's `now` SQL, `dbgenerated("sql")` as that SQL (none when empty); any other function is refused.
 */
export function functionDefault(
  field: PrismaScalarField,
  value: Func,
  now: string,
  database: string,
): Expr | undefined {
  if (CLIENT_GENERATED.has(value.name)) return undefined
  if (value.name === 'now') return sql(now)
  if (value.name === 'dbgenerated') {
    const text = stringValue(value.params?.[0])
    return text === undefined || text === '' ? undefined : sql(text)
  }
  throw new KeelError('PRISMA_SCHEMA', `field ${field.name}: @default(${value.name}()) is not supported on ${database}`)
}

/**
 * A literal `@default(...)`, before the provider quotes it: an enum member's database value (`@map`ped), a
 * number or boolean as written, or a string's text (which Bytes fields hold in base64).
 */
export type LiteralDefault =
  | { readonly kind: 'enum'; readonly value: string }
  | { readonly kind: 'sql'; readonly sql: string }
  | { readonly kind: 'string'; readonly text: string }

export function literalDefault(field: PrismaScalarField, value: Value, enums: EnumNames): LiteralDefault {
  if (field.type.kind === 'enum') {
    const enumName = field.type.name
    const member = identifierValue(value)
    const dbValue = member === undefined ? undefined : enums.get(enumName)?.values.get(member)
    if (dbValue === undefined)
      throw new KeelError('PRISMA_SCHEMA', `field ${field.name}: ${String(value)} is not a value of ${enumName}`)
    return { kind: 'enum', value: dbValue }
  }
  if (typeof value === 'boolean' || typeof value === 'number') return { kind: 'sql', sql: String(value) }
  const text = stringValue(value)
  if (text !== undefined) return { kind: 'string', text }
  if (value === 'true' || value === 'false' || (typeof value === 'string' && /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(value)))
    return { kind: 'sql', sql: value }
  throw new KeelError('PRISMA_SCHEMA', `field ${field.name}: cannot read the default ${JSON.stringify(value)}`)
}

/** How a provider spells literals: a quoted string, and (for a Bytes column) a byte string from its hex digits. */
export interface LiteralSpelling {
  quote(text: string): string
  /** Present for a Bytes column, whose PSL default is base64. */
  readonly bytes?: (hex: string) => string
}

/**
 * A literal `@default(...)` as SQL in the provider's spelling, the block every provider shares: an enum member's
 * value and a string quoted, a Bytes string as the provider's byte literal, a number or boolean as written.
 */
export function literalDefaultSql(
  field: PrismaScalarField,
  value: Value,
  enums: EnumNames,
  spelling: LiteralSpelling,
): string {
  const read = literalDefault(field, value, enums)
  switch (read.kind) {
    case 'enum':
      return spelling.quote(read.value)
    case 'sql':
      return read.sql
    case 'string':
      return spelling.bytes === undefined
        ? spelling.quote(read.text)
        : spelling.bytes(Buffer.from(read.text, 'base64').toString('hex'))
    default:
      return assertNever(read)
  }
}

export function sql(text: string): Expr {
  return { kind: 'sql', sql: text }
}
