import { readFileSync } from 'node:fs'
import { KeelError } from '../errors.js'
import type { Schema } from '../schema/model.js'

/** The lists every schema holds (`Schema`), which a .json source must have as arrays. */
const REQUIRED_LISTS = ['namespaces', 'extensions', 'enums', 'sequences', 'tables', 'views'] as const

/**
 * Reads a schema printed by `keel inspect --format json` (the model, `Schema`). Only its outline is checked (an
 * object with the model's lists): the database it is created on judges the rest. `Schema.unmanaged`, the objects
 * Keel left alone where it was printed, is dropped: nothing creates them.
 */
export function readSchemaJson(path: string, display: string): Schema {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new KeelError('SCHEMA_JSON', `${display}: not JSON: ${(error as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new KeelError('SCHEMA_JSON', `${display}: not a schema (expected an object)`)
  const schema = parsed as Record<string, unknown>
  const missing = REQUIRED_LISTS.filter((key) => !Array.isArray(schema[key]))
  if (missing.length > 0) throw new KeelError('SCHEMA_JSON', `${display}: not a schema (no ${missing.join(', ')} list)`)
  const wrong = [
    ...listed(schema.tables, 'tables', ['columns', 'uniques', 'indexes', 'foreignKeys', 'checks']),
    ...listed(schema.views, 'views', ['dependsOn', 'indexes']),
  ]
  if (wrong.length > 0) throw new KeelError('SCHEMA_JSON', `${display}: not a schema: ${wrong.slice(0, 5).join('; ')}`)
  const { unmanaged: _, ...managed } = schema as unknown as Schema
  return managed
}

/**
 * What is wrong with the outline of each table or view in `list`: a qualified name (`{ "name": ... }`), and the
 * lists the differ walks without asking (a table's `columns`, each a named column with a type). Reported here, with
 * where, rather than met by the differ as a TypeError.
 */
function listed(list: unknown, key: string, lists: readonly string[]): string[] {
  return (list as unknown[]).flatMap((item, i) => {
    if (typeof item !== 'object' || item === null) return [`${key}[${i}] is not an object`]
    const record = item as Record<string, unknown>
    const name = record.name as Record<string, unknown> | undefined
    const where = `${key}[${i}]${typeof name?.name === 'string' ? ` (${name.name})` : ''}`
    const problems: string[] = []
    if (typeof name !== 'object' || name === null || typeof name.name !== 'string')
      problems.push(`${where} has no name`)
    for (const field of lists) if (!Array.isArray(record[field])) problems.push(`${where} has no ${field} list`)
    // A table's columns are objects; a view's `columns` is its column list (names).
    if (key === 'tables' && Array.isArray(record.columns))
      record.columns.forEach((column: unknown, j) => {
        const c = column as Record<string, unknown> | null
        if (typeof c?.name !== 'string' || typeof c?.type !== 'object' || c.type === null)
          problems.push(`${where}.columns[${j}] has no name or type`)
      })
    return problems
  })
}
