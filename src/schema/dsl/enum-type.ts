import { KeelError } from '../../errors.js'
import { qualified } from '../name.js'
import { attachState, BRAND } from './brand-of.js'
import { type Base, type ColumnBuilder, column } from './column-builder.js'
import { clipBytes, NAMEDATALEN } from './naming.js'

/** What an enum declaration holds, under its brand. */
export interface EnumState {
  readonly kind: 'enum'
  readonly name: string
  readonly schema?: string
  readonly values: readonly string[]
  readonly comment?: string
}

/**
 * An enum type. Call it to declare a column of the type: `status()` or `status('explicit_name')`.
 * Its `Row` type is the union of its values.
 */
export interface EnumDef<V extends readonly string[] = readonly string[]> {
  (name?: string): ColumnBuilder<Base<V[number]>>
  readonly [BRAND]: EnumState
  readonly enumName: string
  readonly values: V
}

/** Options of `enumType`. */
export interface EnumOptions {
  readonly schema?: string
  readonly comment?: string
}

/**
 * Defines an enum type (`CREATE TYPE ... AS ENUM`). Value order is meaningful: PostgreSQL sorts by it.
 * @example
 * export const status = enumType('status', ['draft', 'published'])
 * // in a table: status: status().notNull().default('draft')
 */
export function enumType<const V extends readonly string[]>(
  name: string,
  values: V,
  options: EnumOptions = {},
): EnumDef<V> {
  validateValues(name, values)
  const type = { kind: 'enum', enum: qualified(name, options.schema) } as const
  const define = (columnName?: string): ColumnBuilder<Base<V[number]>> => column<V[number]>(type, columnName)
  Object.defineProperty(define, 'enumName', { value: name, enumerable: true })
  Object.defineProperty(define, 'values', { value: Object.freeze([...values]), enumerable: true })
  const state: EnumState = {
    kind: 'enum',
    name,
    values: [...values],
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    ...(options.comment === undefined ? {} : { comment: options.comment }),
  }
  return attachState(define, state) as unknown as EnumDef<V>
}

function validateValues(name: string, values: readonly string[]): void {
  const seen = new Set<string>()
  for (const value of values) {
    // PostgreSQL rejects labels longer than NAMEDATALEN - 1 bytes; an empty label is valid (CREATE TYPE accepts '').
    if (clipBytes(value, NAMEDATALEN - 1) !== value) {
      throw new KeelError('SCHEMA_MODULE', `enum ${name}: value "${value}" must be at most 63 bytes long`)
    }
    if (seen.has(value)) throw new KeelError('SCHEMA_MODULE', `enum ${name}: value "${value}" is listed twice`)
    seen.add(value)
  }
}
