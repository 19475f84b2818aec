/**
 * The property that marks every object the DSL creates. `collect()` recognises tables, enums and the rest by this
 * brand rather than by `instanceof`, because a schema module loaded through jiti may use another copy of this module.
 */
export const BRAND = '~keel'

/** What a DSL object is; `undefined` for anything the DSL did not create. */
export type Brand =
  | 'sql'
  | 'column'
  | 'ref'
  | 'part'
  | 'index'
  | 'unique'
  | 'primaryKey'
  | 'foreignKey'
  | 'check'
  | 'table'
  | 'enum'
  | 'sequence'
  | 'view'
  | 'extension'
  | 'namespace'
  | 'aggregate'
  | 'pgObject'

/**
 * The brand of a DSL object. Classes carry it as a string; entities (tables, enums, ...) carry their state object,
 * whose `kind` is the brand.
 */
export function brandOf(value: unknown): Brand | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined
  const mark = (value as { readonly [BRAND]?: unknown })[BRAND]
  if (typeof mark === 'string') return mark as Brand
  if (typeof mark === 'object' && mark !== null && typeof (mark as { kind?: unknown }).kind === 'string') {
    return (mark as { kind: Brand }).kind
  }
  return undefined
}

/** Attaches an entity's state under the brand, hidden from `Object.keys` and spreads. */
export function attachState<T extends object, S extends { readonly kind: Brand }>(target: T, state: S): T {
  Object.defineProperty(target, BRAND, { value: state, enumerable: false })
  return target
}

/** The state object of a branded entity (call only after `brandOf` said what it is). */
export function stateOf<S>(value: unknown): S {
  return (value as { readonly [BRAND]: S })[BRAND]
}
