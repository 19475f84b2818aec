import { skipQuotedOrComment } from '../../../db/drivers/mysql-parameters.js'
import type { ParsedStatement } from '../../../lint/sql/parse.js'

/**
 * Splits a MySQL script into statements, keeping each statement's line, as the `mysql` client does:
 * at the delimiter (`;`, or what a `DELIMITER` line sets, for routine and trigger bodies) outside
 * strings, quoted identifiers and comments. Without DELIMITER, the BEGIN ... END body of CREATE
 * PROCEDURE / FUNCTION / TRIGGER / EVENT (and MariaDB's BEGIN NOT ATOMIC) is kept whole, as Keel's own
 * rendered routines are written. MySQL has no parse tree to share: `node` is empty and `kind` is the
 * statement's first words.
 */
export function splitMysql(text: string): readonly ParsedStatement[] {
  const statements: ParsedStatement[] = []
  let delimiter = ';'
  let start = 0
  let depth = 0
  let i = 0
  const push = (end: number) => {
    const raw = text.slice(start, end)
    const lead = leadingNoise(raw)
    const sql = raw.slice(lead).trim()
    if (sql !== '') {
      const offset = start + lead
      statements.push({
        index: statements.length,
        sql,
        line: text.slice(0, offset).split('\n').length,
        offset,
        kind: kindOf(sql),
        node: {} as ParsedStatement['node'],
        nonTransactional: implicitCommit(sql),
      })
    }
  }
  while (i < text.length) {
    const skip = skipQuotedOrComment(text, i)
    if (skip > i) {
      i = skip
      continue
    }
    const current = text.slice(start, i)
    // `DELIMITER //` is the client's, first in a statement and alone on its line.
    if (leadingNoise(current) === current.length && /^delimiter\s/i.test(text.slice(i, i + 10))) {
      const eol = text.indexOf('\n', i)
      const end = eol === -1 ? text.length : eol
      delimiter = text.slice(i + 'delimiter'.length, end).trim() || ';'
      i = end
      start = end
      depth = 0
      continue
    }
    if (delimiter === ';' && /[A-Za-z]/.test(text[i] ?? '') && !/[A-Za-z0-9_$]/.test(text[i - 1] ?? '')) {
      const word = /^[A-Za-z0-9_$]+/.exec(text.slice(i, i + 64))?.[0] ?? ''
      depth = nextDepth(depth, word.toUpperCase(), current, text.slice(i + word.length))
      i += word.length
      continue
    }
    if (depth === 0 && text.startsWith(delimiter, i)) {
      push(i)
      i += delimiter.length
      start = i
      continue
    }
    i++
  }
  push(text.length)
  return statements
}

/** Blocks that END closes inside a routine body; `END IF` and the like name the block they close. */
const BLOCKS = new Set(['IF', 'CASE', 'LOOP', 'WHILE', 'REPEAT'])

/**
 * The nesting of compound statements after `word`, counted only inside a routine, trigger or event
 * definition: a BEGIN there opens a body; IF, LOOP, WHILE and REPEAT open a block only where a statement
 * starts (not IF(a, b, c) or REPEAT(s, n), the functions, nor IF NOT EXISTS); CASE always does (an expression's
 * CASE ends with END too); END closes one, and the IF of `END IF` opens nothing.
 */
function nextDepth(depth: number, word: string, before: string, after: string): number {
  if (word === 'END') return Math.max(0, depth - 1)
  if (depth === 0) {
    if (word === 'BEGIN' && (isRoutineDefinition(before) || /^\s+NOT\s+ATOMIC\b/i.test(after))) return 1
    return 0
  }
  if (word === 'BEGIN' || word === 'CASE') return /^\s*END\s*$/i.test(lastWord(before)) ? depth : depth + 1
  if (!BLOCKS.has(word)) return depth
  if (/\bEND\s*$/i.test(before)) return depth
  if ((word === 'IF' || word === 'REPEAT') && isFunctionCall(after)) return depth
  const statementStart = /(;|\bBEGIN|\bTHEN|\bELSE|\bDO|\bLOOP|\bREPEAT|:)\s*$/i.test(stripComments(before))
  return statementStart ? depth + 1 : depth
}

/** IF(a, b, c) and REPEAT(s, n), the functions: an opening parenthesis whose group holds a comma at its top level. */
function isFunctionCall(after: string): boolean {
  const open = /^\s*\(/.exec(after)
  if (open === null) return false
  let depth = 0
  for (let i = open[0].length - 1; i < after.length; ) {
    const skip = skipQuotedOrComment(after, i)
    if (skip > i) {
      i = skip
      continue
    }
    const c = after[i]
    if (c === '(') depth++
    else if (c === ')' && --depth === 0) return false
    else if (c === ',' && depth === 1) return true
    i++
  }
  return false
}

function lastWord(text: string): string {
  return /(\w+)\s*$/.exec(text)?.[1] ?? ''
}

function stripComments(text: string): string {
  return text.replace(/--\s[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\//g, ' ')
}

/** CREATE [OR REPLACE] [DEFINER = ...] [AGGREGATE] PROCEDURE | FUNCTION | TRIGGER | EVENT. */
function isRoutineDefinition(statement: string): boolean {
  const head = statement.slice(leadingNoise(statement))
  return /^CREATE\s+(OR\s+REPLACE\s+)?(DEFINER\s*=\s*(\S+|'[^']*'@'[^']*'|`[^`]*`@`[^`]*`)\s+)?(AGGREGATE\s+)?(PROCEDURE|FUNCTION|TRIGGER|EVENT)\b/i.test(
    head,
  )
}

/** Whitespace and plain comments in front of a statement (executable `/*! ... *\/` comments are SQL). */
function leadingNoise(text: string): number {
  return /^(\s|--\s[^\n]*(\n|$)|#[^\n]*(\n|$)|\/\*(?!!|M!)[\s\S]*?\*\/)*/.exec(text)?.[0].length ?? 0
}

function kindOf(sql: string): string {
  return (
    /^(CREATE\s+(OR\s+REPLACE\s+)?(UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+|TEMPORARY\s+)?\w+|ALTER\s+TABLE|DROP\s+\w+|\w+)/i.exec(
      sql,
    )?.[0] ?? ''
  )
    .replace(/\s+/g, ' ')
    .toUpperCase()
}

/**
 * Why a statement commits implicitly (MySQL ends the open transaction before it and commits after it),
 * or undefined for one that can share a transaction with its journal progress. DDL, account and
 * table-maintenance statements do; temporary tables do not (InnoDB).
 * https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html
 */
export function implicitCommit(sql: string): string | undefined {
  const head = sql.replace(/^\/\*(?:!|M!)\d*\s*/, '')
  if (/^(CREATE|DROP)\s+TEMPORARY\s+TABLE\b/i.test(head)) return undefined
  const m =
    /^(CREATE|ALTER|DROP|RENAME|TRUNCATE|GRANT|REVOKE|ANALYZE|OPTIMIZE|REPAIR|CHECK\s+TABLE|FLUSH|LOCK\s+TABLES|UNLOCK\s+TABLES|INSTALL|UNINSTALL|LOAD\s+INDEX|CACHE\s+INDEX|SET\s+PASSWORD)\b/i.exec(
      head,
    )
  return m === null ? undefined : `${kindOf(head)} (MySQL commits DDL implicitly)`
}
