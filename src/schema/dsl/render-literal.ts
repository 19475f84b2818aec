import type { ColumnType } from '../model.js'

/** A JavaScript value that can become a SQL literal in a default or a `sql` template. */
export type LiteralValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Date
  | readonly LiteralValue[]
  | { readonly [key: string]: unknown }

/**
 * `'text'` with embedded quotes doubled: the SQL standard's string literal, read as written by PostgreSQL (with
 * standard_conforming_strings on, as in every supported server) and SQLite. Not by MySQL, where a backslash
 * escapes: a module collected for MySQL is given its quoter (`CollectOptions.quoteLiteral`).
 */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/**
 * Renders a value as SQL literal text: strings quoted, numbers and booleans bare, `NULL`, dates as ISO strings,
 * arrays as PostgreSQL array literals. For `json`/`jsonb` columns every value is serialised as JSON text. Strings
 * are quoted by `quote`, the target dialect's string quoter (the standard form when not given).
 * @example renderLiteral("it's") // "'it''s'"
 */
export function renderLiteral(
  value: unknown,
  type?: ColumnType,
  quote: (text: string) => string = quoteString,
): string {
  if (type !== undefined && (type.kind === 'json' || type.kind === 'jsonb')) {
    return value === null ? 'NULL' : quote(JSON.stringify(value))
  }
  if (Array.isArray(value)) return quote(arrayLiteral(value))
  return scalarLiteral(value, quote)
}

function scalarLiteral(value: unknown, quoteString: (text: string) => string): string {
  if (value === null) return 'NULL'
  switch (typeof value) {
    case 'string':
      return quoteString(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'bigint':
      return value.toString()
    case 'number':
      // PostgreSQL spells the non-finite values as quoted strings ('NaN'::double precision).
      return Number.isFinite(value) ? String(value) : quoteString(String(value))
    case 'object':
      if (value instanceof Date) return quoteString(value.toISOString())
      return quoteString(JSON.stringify(value))
    default:
      throw new TypeError(`cannot render a ${typeof value} as a SQL literal`)
  }
}

/** The text of a PostgreSQL array literal (`{a,"b c",NULL}`), before it is quoted as a string. */
export function arrayLiteral(values: readonly unknown[]): string {
  return `{${values.map(arrayElement).join(',')}}`
}

function arrayElement(value: unknown): string {
  if (value === null) return 'NULL'
  if (Array.isArray(value)) return arrayLiteral(value)
  const text =
    value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value)
  // Quote when the element would otherwise be misread: empty, NULL, delimiters, quotes, backslashes or spaces.
  if (text === '' || /^null$/i.test(text) || /[{},"\\\s]/.test(text)) {
    return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
  }
  return text
}
