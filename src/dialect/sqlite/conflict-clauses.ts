/**
 * SQLite's `ON CONFLICT` clauses, read from the elements of a CREATE TABLE (no PRAGMA reports them). A clause
 * belongs to the constraint written just before it: `NOT NULL`, `PRIMARY KEY [ASC|DESC]` or `UNIQUE` in a column
 * definition, or the table constraint `PRIMARY KEY (...)`, `UNIQUE (...)` or `CHECK (...)` it ends.
 */
import type { ConflictResolution } from '../../schema/model.js'
import { foldIdentifier } from './same-identifier.js'
import { findKeyword, parenthesized, splitTopLevel, unquote } from './sql-text.js'

export interface ConflictClauses {
  /** `NOT NULL ON CONFLICT ...`, by column name. */
  /** Keyed by the column's name folded as SQLite compares names (foldIdentifier). */
  readonly notNull: ReadonlyMap<string, ConflictResolution>
  /** On the primary key, written on its column or as a table constraint. */
  readonly primaryKey?: ConflictResolution
  /** On unique constraints, by their columns (a column's own UNIQUE is over that one column). */
  readonly uniques: readonly { readonly columns: readonly string[]; readonly onConflict: ConflictResolution }[]
  /** On table CHECK constraints, by the element that declares the check. */
  readonly checks: ReadonlyMap<string, ConflictResolution>
  /** Clauses placed on none of these (`NULL ON CONFLICT ...`, which SQLite ignores): elements as written. */
  readonly unplaced: readonly string[]
}

const RESOLUTIONS = new Set(['ROLLBACK', 'ABORT', 'FAIL', 'IGNORE', 'REPLACE'])
const NAME = String.raw`(?:"(?:[^"]|"")*"|\`[^\`]*\`|\[[^\]]*\]|[^\s(]+)`

/** Every ON CONFLICT clause of a CREATE TABLE's elements, placed on its constraint. ABORT (the default) is left out. */
export function readConflictClauses(elements: readonly string[]): ConflictClauses {
  const notNull = new Map<string, ConflictResolution>()
  const uniques: { columns: readonly string[]; onConflict: ConflictResolution }[] = []
  const checks = new Map<string, ConflictResolution>()
  const unplaced: string[] = []
  let primaryKey: ConflictResolution | undefined
  for (const element of elements) {
    const text = element.trim()
    const tableConstraint = new RegExp(`^(?:CONSTRAINT\\s+${NAME}\\s+)?(PRIMARY\\s+KEY|UNIQUE|CHECK)\\b`, 'i').exec(
      text,
    )
    for (let from = 0; ; ) {
      const at = findKeyword(text, /^ON\s+CONFLICT\b/i, from)
      if (at === -1) break
      const m = /^ON\s+CONFLICT\s+([A-Za-z]+)/i.exec(text.slice(at))
      from = at + (m?.[0].length ?? 11)
      const resolution = m?.[1]?.toUpperCase() ?? ''
      if (!RESOLUTIONS.has(resolution)) {
        unplaced.push(text)
        continue
      }
      const before = text.slice(0, at).trimEnd()
      const onConflict = resolution as ConflictResolution | 'ABORT'
      const place = (apply: (r: ConflictResolution) => void) => {
        if (onConflict !== 'ABORT') apply(onConflict)
      }
      if (tableConstraint !== null && before.endsWith(')')) {
        const kind = (tableConstraint[1] ?? '').toUpperCase().replace(/\s+/g, ' ')
        if (kind === 'CHECK') place((r) => checks.set(element, r))
        else {
          const columns = splitTopLevel(parenthesized(text, tableConstraint[0].length)?.inner ?? '').map(columnOfTerm)
          if (kind === 'PRIMARY KEY')
            place((r) => {
              primaryKey = r
            })
          else place((r) => uniques.push({ columns, onConflict: r }))
        }
      } else if (tableConstraint === null) {
        const column = unquote(/^("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|\S+)/.exec(text)?.[1] ?? '')
        if (/\bNOT\s+NULL$/i.test(before)) place((r) => notNull.set(foldIdentifier(column), r))
        else if (/\bPRIMARY\s+KEY(?:\s+(?:ASC|DESC))?$/i.test(before))
          place((r) => {
            primaryKey = r
          })
        else if (/\bUNIQUE$/i.test(before)) place((r) => uniques.push({ columns: [column], onConflict: r }))
        else unplaced.push(text)
      } else unplaced.push(text)
    }
  }
  return { notNull, ...(primaryKey === undefined ? {} : { primaryKey }), uniques, checks, unplaced }
}

/** The column of a key term (`"a" COLLATE NOCASE DESC` → `a`). */
function columnOfTerm(term: string): string {
  return unquote(/^("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[^\s]+)/.exec(term.trim())?.[1] ?? term)
}
