/**
 * How TypeScript keys become SQL column names: `snake_case` maps `createdAt` to `created_at`; `preserve` keeps
 * the key. A column with an explicit name (`text('explicit_name')`) keeps that name under either casing.
 */
export type Casing = 'snake_case' | 'preserve'

/**
 * Converts a camelCase key to snake_case: a word starts at an upper-case letter after a lower-case letter or digit,
 * and at the last capital of a run followed by a lower-case letter (`HTMLParser` → `html_parser`). Existing
 * underscores are kept, so already-snake names are unchanged.
 * @example toSnakeCase('userID') // 'user_id'
 */
export function toSnakeCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
}

/** Applies a casing to a TypeScript key. */
export function applyCasing(key: string, casing: Casing): string {
  return casing === 'snake_case' ? toSnakeCase(key) : key
}
