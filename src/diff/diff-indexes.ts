import type { Index, QualifiedName } from '../schema/model.js'
import { diffNamed, type NamedDiff } from './diff-named.js'
import { mentionsIdentifier } from './rename-identifier.js'

/** Whether the index uses any of the columns, as a key part, in an expression, in its predicate or in INCLUDE. */
export function indexUsesColumns(index: Index, columns: ReadonlySet<string>): boolean {
  if (columns.size === 0) return false
  return (
    index.include.some((column) => columns.has(column)) ||
    index.parts.some((part) => part.column !== undefined && columns.has(part.column)) ||
    indexExpressionsUse(index, columns)
  )
}

/** Whether an expression part or the predicate of the index reads any of the columns (plain key parts do not count). */
export function indexExpressionsUse(index: Index, columns: ReadonlySet<string>): boolean {
  const mentions = (expr: string | undefined): boolean =>
    expr !== undefined && [...columns].some((column) => mentionsIdentifier(expr, column))
  return mentions(index.where) || index.parts.some((part) => mentions(part.expr))
}

/**
 * Diffs the indexes of a table or materialized view (`table` is its name, after renames): matched by name, any
 * difference but the comment is a drop and a create. An index over a column in `gone` is dropped by PostgreSQL with
 * the column; it is dropped here too, so it comes back if `to` still has it. An index whose expressions or predicate
 * read a column in `converted` (an enum that is recreated) is dropped and created again around the conversion, since
 * PostgreSQL cannot re-parse them; a plain key part over such a column is rebuilt by PostgreSQL itself.
 */
export function diffIndexes(
  table: QualifiedName,
  from: readonly Index[],
  to: readonly Index[],
  gone: ReadonlySet<string> = new Set(),
  converted: ReadonlySet<string> = new Set(),
): NamedDiff {
  return diffNamed(from, to, {
    drop: (index) => ({ kind: 'dropIndex', table, index }),
    add: (index) => ({ kind: 'createIndex', table, index }),
    commentTarget: (index) => ({ kind: 'index', table, index: index.name }),
    lost: (index) => indexUsesColumns(index, gone) || indexExpressionsUse(index, converted),
  })
}
