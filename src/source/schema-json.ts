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
  const { unmanaged: _, ...managed } = schema as unknown as Schema
  return managed
}
