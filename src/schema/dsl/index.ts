/**
 * `keel/schema`: the TypeScript schema DSL. Declare tables, enums, sequences, views and extensions; Keel's
 * `collect()` turns a module of these into its schema model. Re-exports only.
 */
export { type Casing, toSnakeCase } from './casing.js'
export { type CollectOptions, collect } from './collect.js'
export {
  type Base,
  ColumnBuilder,
  type ColumnInfo,
  type Info,
} from './column-builder.js'
export { type AnyColumn, ColumnRef } from './column-ref.js'
export {
  type BigintData,
  type BigintMode,
  bigint,
  bigserial,
  boolean,
  bytea,
  char,
  customType,
  type DateMode,
  date,
  decimal,
  doublePrecision,
  type IntervalConfig,
  integer,
  interval,
  json,
  jsonb,
  type NumericConfig,
  native,
  numeric,
  real,
  serial,
  smallint,
  smallserial,
  type TimeConfig,
  type TimestampConfig,
  text,
  time,
  timestamp,
  timestamptz,
  uuid,
  varchar,
} from './columns.js'
export {
  type CheckOptions,
  type CheckSpec,
  check,
  type ForeignKeyConfig,
  type ForeignKeySpec,
  foreignKey,
  type PrimaryKeySpec,
  primaryKey,
  type TableColumn,
  type TableExtra,
  UniqueBuilder,
  unique,
} from './constraints.js'
export { defineSchema, type SchemaAggregate } from './define-schema.js'
export { type EnumDef, type EnumOptions, enumType } from './enum-type.js'
export { type ExtensionDef, extension } from './extension.js'
export type { DeferrableInput, ForeignKeyActions, ReferentialActionInput } from './foreign-key-options.js'
export { IndexBuilder, index, uniqueIndex } from './index-builder.js'
export { IndexPart } from './index-part.js'
export { type NamespaceDef, namespace, schema } from './namespace.js'
export { makeObjectName } from './naming.js'
export { collation, domain, type PgObjectDef, routine, rule, trigger } from './pg-objects.js'
export { renderLiteral } from './render-literal.js'
export type { NewRow, Row } from './row.js'
export { type SequenceConfig, type SequenceDef, sequence } from './sequence.js'
export type { SequenceInput, SequenceValueInput } from './sequence-options.js'
export { Sql, type SqlTag, sql } from './sql.js'
export {
  type AnyTable,
  type ColumnBuilders,
  type TableColumnRefs,
  type TableDef,
  type TableExtras,
  type TableOptions,
  table,
} from './table.js'
export { type AnyView, type ViewOptions, view } from './view.js'
