import { attachState, BRAND } from './brand-of.js'
import type { Casing } from './casing.js'

/** What a `defineSchema` aggregate holds, under its brand. */
export interface AggregateState {
  readonly kind: 'aggregate'
  readonly casing?: Casing
  readonly members: Readonly<Record<string, unknown>>
}

/** The result of `defineSchema`: the members, plus the settings under a hidden brand. */
export type SchemaAggregate<T extends Record<string, unknown>> = Readonly<Omit<T, 'casing'>> & {
  readonly [BRAND]: AggregateState
}

/**
 * Groups a schema's objects with settings that apply to all of them. Export the result (as `schema` or
 * `default`); `collect()` reads its members. A table's own `casing` option still wins.
 * @example export default defineSchema({ casing: 'snake_case', users, posts, status })
 */
export function defineSchema<T extends Record<string, unknown> & { readonly casing?: Casing }>(
  definition: T,
): SchemaAggregate<T> {
  const { casing, ...members } = definition
  const state: AggregateState =
    casing === undefined ? { kind: 'aggregate', members } : { kind: 'aggregate', casing, members }
  return Object.freeze(attachState({ ...members }, state)) as unknown as SchemaAggregate<T>
}
