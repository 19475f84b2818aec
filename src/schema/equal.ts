/**
 * Structural equality over the schema model's plain data. Key order does not matter; array order does
 * (column order, index part order and enum value order are all meaningful).
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, i) => deepEqual(item, b[i]))
  }
  if (Array.isArray(b)) return false
  const aKeys = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined)
  const bKeys = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined)
  if (aKeys.length !== bKeys.length) return false
  return aKeys.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

/** Returns a copy of `value` without the listed keys (for comparing entities while ignoring hints). */
export function omitKeys<T extends object, K extends keyof T>(value: T, ...keys: readonly K[]): Omit<T, K> {
  const copy = { ...value } as Record<string, unknown>
  for (const key of keys) delete copy[key as string]
  return copy as Omit<T, K>
}
