import type { Privilege } from '../model.js'
import { attachState, BRAND } from './brand-of.js'
import { type EnumDef, type EnumOptions, enumType } from './enum-type.js'
import { type SequenceConfig, type SequenceDef, sequence } from './sequence.js'
import type { Sql } from './sql.js'
import {
  type ColumnBuilders,
  type TableColumnRefs,
  type TableDef,
  type TableExtras,
  type TableOptions,
  table,
} from './table.js'
import { type AnyView, type ViewOptions, view } from './view.js'

/** What a namespace declaration holds, under its brand. */
export interface NamespaceState {
  readonly kind: 'namespace'
  readonly name: string
  readonly comment?: string
  /** `GRANT ... ON SCHEMA` (see `Privilege` in the model). */
  readonly privileges?: readonly Privilege[]
}

/** A namespace (PostgreSQL schema) whose methods define objects inside it. */
export interface NamespaceDef {
  readonly [BRAND]: NamespaceState
  readonly schemaName: string
  table<TName extends string, TCols extends ColumnBuilders>(
    name: TName,
    columns: TCols,
    extras?: (t: TableColumnRefs<TCols>) => TableExtras,
    options?: Omit<TableOptions, 'schema'>,
  ): TableDef<TName, TCols>
  enum<const V extends readonly string[]>(name: string, values: V, options?: Omit<EnumOptions, 'schema'>): EnumDef<V>
  sequence(name: string, config?: Omit<SequenceConfig, 'schema'>): SequenceDef
  view(name: string, definition: Sql | string, options?: Omit<ViewOptions, 'schema'>): AnyView
}

/**
 * Declares a namespace (`CREATE SCHEMA`); its `.table`, `.enum`, `.sequence` and `.view` define objects in it.
 * Namespaces that tables use are created even when not exported; export one to create it empty or to comment it.
 * @example
 * export const billing = schema('billing')
 * export const invoices = billing.table('invoices', { id: uuid().primaryKey().defaultRandom() })
 */
export function schema(
  name: string,
  options: { readonly comment?: string; readonly privileges?: readonly Privilege[] } = {},
): NamespaceDef {
  const state: NamespaceState = {
    kind: 'namespace',
    name,
    ...(options.comment === undefined ? {} : { comment: options.comment }),
    ...(options.privileges === undefined ? {} : { privileges: options.privileges }),
  }
  const def = {
    schemaName: name,
    table: <TName extends string, TCols extends ColumnBuilders>(
      tableName: TName,
      columns: TCols,
      extras?: (t: TableColumnRefs<TCols>) => TableExtras,
      tableOptions: Omit<TableOptions, 'schema'> = {},
    ): TableDef<TName, TCols> => table(tableName, columns, extras, { ...tableOptions, schema: name }),
    enum: <const V extends readonly string[]>(
      enumName: string,
      values: V,
      enumOptions: Omit<EnumOptions, 'schema'> = {},
    ): EnumDef<V> => enumType(enumName, values, { ...enumOptions, schema: name }),
    sequence: (sequenceName: string, config: Omit<SequenceConfig, 'schema'> = {}): SequenceDef =>
      sequence(sequenceName, { ...config, schema: name }),
    view: (viewName: string, definition: Sql | string, viewOptions: Omit<ViewOptions, 'schema'> = {}): AnyView =>
      view(viewName, definition, { ...viewOptions, schema: name }),
  }
  return Object.freeze(attachState(def, state)) as NamespaceDef
}

/** `schema()` under a name that does not clash with a module's own `schema` export. */
export const namespace = schema
