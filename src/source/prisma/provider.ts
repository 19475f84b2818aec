import type { Func, Value } from '@mrleebo/prisma-ast'
import type { DialectName } from '../../dialect/runtimes.js'
import { loadRuntimes } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import type { Column, ColumnType, Expr, QualifiedName, Table } from '../../schema/model.js'
import type { PrismaDatamodel, PrismaReferentialAction, PrismaScalarField } from './datamodel.js'

/**
 * What Prisma Migrate does differently for each datasource provider: types, defaults, name lengths and
 * namespaces. Everything else (models, keys, relations, implicit many-to-many tables, default names) is
 * provider-neutral and lives in to-schema.ts. A provider is a file of its dialect's folder
 * (`dialect/<name>/prisma-provider.ts`), which the dialect's runtime registers (`DialectRuntime.prisma`).
 */
export interface PrismaProvider {
  readonly name: string
  /** Keel's dialect for the datasource: its scratch database normalises the schema, its runner applies it. */
  readonly dialect: DialectName
  /** Whether the database has enum types (SQLite has none: an enum field is a TEXT column). */
  readonly enumTypes: boolean
  /**
   * How an implicit many-to-many table is keyed: Prisma 6 gave PostgreSQL's a primary key `_X_AB_pkey`; the
   * other providers keep the unique index `_X_AB_unique` of earlier versions.
   */
  readonly joinTableKey: 'primaryKey' | 'unique'
  /** The longest identifier the database keeps, in bytes (Prisma truncates its default names to it). */
  readonly maxIdentifierLength: number
  /** Where models without `@@schema` live; undefined where the database has no namespaces. */
  readonly defaultNamespace: string | undefined
  /** The column type of a scalar or enum field (lists included). */
  columnType(field: PrismaScalarField, enums: EnumNames): ColumnType
  /**
   * The column's default as SQL, or undefined for none (`uuid()`, `cuid()`, `nanoid()`: Prisma Client fills
   * those in, the database never sees them). `autoincrement()` is not asked here (see `autoincrement`).
   */
  defaultExpr(field: PrismaScalarField, value: Value | Func, type: ColumnType, enums: EnumNames): Expr | undefined
  /**
   * A default that is a default and an ON UPDATE (MySQL: `dbgenerated("CURRENT_TIMESTAMP ON UPDATE
   * CURRENT_TIMESTAMP")`, which Prisma Migrate writes into the DDL as it is), split; undefined for any other.
   */
  onUpdate?(expr: Expr): { readonly default?: Expr; readonly onUpdate: string } | undefined
  /** What `@default(autoincrement())` makes of a column (PostgreSQL: serial, smallserial, bigserial). */
  autoincrement(type: ColumnType): Partial<Column>
  /** Table options every table gets (MySQL: Prisma's `COLLATE utf8mb4_unicode_ci`). */
  readonly tableExt?: Table['ext']
  /** Whether `@@fulltext` makes a FULLTEXT index (MySQL); elsewhere Prisma refuses the attribute. */
  readonly fulltextIndexes: boolean
  /** Whether an index field may take `length:` (a MySQL prefix index); elsewhere Prisma refuses it. */
  readonly indexPrefixLengths: boolean
  /** Whether a required list field is NOT NULL (Prisma leaves PostgreSQL arrays nullable). */
  readonly requiredListsNotNull: boolean
  /** The referential action a relation gets when `@relation` names none (Prisma's documented defaults). */
  defaultActions(requiredKey: boolean): {
    readonly onDelete: PrismaReferentialAction
    readonly onUpdate: PrismaReferentialAction
  }
}

/** Enums by their Prisma name: their database name and their values' database names. */
export type EnumNames = ReadonlyMap<
  string,
  { readonly name: QualifiedName; readonly values: ReadonlyMap<string, string> }
>

/** The provider a datamodel's datasource names, from the dialect that serves it, or UNSUPPORTED naming the ones Keel maps. */
export async function prismaProvider(datamodel: PrismaDatamodel): Promise<PrismaProvider> {
  const served = (await loadRuntimes()).flatMap(({ prisma }) => (prisma === undefined ? [] : [prisma]))
  const serving = served.find((prisma) => prisma.providers.includes(datamodel.provider))
  if (serving === undefined) {
    throw new KeelError(
      'UNSUPPORTED',
      `Prisma provider "${datamodel.provider}" is not supported yet (supported: ${[...new Set(served.map((p) => p.providers[0]))].join(', ')})`,
      'Keel maps Prisma schemas for PostgreSQL, SQLite and MySQL/MariaDB.',
    )
  }
  return serving.load()
}
