import type { QualifiedName } from './model.js'

/**
 * A stable map key for a qualified name. Used to index objects by name, never to compare
 * whole entities (which are compared structurally).
 */
export function nameKey(name: QualifiedName): string {
  return name.schema === undefined ? name.name : `${name.schema}\u0000${name.name}`
}

/** Whether two qualified names denote the same object. */
export function sameName(a: QualifiedName, b: QualifiedName): boolean {
  return a.schema === b.schema && a.name === b.name
}

/** A human-readable `schema.name` for messages (not SQL: use the dialect's quoting for that). */
export function displayName(name: QualifiedName): string {
  return name.schema === undefined ? name.name : `${name.schema}.${name.name}`
}

/** Builds a qualified name, omitting an undefined schema so that the result stays comparable. */
export function qualified(name: string, schema?: string): QualifiedName {
  return schema === undefined ? { name } : { schema, name }
}
