import type { Attribute, AttributeArgument, BlockAttribute, Field, Func, KeyValue, Value } from '@mrleebo/prisma-ast'

/**
 * Small readers over @mrleebo/prisma-ast's tree, which keeps string literals with their quotes and numbers as
 * their source text: these give back the values a Prisma schema means.
 */

/** A PSL string literal's value (`"a\"b"` → `a"b`), or undefined when the value is not a string literal. */
export function stringValue(value: Value | undefined): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('"')) return undefined
  // PSL string literals use JSON's escapes.
  try {
    return JSON.parse(value) as string
  } catch {
    return value.slice(1, -1)
  }
}

/** A bare identifier (`Cascade`, `Desc`), or undefined. */
export function identifierValue(value: Value | undefined): string | undefined {
  return typeof value === 'string' && /^[A-Za-z_][\w]*$/.test(value) ? value : undefined
}

export function isFunc(value: unknown): value is Func {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'function'
}

export function isKeyValue(value: unknown): value is KeyValue {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'keyValue'
}

/** The values of a PSL list (`[a, b]`), or undefined when the value is not one. */
export function listValues(value: Value | undefined): readonly Value[] | undefined {
  if (Array.isArray(value)) return value
  if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'array') {
    return (value as { args?: Value[] }).args ?? []
  }
  return undefined
}

type AnyAttribute = Attribute | BlockAttribute

/** A field's attribute by name (`id`, `default`; with `group` for `@db.VarChar`). */
export function fieldAttribute(field: Field, name: string, group?: string): Attribute | undefined {
  return field.attributes?.find((a) => a.name === name && a.group === group)
}

/** The positional argument at `index` (keyed arguments are not counted). */
export function positional(attribute: AnyAttribute, index = 0): Value | undefined {
  const values = (attribute.args ?? []).map((a: AttributeArgument) => a.value).filter((v) => !isKeyValue(v))
  return values[index] as Value | undefined
}

/** A keyed argument (`map: "x"`), or the positional one at `fallbackIndex` when it is not given by name. */
export function argument(attribute: AnyAttribute, key: string, fallbackIndex?: number): Value | undefined {
  for (const arg of attribute.args ?? []) if (isKeyValue(arg.value) && arg.value.key === key) return arg.value.value
  return fallbackIndex === undefined ? undefined : positional(attribute, fallbackIndex)
}

/** One entry of a field list (`[a, b(sort: Desc, ops: raw("x"))]`): its name and its arguments. */
export interface FieldRef {
  readonly name: string
  readonly sort?: 'Asc' | 'Desc'
  readonly length?: number
  readonly ops?: string
}

/** Reads a list of field references, as `@@index`, `@@unique`, `@@id` and `@relation(fields:)` take them. */
export function fieldRefs(value: Value | undefined): readonly FieldRef[] {
  return (listValues(value) ?? []).flatMap((entry): FieldRef[] => {
    if (typeof entry === 'string') return [{ name: entry }]
    if (!isFunc(entry)) return []
    const ref: { name: string; sort?: 'Asc' | 'Desc'; length?: number; ops?: string } = { name: entry.name }
    for (const param of entry.params ?? []) {
      if (!isKeyValue(param)) continue
      if (param.key === 'sort' && (param.value === 'Asc' || param.value === 'Desc')) ref.sort = param.value
      if (param.key === 'length' && typeof param.value === 'string') ref.length = Number(param.value)
      if (param.key === 'ops') {
        const ops = param.value
        const name = isFunc(ops) && ops.name === 'raw' ? stringValue(ops.params?.[0]) : ops
        if (typeof name === 'string') ref.ops = name
      }
    }
    return [ref]
  })
}
