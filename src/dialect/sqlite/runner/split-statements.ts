import type { ParsedStatement } from '../../../lint/sql/parse.js'

/** What runs outside a transaction in SQLite: PRAGMA foreign_keys is a no-op inside one, VACUUM is refused. */
function nonTransactional(sql: string): string | undefined {
  if (/^PRAGMA\s+(\w+\.)?foreign_keys\s*=/i.test(sql)) return 'PRAGMA foreign_keys'
  if (/^VACUUM\b/i.test(sql)) return 'VACUUM'
  return undefined
}

/**
 * Splits a SQLite script into statements at semicolons outside strings, comments and the BEGIN ... END
 * body of CREATE TRIGGER, keeping each statement's line. SQLite has no parse tree to share, so `node`
 * is empty and `kind` is the statement's first words (`CREATE TABLE`, `PRAGMA`).
 */
export function splitSqlite(text: string): readonly ParsedStatement[] {
  const statements: ParsedStatement[] = []
  let start = 0
  let triggerDepth = 0
  let i = 0
  const push = (end: number) => {
    const raw = text.slice(start, end)
    const lead = /^(\s|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/.exec(raw)?.[0].length ?? 0
    const sql = raw.slice(lead).trim()
    if (sql !== '' && !/^(--[^\n]*\n?|\/\*[\s\S]*?\*\/|\s)*$/.test(sql)) {
      const offset = start + lead
      statements.push({
        index: statements.length,
        sql,
        line: text.slice(0, offset).split('\n').length,
        offset,
        kind: kindOf(sql),
        node: {} as ParsedStatement['node'],
        nonTransactional: nonTransactional(sql),
      })
    }
    start = end + 1
  }
  while (i < text.length) {
    const c = text[i]
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1
      while (j < text.length && !(text[j] === c && text[j + 1] !== c)) j += text[j] === c ? 2 : 1
      i = j + 1
    } else if (c === '-' && text[i + 1] === '-') {
      const j = text.indexOf('\n', i)
      i = j === -1 ? text.length : j
    } else if (c === '/' && text[i + 1] === '*') {
      const j = text.indexOf('*/', i + 2)
      i = j === -1 ? text.length : j + 2
    } else if (/[A-Za-z]/.test(c ?? '') && !/[A-Za-z0-9_$]/.test(text[i - 1] ?? '')) {
      const word = /^[A-Za-z_]+/.exec(text.slice(i, i + 10))?.[0].toUpperCase() ?? ''
      const current = text.slice(start, i)
      // BEGIN opens a trigger body only inside CREATE TRIGGER; END closes it (CASE ... END is matched by CASE).
      if (
        word === 'BEGIN' &&
        /^\s*CREATE\s+(TEMP\s+|TEMPORARY\s+)?TRIGGER\b/i.test(current.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, ''))
      )
        triggerDepth++
      else if (word === 'CASE' && triggerDepth > 0) triggerDepth++
      else if (word === 'END' && triggerDepth > 0) triggerDepth--
      i += Math.max(word.length, 1)
    } else {
      if (c === ';' && triggerDepth === 0) push(i)
      i++
    }
  }
  push(text.length)
  return statements
}

function kindOf(sql: string): string {
  return (/^(CREATE\s+(UNIQUE\s+|TEMP\s+|TEMPORARY\s+)?\w+|ALTER\s+TABLE|DROP\s+\w+|\w+)/i.exec(sql)?.[0] ?? '')
    .replace(/\s+/g, ' ')
    .toUpperCase()
}
