/**
 * The names a CREATE TABLE gives its primary key, unique constraints and foreign keys (`CONSTRAINT [PK_Album]
 * PRIMARY KEY (...)`, `CONSTRAINT fk_city_country FOREIGN KEY (...)`, or `CONSTRAINT n UNIQUE` in a column
 * definition). No PRAGMA reports them: only the text holds them.
 */

import { sameColumns } from './same-identifier.js'
import { findKeyword, parenthesized, splitTopLevel, unquote } from './sql-text.js'

export interface ConstraintName {
  readonly kind: 'primary key' | 'unique' | 'foreign key'
  /** The constrained columns, unquoted (a column definition's constraint is over that column). */
  readonly columns: readonly string[]
  readonly name: string
}

const NAME = String.raw`("(?:[^"]|"")*"|\`[^\`]*\`|\[[^\]]*\]|[^\s(]+)`
const KIND = String.raw`(PRIMARY\s+KEY|UNIQUE|FOREIGN\s+KEY|REFERENCES)\b`

function kindOf(word: string): ConstraintName['kind'] | undefined {
  const k = word.toUpperCase().replace(/\s+/g, ' ')
  if (k === 'PRIMARY KEY') return 'primary key'
  if (k === 'UNIQUE') return 'unique'
  return k === 'FOREIGN KEY' || k === 'REFERENCES' ? 'foreign key' : undefined
}

/** The named primary keys, uniques and foreign keys of a CREATE TABLE's elements. */
export function readConstraintNames(elements: readonly string[]): ConstraintName[] {
  const found: ConstraintName[] = []
  for (const element of elements) {
    const text = element.trim()
    const table = new RegExp(`^CONSTRAINT\\s+${NAME}\\s+${KIND}`, 'i').exec(text)
    if (table !== null) {
      const kind = kindOf(table[2] ?? '')
      if (kind === undefined || (kind === 'foreign key' && /^REFERENCES$/i.test(table[2] ?? ''))) continue
      const columns = splitTopLevel(parenthesized(text, table[0].length)?.inner ?? '').map(columnOfTerm)
      found.push({ kind, columns, name: unquote(table[1] ?? '') })
      continue
    }
    if (/^(PRIMARY|UNIQUE|CHECK|FOREIGN|CONSTRAINT)\b/i.test(text)) continue
    const column = unquote(/^("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|\S+)/.exec(text)?.[1] ?? '')
    for (let from = 0; ; ) {
      const at = findKeyword(text, /^CONSTRAINT\b/i, from)
      if (at === -1) break
      const m = new RegExp(`^CONSTRAINT\\s+${NAME}\\s+${KIND}`, 'i').exec(text.slice(at))
      from = at + 10
      const kind = kindOf(m?.[2] ?? '')
      if (m !== null && kind !== undefined) found.push({ kind, columns: [column], name: unquote(m[1] ?? '') })
    }
  }
  return found
}

/** The column of a key term (`"a" COLLATE NOCASE DESC` → `a`). */
function columnOfTerm(term: string): string {
  return unquote(/^("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[^\s]+)/.exec(term.trim())?.[1] ?? term)
}

/** The name given to the constraint of `kind` over exactly `columns`, if any. */
export function declaredName(
  names: readonly ConstraintName[],
  kind: ConstraintName['kind'],
  columns: readonly string[],
): string | undefined {
  return names.find((n) => n.kind === kind && sameColumns(n.columns, columns))?.name
}
