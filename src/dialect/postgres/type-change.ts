import { deepEqual } from '../../schema/equal.js'
import type { ColumnType } from '../../schema/model.js'
import { quoteIdent } from './quote.js'
import { renderColumnType } from './render-type.js'

/**
 * What PostgreSQL does when a column changes from one type to another: whether `ALTER COLUMN TYPE`
 * needs a USING clause, whether it rewrites the table, and whether values may be lost or refused.
 * See https://www.postgresql.org/docs/current/sql-altertable.html (notes on rewrites).
 */
export interface TypeChangeFacts {
  /** No implicit or assignment cast exists, so the statement says `USING col::type`. */
  readonly needsUsing: boolean
  /** False only for binary-coercible changes (varchar(n) → varchar(m ≥ n) or text, wider numeric or timestamp precision). */
  readonly rewritesTable: boolean
  /** Every value of `from` converts to `to` without loss or error. */
  readonly lossless: boolean
}

/** The facts about changing a column from type `from` to type `to`. */
export function typeChangeFacts(from: ColumnType, to: ColumnType): TypeChangeFacts {
  if (deepEqual(from, to)) return { needsUsing: false, rewritesTable: false, lossless: true }
  return {
    needsUsing: !hasAssignmentCast(from, to),
    rewritesTable: !isBinaryCoercible(from, to),
    lossless: isLossless(from, to),
  }
}

/** The USING expression that converts `column` to `to`: enums go through text, since enums cast to nothing else. */
export function usingExpression(column: string, from: ColumnType, to: ColumnType): string {
  const via = throughText(from, to)
  return `${quoteIdent(column)}${via}::${renderColumnType(to)}`
}

function throughText(from: ColumnType, to: ColumnType): string {
  if (from.kind === 'array' && to.kind === 'array')
    return throughText(from.element, to.element) === '' ? '' : '::text[]'
  return from.kind === 'enum' && !(to.kind === 'text' && to.length === undefined && !to.fixed) ? '::text' : ''
}

/** Cast groups inside which PostgreSQL has implicit or assignment casts (pg_cast, castcontext 'i' or 'a'). */
const castGroups: readonly (readonly ColumnType['kind'][])[] = [
  ['integer', 'decimal', 'float'],
  ['date', 'timestamp'],
  ['json', 'jsonb'],
]

function hasAssignmentCast(from: ColumnType, to: ColumnType): boolean {
  // Every type converts to a string type by an assignment I/O cast.
  if (to.kind === 'text') return true
  if (from.kind === 'array' || to.kind === 'array') {
    return from.kind === 'array' && to.kind === 'array' && hasAssignmentCast(from.element, to.element)
  }
  if (from.kind === 'native' || to.kind === 'native' || from.kind === 'enum' || to.kind === 'enum') return false
  if (from.kind === to.kind) return true
  if (from.kind === 'timestamp' && to.kind === 'time') return true
  return castGroups.some((group) => group.includes(from.kind) && group.includes(to.kind))
}

function isBinaryCoercible(from: ColumnType, to: ColumnType): boolean {
  if (from.kind === 'text' && to.kind === 'text') {
    // varchar and text share a representation; char pads, so it always needs a rewrite.
    if (from.fixed || to.fixed) return false
    return to.length === undefined || (from.length !== undefined && to.length >= from.length)
  }
  if (from.kind === 'decimal' && to.kind === 'decimal') {
    if (to.precision === undefined) return true
    return from.precision !== undefined && (from.scale ?? 0) === (to.scale ?? 0) && to.precision >= from.precision
  }
  if ((from.kind === 'timestamp' && to.kind === 'timestamp') || (from.kind === 'time' && to.kind === 'time')) {
    if (from.withTimeZone !== to.withTimeZone) return false
    return to.precision === undefined || (from.precision !== undefined && to.precision >= from.precision)
  }
  return false
}

/** Decimal digits a value of each integer size may need. */
const integerDigits = { 2: 5, 4: 10, 8: 19 } as const

function isLossless(from: ColumnType, to: ColumnType): boolean {
  if (to.kind === 'text' && to.length === undefined && !to.fixed) return from.kind !== 'text' || !from.fixed
  if (isBinaryCoercible(from, to)) return true
  switch (from.kind) {
    case 'integer':
      if (to.kind === 'integer') return to.bytes >= from.bytes
      if (to.kind === 'float') return to.bytes === 8 ? from.bytes <= 4 : from.bytes === 2
      if (to.kind === 'decimal') return decimalHolds(to, integerDigits[from.bytes], 0)
      return false
    case 'decimal':
      return (
        to.kind === 'decimal' &&
        from.precision !== undefined &&
        decimalHolds(to, from.precision - (from.scale ?? 0), from.scale ?? 0)
      )
    case 'float':
      return to.kind === 'float' && to.bytes >= from.bytes
    case 'date':
      return to.kind === 'timestamp'
    case 'jsonb':
      return to.kind === 'json'
    case 'array':
      return to.kind === 'array' && isLossless(from.element, to.element)
    default:
      return false
  }
}

function decimalHolds(
  to: { readonly precision?: number; readonly scale?: number },
  intDigits: number,
  scale: number,
): boolean {
  if (to.precision === undefined) return true
  const toScale = to.scale ?? 0
  return to.precision - toScale >= intDigits && toScale >= scale
}
