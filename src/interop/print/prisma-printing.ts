import type { Column, ColumnType, Schema, Table } from '../../schema/model.js'
import type { PrismaScalar } from '../../source/prisma/datamodel.js'

/** A Prisma field type for a column type: a scalar, with the `@db.*` attribute that makes the column's own type. */
export interface PrismaFieldType {
  readonly type: PrismaScalar
  readonly native?: string
}

/**
 * What printing a Prisma schema takes from a dialect (each its folder's `prisma-print.ts`, registered through
 * `DialectRuntime.printers`): the datasource provider, the scalar types as its Prisma provider reads them (one
 * table, shared with the reader), the `@db.*` attributes, and what that provider's PSL cannot say.
 */
export interface PrismaPrinting {
  /** The datasource provider printed. */
  readonly provider: string
  /**
   * Each scalar's column type without a `@db.*` attribute, in the model's canonical form for the dialect: the
   * table the dialect's Prisma provider reads scalars with, so that what prints as a bare scalar reads back as it.
   */
  readonly scalarTypes: Readonly<Record<PrismaScalar, ColumnType>>
  /** The scalar and `@db.*` attribute of a column type that is no scalar's own, or undefined: Unsupported("..."). */
  nativeType(type: ColumnType): PrismaFieldType | undefined
  /** A column type as Unsupported("...") spells it (the database's own words). */
  unsupportedSql(type: ColumnType): string
  /** The longest identifier Prisma's default names keep on the database (longer ones are cut, as Prisma cuts them). */
  readonly maxIdentifierLength: number
  /** Whether the primary key's name is the database's to keep (`map:`); SQLite keeps none, MySQL's is PRIMARY. */
  readonly primaryKeyNames: boolean
  /** Whether foreign key names are kept (`map:`); SQLite keeps none. */
  readonly foreignKeyNames: boolean
  /** Whether an identity column is what autoincrement() makes (SQLite's AUTOINCREMENT, MySQL's AUTO_INCREMENT). */
  readonly identityIsAutoincrement: boolean
  /** Whether key columns are NOT NULL as Prisma writes them, where the database allows them nullable (SQLite). */
  readonly keyColumnsNotNull: boolean
  /** Whether a unique constraint is a unique index (MySQL): then it prints with no note that it becomes one. */
  readonly uniquesAreIndexes: boolean
  /**
   * How an index method prints: as `@@fulltext` (MySQL's FULLTEXT), as `type: X` (PostgreSQL's Hash, Gist...), or
   * undefined where PSL has no word for it (the index is reported, not printed).
   */
  indexMethod(method: string): { readonly fulltext: true } | { readonly type: string } | undefined
  /** The schema as the printer takes it (MySQL: each inline ENUM column as a named enum, as `prisma db pull` names it). */
  prepare?(schema: Schema): Schema
  /**
   * A column's default in the dialect's own spelling (MySQL: current_timestamp(3) as now(), an ON UPDATE as
   * dbgenerated), or undefined for the shared rules (literals, numbers, booleans, dbgenerated).
   */
  defaultAttribute?(column: Column, skipped: string[], where: string): string | undefined
  /** What the provider cannot say of a table beyond what no provider can (MySQL: collations, engines, comments), as lines for `skipped`. */
  tableNotes?(table: Table): readonly string[]
}
