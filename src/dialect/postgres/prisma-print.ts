import type { PrismaPrinting } from '../../interop/print/prisma-printing.js'
import type { ColumnType } from '../../schema/model.js'
import { SCALARS } from './prisma-provider.js'
import { renderColumnType } from './render-type.js'

/**
 * Prisma's postgresql provider for `keel inspect --format prisma`: its scalars are the reader's (prisma-provider.ts),
 * `@db.*` the inverse of its native types; an identity column is not what autoincrement() makes (serial).
 */
export const postgresPrismaPrinting: PrismaPrinting = {
  provider: 'postgresql',
  scalarTypes: SCALARS,
  nativeType,
  unsupportedSql: (type) => (type.kind === 'native' ? type.sql : renderColumnType(type)),
  maxIdentifierLength: 63,
  primaryKeyNames: true,
  foreignKeyNames: true,
  identityIsAutoincrement: false,
  keyColumnsNotNull: false,
  uniquesAreIndexes: false,
  indexMethod: (method) => ({ type: METHODS[method] ?? method }),
}

/** Prisma's `type:` of an index (https://www.prisma.io/docs/orm/prisma-schema/data-model/indexes#configuring-the-access-type-of-indexes-with-type-postgresql). */
const METHODS: Readonly<Record<string, string>> = {
  hash: 'Hash',
  gist: 'Gist',
  gin: 'Gin',
  spgist: 'SpGist',
  brin: 'Brin',
  btree: 'BTree',
}

function nativeType(
  type: ColumnType,
): { type: 'Int' | 'Decimal' | 'Float' | 'String' | 'DateTime' | 'Json'; native: string } | undefined {
  const precision = (p: number | undefined) => (p === undefined ? '' : `(${p})`)
  switch (type.kind) {
    case 'integer':
      return type.bytes === 2 ? { type: 'Int', native: '@db.SmallInt' } : undefined
    case 'decimal':
      return {
        type: 'Decimal',
        native: type.precision === undefined ? '@db.Decimal' : `@db.Decimal(${type.precision}, ${type.scale ?? 0})`,
      }
    case 'float':
      return type.bytes === 4 ? { type: 'Float', native: '@db.Real' } : undefined
    case 'text':
      if (type.fixed) return { type: 'String', native: `@db.Char(${type.length ?? 1})` }
      return type.length === undefined ? undefined : { type: 'String', native: `@db.VarChar(${type.length})` }
    case 'timestamp':
      return {
        type: 'DateTime',
        native: `@db.${type.withTimeZone ? 'Timestamptz' : 'Timestamp'}${precision(type.precision)}`,
      }
    case 'time':
      return { type: 'DateTime', native: `@db.${type.withTimeZone ? 'Timetz' : 'Time'}${precision(type.precision)}` }
    case 'date':
      return { type: 'DateTime', native: '@db.Date' }
    case 'uuid':
      return { type: 'String', native: '@db.Uuid' }
    case 'json':
      return { type: 'Json', native: '@db.Json' }
    default:
      return undefined
  }
}
