import type { PrismaPrinting } from '../../interop/print/prisma-printing.js'
import type { ColumnType } from '../../schema/model.js'
import type { PrismaScalar } from '../../source/prisma/datamodel.js'
import { SCALARS } from './prisma-provider.js'

const SCALAR_TYPES = Object.fromEntries(
  Object.entries(SCALARS).map(([scalar, sql]) => [scalar, { kind: 'native', sql }]),
) as Record<PrismaScalar, ColumnType>
const DECLARED = new Set(Object.values(SCALARS))

/**
 * Prisma's sqlite provider for `keel inspect --format prisma`: a column whose declared type is one Prisma Migrate
 * writes for a scalar (prisma-provider.ts's table, in any case) prints as that scalar; SQLite has no `@db.*`, so
 * any other declared type is Unsupported("..."). An AUTOINCREMENT key is autoincrement(); SQLite keeps no
 * constraint names and no identifier limit.
 */
export const sqlitePrismaPrinting: PrismaPrinting = {
  provider: 'sqlite',
  scalarTypes: SCALAR_TYPES,
  nativeType: () => undefined,
  unsupportedSql: (type) => (type.kind === 'native' ? type.sql : type.kind),
  // Prisma does not shorten default names on SQLite, which keeps identifiers of any length.
  maxIdentifierLength: Number.POSITIVE_INFINITY,
  primaryKeyNames: false,
  foreignKeyNames: false,
  identityIsAutoincrement: true,
  keyColumnsNotNull: true,
  uniquesAreIndexes: false,
  indexMethod: () => undefined,
  prepare: (schema) => ({
    ...schema,
    tables: schema.tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, type: declared(c.type) })) })),
  }),
}

/** A declared type Prisma writes for a scalar, in Prisma's spelling (`integer` → INTEGER). */
function declared(type: ColumnType): ColumnType {
  if (type.kind !== 'native') return type
  const upper = type.sql.trim().toUpperCase()
  return DECLARED.has(upper) ? { kind: 'native', sql: upper } : type
}
