import type { Func, Value } from '@mrleebo/prisma-ast'
import type { FieldRef } from './psl-values.js'

/**
 * A Prisma schema as Prisma Migrate reads it, before any provider's mapping: models with their database
 * names, scalar fields, relations, keys and indexes, and enums. Pure data, read from the PSL tree by
 * read-datamodel.ts and turned into Keel's model for one provider by to-schema.ts.
 */
export interface PrismaDatamodel {
  /** The datasource's `provider` (`postgresql`, `mysql`, `sqlite`, ...). */
  readonly provider: string
  /** The datasource's `url`: an `env("NAME")` or a literal. Absent in Prisma 7 schemas (prisma.config.ts). */
  readonly url?: { readonly env: string } | { readonly value: string }
  /** `relationMode = "prisma"`: relations are emulated by the client and no foreign keys are created. */
  readonly emulatedRelations: boolean
  /** `schemas = [...]` (multiSchema): the namespaces models may be placed in with `@@schema`. */
  readonly schemas?: readonly string[]
  readonly enums: readonly PrismaEnum[]
  readonly models: readonly PrismaModel[]
}

export interface PrismaEnum {
  readonly name: string
  readonly dbName: string
  readonly schema?: string
  readonly values: readonly { readonly name: string; readonly dbName: string }[]
}

export interface PrismaModel {
  readonly name: string
  /** `@@map` or the model's name. */
  readonly dbName: string
  readonly schema?: string
  /** Scalar and enum fields, in declaration order: the table's columns. */
  readonly fields: readonly PrismaScalarField[]
  readonly relations: readonly PrismaRelationField[]
  readonly id?: PrismaKey
  readonly uniques: readonly PrismaIndex[]
  readonly indexes: readonly PrismaIndex[]
  /** Where the model is declared, for messages. */
  readonly file: string
}

/** A field's type: one of Prisma's scalars, an enum of the schema, or `Unsupported("sql type")`. */
export type PrismaFieldType =
  | { readonly kind: 'scalar'; readonly name: PrismaScalar }
  | { readonly kind: 'enum'; readonly name: string }
  | { readonly kind: 'unsupported'; readonly sql: string }

export const PRISMA_SCALARS = [
  'String',
  'Boolean',
  'Int',
  'BigInt',
  'Float',
  'Decimal',
  'DateTime',
  'Json',
  'Bytes',
] as const
export type PrismaScalar = (typeof PRISMA_SCALARS)[number]

export interface PrismaScalarField {
  readonly name: string
  /** `@map` or the field's name: the column. */
  readonly dbName: string
  readonly type: PrismaFieldType
  readonly list: boolean
  readonly optional: boolean
  /** `@db.VarChar(255)` → `{ name: 'VarChar', args: ['255'] }`. */
  readonly nativeType?: { readonly name: string; readonly args: readonly string[] }
  /** `@default(...)`'s value, as the parser gives it (string literals keep their quotes). */
  readonly default?: Value | Func
  /** `@updatedAt`: set by Prisma Client on every write; the column gets no database default. */
  readonly updatedAt: boolean
}

export interface PrismaRelationField {
  readonly name: string
  /** The related model's name. */
  readonly model: string
  readonly list: boolean
  readonly optional: boolean
  /** `@relation("Name")`, or undefined for the default relation between two models. */
  readonly relationName?: string
  /** `fields:`: the scalar fields of this model holding the key (only on the side that owns the foreign key). */
  readonly fields: readonly string[]
  readonly references: readonly string[]
  readonly onDelete?: PrismaReferentialAction
  readonly onUpdate?: PrismaReferentialAction
  /** `map:`: the foreign key constraint's name. */
  readonly map?: string
}

export type PrismaReferentialAction = 'Cascade' | 'Restrict' | 'NoAction' | 'SetNull' | 'SetDefault'

/** A primary key (`@id`, `@@id`). */
export interface PrismaKey {
  readonly fields: readonly FieldRef[]
  readonly map?: string
}

/** `@unique`, `@@unique`, `@@index`, `@@fulltext`. */
export interface PrismaIndex {
  readonly fields: readonly FieldRef[]
  readonly map?: string
  /** `type: Gin` and the like (`BTree` when absent). */
  readonly type?: string
  /** `@@fulltext` (MySQL): a FULLTEXT index, named as an `@@index` is. */
  readonly fulltext?: true
}
