/**
 * Whole Changes for tests that build steps by hand. A fixture cast from a partial object (`as unknown as Change`) lets
 * the code under test meet a change the differ never makes: whole-runs.ts read a field such a fixture left out and
 * threw a TypeError in push-whole-run. Here the compiler asks for every field the model requires; build the objects
 * with src/schema/build.ts (tableOf, col, index, fk, viewOf, ...), which fill in the model's defaults.
 */
import type { Change, ChangeKind } from '../../src/diff/change.js'
import { columnChange } from '../../src/diff/diff-columns.js'
import { nameOf } from '../../src/schema/build.js'
import type { Column, QualifiedName } from '../../src/schema/model.js'

/** The member of the Change union that `kind` belongs to (`'dropIndex'`: the createIndex | dropIndex one). */
export type ChangeOfKind<K extends ChangeKind> = Change extends infer C
  ? C extends { readonly kind: infer Kinds }
    ? K extends Kinds
      ? C & { readonly kind: K }
      : never
    : never
  : never

/** The fields of a change of `kind` but the kind itself. */
type FieldsOf<K extends ChangeKind> =
  ChangeOfKind<K> extends infer C ? (C extends unknown ? Omit<C, 'kind'> : never) : never

/**
 * A change of `kind` with its fields, checked by the compiler to be whole.
 * @example changeOf('createIndex', { table: nameOf('public.posts'), index: index('posts_m_idx', ['m']) })
 */
export function changeOf<K extends ChangeKind>(kind: K, fields: FieldsOf<K>): ChangeOfKind<K> {
  // The compiler checked `fields` against the kind's member; it cannot follow the spread back to the union.
  return { kind, ...fields } as unknown as ChangeOfKind<K>
}

/** A column of `table` altered from `from` to `to`, with the aspects the differ finds between them. */
export function alterColumnOf(table: string | QualifiedName, from: Column, to: Column): ChangeOfKind<'alterColumn'> {
  const aspects = columnChange(from, to)
  if (aspects === 'replace') throw new Error(`column ${to.name} cannot be altered in place: it is dropped and added`)
  return changeOf('alterColumn', { table: nameOf(table), from, to, aspects })
}
