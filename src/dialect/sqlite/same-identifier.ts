/**
 * SQLite compares identifiers without ASCII case: `Name` and `name` are one column, and a CREATE TABLE may spell a
 * column one way in its definition and another in a constraint (`Name TEXT, UNIQUE (name)`), while PRAGMA reports
 * the definition's spelling. Matching a constraint's text to PRAGMA's columns must therefore fold case, or what the
 * text says of the constraint (its name, ON CONFLICT, DEFERRABLE) is lost and a rebuild drops it.
 */

/** `name` with ASCII letters in lower case, as SQLite compares it (other letters are compared as they are). */
export function foldIdentifier(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase())
}

export function sameIdentifier(a: string, b: string): boolean {
  return foldIdentifier(a) === foldIdentifier(b)
}

export function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => sameIdentifier(name, b[i] ?? ''))
}
