import type { BRAND } from './brand-of.js'
import type { ColumnInfo } from './column-builder.js'
import type { AnyTable, InfoOf } from './table.js'

type Simplify<T> = { [K in keyof T]: T[K] } & {}

type ColumnsOf<T extends AnyTable> = T[typeof BRAND]['columns']
type InfoAt<T extends AnyTable, K extends keyof ColumnsOf<T>> = InfoOf<ColumnsOf<T>[K]>
type Selected<I extends ColumnInfo> = I['notNull'] extends true ? I['data'] : I['data'] | null

/**
 * The shape of a row read from a table: every column, `T | null` where the column is nullable.
 * @example type User = Row<typeof users> // { id: number; email: string; name: string | null; ... }
 */
export type Row<T extends AnyTable> = Simplify<{
  -readonly [K in keyof ColumnsOf<T>]: Selected<InfoAt<T, K>>
}>

type RequiredKeys<T extends AnyTable> = {
  [K in keyof ColumnsOf<T>]: InfoAt<T, K> extends { readonly generated: true }
    ? never
    : InfoAt<T, K> extends { readonly notNull: true; readonly hasDefault: false }
      ? K
      : never
}[keyof ColumnsOf<T>]

type OptionalKeys<T extends AnyTable> = {
  [K in keyof ColumnsOf<T>]: InfoAt<T, K> extends { readonly generated: true }
    ? never
    : InfoAt<T, K> extends { readonly notNull: true; readonly hasDefault: false }
      ? never
      : K
}[keyof ColumnsOf<T>]

/**
 * The shape of a row to insert: NOT NULL columns without a default are required; nullable, defaulted, serial and
 * by-default identity columns are optional; always-generated columns (identity ALWAYS, generatedAlwaysAs) are absent.
 * @example const user: NewRow<typeof users> = { email: 'a@example.com' }
 */
export type NewRow<T extends AnyTable> = Simplify<
  { -readonly [K in RequiredKeys<T>]: Selected<InfoAt<T, K>> } & {
    -readonly [K in OptionalKeys<T>]?: Selected<InfoAt<T, K>>
  }
>
