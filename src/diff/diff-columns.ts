import { deepEqual } from '../schema/equal.js'
import type { Column, Table } from '../schema/model.js'
import type { Change, ColumnAspect } from './change.js'
import { mentionsIdentifier } from './rename-identifier.js'

/** What changed in the columns of one table present on both sides (already renamed). */
export interface ColumnsDiff {
  /** `dropColumn` changes, in `from`'s column order. */
  readonly drops: readonly Change[]
  /** `addColumn` changes, in `to`'s column order (so the new table reads in the declared order). */
  readonly adds: readonly Change[]
  /** `alterColumn` changes, in `to`'s column order. */
  readonly alters: readonly Change[]
  /** Names of the `from` columns that go away (dropped, or dropped to be added again): their dependents go too. */
  readonly gone: ReadonlySet<string>
  /** Names of the columns that stay but change type or collation (PostgreSQL refuses that while a view uses them). */
  readonly retyped: ReadonlySet<string>
}

/**
 * How a column changes: the aspects an `alterColumn` must change (in ColumnAspect order, empty when equal), or
 * `'replace'` when PostgreSQL cannot alter it in place.
 *
 * Generated columns: PostgreSQL (before 17) can only `DROP EXPRESSION`, turning a generated column into a plain
 * one. Making a plain column generated, or changing the expression or its storage, is therefore a drop and an add
 * of the column. That loses nothing (the values are computed from other columns) and works on every version; the
 * column's indexes and constraints are dropped and added with it.
 */
export function columnChange(from: Column, to: Column): readonly ColumnAspect[] | 'replace' {
  if (to.generated && !deepEqual(from.generated, to.generated)) return 'replace'
  const aspects: ColumnAspect[] = []
  if (!deepEqual(from.type, to.type)) aspects.push('type')
  if (from.collation !== to.collation) aspects.push('collation')
  // serial is a default drawn from an owned sequence: turning it on or off changes the default.
  // MySQL's ON UPDATE CURRENT_TIMESTAMP is written with the default (and changed with it).
  if (!deepEqual(from.default, to.default) || from.serial !== to.serial || from.onUpdate !== to.onUpdate)
    aspects.push('default')
  // SQLite's NOT NULL ON CONFLICT is part of the NOT NULL constraint: changing it changes that constraint.
  if (from.nullable !== to.nullable || from.notNullOnConflict !== to.notNullOnConflict) aspects.push('nullable')
  if (!deepEqual(from.identity, to.identity)) aspects.push('identity')
  if (from.generated && !to.generated) aspects.push('generated')
  if (from.comment !== to.comment) aspects.push('comment')
  return aspects
}

/**
 * Diffs the columns of a table present on both sides; columns are matched by name, never by position.
 *
 * PostgreSQL refuses to change the type of a column that a generated column reads, so a generated column that reads
 * a column changing type, or one in `converted` (whose enum type is recreated), is dropped and added again around
 * the change (it loses nothing: its values are computed).
 */
export function diffColumns(from: Table, to: Table, converted: ReadonlySet<string> = new Set()): ColumnsDiff {
  const table = to.name
  const after = new Map(to.columns.map((c) => [c.name, c] as const))
  const before = new Map(from.columns.map((c) => [c.name, c] as const))
  const changingType = new Set(converted)
  for (const column of to.columns) {
    const old = before.get(column.name)
    const aspects = old === undefined ? [] : columnChange(old, column)
    if (aspects !== 'replace' && aspects.includes('type')) changingType.add(column.name)
  }
  const readsChangingType = (column: Column): boolean =>
    column.generated !== undefined &&
    [...changingType].some((name) => name !== column.name && mentionsIdentifier(column.generated?.expr ?? '', name))
  const replaced = new Set(
    to.columns.filter((c) => {
      const old = before.get(c.name)
      return (
        old !== undefined && (columnChange(old, c) === 'replace' || (readsChangingType(old) && readsChangingType(c)))
      )
    }),
  )
  const gone = new Set(
    from.columns.filter((c) => !after.has(c.name) || replaced.has(after.get(c.name) as Column)).map((c) => c.name),
  )
  const drops = from.columns
    .filter((c) => gone.has(c.name))
    .map((column): Change => ({ kind: 'dropColumn', table, column }))
  const adds = to.columns
    .filter((c) => !before.has(c.name) || replaced.has(c))
    .map((column): Change => ({ kind: 'addColumn', table, column }))
  const alters: Change[] = []
  const retyped = new Set<string>()
  for (const column of to.columns) {
    const old = before.get(column.name)
    if (old === undefined || replaced.has(column)) continue
    const aspects = columnChange(old, column)
    if (aspects === 'replace' || aspects.length === 0) continue
    if (aspects.includes('type') || aspects.includes('collation')) retyped.add(column.name)
    alters.push({ kind: 'alterColumn', table, from: old, to: column, aspects })
  }
  return { drops, adds, alters, gone, retyped }
}
