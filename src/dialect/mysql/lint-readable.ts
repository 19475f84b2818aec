import { skipQuotedOrComment } from '../../db/drivers/mysql-parameters.js'
import { topLevelCommaSplit } from './runner/statement-text.js'

/**
 * A MySQL statement respelled for node-sql-parser's MySQL grammar, which lint reads statements with
 * (statement-parse.ts), and the way back from a position in the respelled text to the statement's own.
 */
export interface ReadableStatement {
  readonly text: string
  /** The offset in the original statement of an offset in `text`. */
  readonly original: (offset: number) => number
  /**
   * Whether nothing is left for the parser to read: every alter specification was one that the tree readers do
   * not need (lint/sql/mysql-ast.ts reads only added columns, indexes and foreign keys) and the grammar lacks.
   */
  readonly nothingToRead: boolean
}

interface Edit {
  readonly start: number
  readonly end: number
  readonly text: string
}

/**
 * Spellings MySQL and MariaDB accept that node-sql-parser's grammar (5.x) refuses, each replaced by one it reads
 * with the same meaning for what lint reads from the tree (added columns, indexes and foreign keys; the rules that
 * read types, character sets and algorithms read the statement's own text, lint/sql/mysql-statement.ts):
 * - synonyms of types: NVARCHAR, NCHAR, NATIONAL [VAR]CHAR[ACTER], CHARACTER [VARYING], BOOL, DOUBLE PRECISION,
 *   SERIAL (BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE: its unique index is kept, it can serve a foreign key);
 * - words that change nothing the tree says: a column's SRID n, INVISIBLE and VISIBLE, MariaDB's IF [NOT] EXISTS
 *   inside ALTER TABLE, WAIT n and NOWAIT, ALTER ONLINE/IGNORE TABLE, CREATE OR REPLACE TABLE;
 * - whole ALTER TABLE specifications that add no column, index or foreign key: ALTER [COLUMN] ... SET/DROP
 *   DEFAULT, ALTER INDEX ... [IN]VISIBLE, RENAME INDEX/KEY, FORCE, CONVERT TO CHARACTER SET, partition
 *   maintenance (REORGANIZE, COALESCE, EXCHANGE, ANALYZE, CHECK, OPTIMIZE, REBUILD, REPAIR, DISCARD, IMPORT,
 *   REMOVE PARTITIONING), PARTITION BY, ORDER BY, DISABLE/ENABLE KEYS, and MariaDB's system versioning;
 * - MariaDB's UUID, INET6 and INET4 (as the BINARY they store), and CREATE [OR REPLACE] [ONLINE] INDEX [IF NOT
 *   EXISTS].
 * Everything else reaches the parser as written, and a refusal there still names its place in the statement.
 */
export function readableForParser(sql: string): ReadableStatement {
  const masked = maskQuotedAndComments(sql)
  const edits: Edit[] = []
  const replace = (pattern: RegExp, by: (m: RegExpExecArray) => string, group = 0) => {
    const matches = pattern.global ? [...masked.matchAll(pattern)] : [pattern.exec(masked)].filter((m) => m !== null)
    for (const m of matches) {
      const start = (m.index ?? 0) + (group === 0 ? 0 : m[0].indexOf(m[group] ?? ''))
      const length = (group === 0 ? m[0] : (m[group] ?? '')).length
      edits.push({ start, end: start + length, text: by(m as RegExpExecArray) })
    }
  }
  // A type follows a column's name where a column definition starts: after `(` or `,` of CREATE TABLE, or ADD,
  // MODIFY [COLUMN] name, or CHANGE [COLUMN] old new (so that a column named uuid or nchar keeps its name).
  const name =
    '(?:`[^`]*`|(?!(?:ADD|ALTER|CHANGE|COLUMN|CONSTRAINT|DROP|EXISTS|FOREIGN|FULLTEXT|IF|INDEX|KEY|MODIFY|NOT|PRIMARY|SPATIAL|UNIQUE|CHECK|PERIOD)\\b)[\\w$]+)'
  const typeAt = `(?<=(?:[(,]|\\b(?:ADD|MODIFY)(?:\\s+COLUMN)?(?:\\s+IF\\s+NOT\\s+EXISTS)?|\\bCHANGE(?:\\s+COLUMN)?(?:\\s+IF\\s+EXISTS)?\\s+${name})\\s*${name}\\s+)`
  replace(
    new RegExp(
      `${typeAt}\\b(?:NATIONAL\\s+(?:CHARACTER|CHAR)\\s+VARYING|NCHAR\\s+VARYING|NATIONAL\\s+VARCHAR|NVARCHAR|CHARACTER\\s+VARYING)\\b(?=\\s*\\()`,
      'gi',
    ),
    () => 'VARCHAR',
  )
  replace(
    new RegExp(
      `${typeAt}\\b(?:NATIONAL\\s+(?:CHARACTER|CHAR)|NCHAR|CHARACTER)\\b(?=\\s*[(,)]|\\s+(?:NOT\\b|NULL\\b|DEFAULT\\b|COLLATE\\b|CHARACTER\\s+SET\\b|BINARY\\b)|\\s*$)`,
      'gi',
    ),
    () => 'CHAR',
  )
  replace(new RegExp(`${typeAt}\\bBOOL\\b`, 'gi'), () => 'BOOLEAN')
  // MariaDB's own types, as what they store.
  replace(new RegExp(`${typeAt}\\b(?:UUID|INET6)\\b(?!\\s*\\()`, 'gi'), () => 'BINARY(16)')
  replace(new RegExp(`${typeAt}\\bINET4\\b(?!\\s*\\()`, 'gi'), () => 'BINARY(4)')
  replace(new RegExp(`${typeAt}\\bDOUBLE\\s+PRECISION\\b`, 'gi'), () => 'DOUBLE')
  replace(new RegExp(`${typeAt}\\bSERIAL\\s+DEFAULT\\s+VALUE\\b`, 'gi'), () => 'NOT NULL AUTO_INCREMENT UNIQUE')
  replace(
    new RegExp(`${typeAt}\\bSERIAL\\b(?!\\s+DEFAULT\\s+VALUE)`, 'gi'),
    () => 'BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE',
  )
  replace(/\bSRID\s+\d+/gi, () => '')
  replace(/(?<!\bINDEX\s+(?:`[^`]*`|[\w$]+)\s+)\b(?:IN)?VISIBLE\b/gi, () => '')
  replace(
    /^\s*ALTER\s+(?:(?:ONLINE|IGNORE)\s+)*TABLE\s+(?:IF\s+EXISTS\s+)?(?:`[^`]*`|[\w$.]+)(\s+(?:WAIT\s+\d+|NOWAIT))\b/i,
    () => '',
    1,
  )
  replace(/^\s*ALTER\s+((?:(?:ONLINE|IGNORE)\s+)+)TABLE\b/i, () => '', 1)
  replace(/^\s*CREATE\s+(OR\s+REPLACE\s+)(?:TEMPORARY\s+)?TABLE\b/i, () => '', 1)
  // MariaDB's CREATE [OR REPLACE] [ONLINE|OFFLINE] ... INDEX [IF NOT EXISTS]
  const index =
    /^\s*CREATE\s+(OR\s+REPLACE\s+)?((?:ONLINE|OFFLINE)\s+)?(?:(?:UNIQUE|FULLTEXT|SPATIAL)\s+)?INDEX\s+(IF\s+NOT\s+EXISTS\s+)?/i.exec(
      masked,
    )
  if (index)
    for (const part of [index[1], index[2], index[3]])
      if (part !== undefined) {
        const start = (index.index ?? 0) + index[0].indexOf(part)
        edits.push({ start, end: start + part.length, text: '' })
      }
  const alter =
    /^\s*ALTER\s+(?:(?:ONLINE|IGNORE)\s+)*TABLE\s+(?:IF\s+EXISTS\s+)?(?:`[^`]*`|[\w$]+)(?:\s*\.\s*(?:`[^`]*`|[\w$]+))?(?:\s+(?:WAIT\s+\d+|NOWAIT))?/i.exec(
      masked,
    )
  let nothingToRead = false
  if (alter) {
    replace(/\bIF\s+(?:NOT\s+)?EXISTS\b/gi, () => '')
    nothingToRead = dropUnreadSpecifications(masked, alter[0].length, edits)
  }
  return apply(sql, edits, nothingToRead)
}

/** node-sql-parser's parser, as statement-parse.ts loads it. */
export interface MysqlGrammar {
  astify(sql: string, options?: object): unknown
}

/**
 * node-sql-parser's tree of a MySQL statement, read through readableForParser; undefined when nothing in it is
 * for the parser to read. A CREATE TABLE whose table options or partitioning the grammar refuses (`TABLESPACE`,
 * `STATS_PERSISTENT`, `PARTITION BY`, `WITH SYSTEM VERSIONING`, ...) is read again without them: its columns,
 * indexes and foreign keys are all in its definitions. A refusal throws the parser's error, its location and
 * the word it names (pegjs names only a character) in the statement's own text.
 */
export function astifyMysql(grammar: MysqlGrammar, sql: string): unknown {
  // Only CREATE and ALTER have spellings to respell; a megabyte of INSERT is not scanned for them.
  const readable = /^\s*(?:CREATE|ALTER)\b/i.test(sql) ? readableForParser(sql) : unchanged(sql)
  if (readable.nothingToRead) return undefined
  try {
    return grammar.astify(readable.text, { database: 'MySQL' })
  } catch (error) {
    const stop = (error as { location?: { start?: { offset?: number } } }).location?.start?.offset
    const head = stop === undefined ? undefined : definitionsEnd(readable.text)
    if (stop !== undefined && head !== undefined && stop >= head) {
      try {
        return grammar.astify(readable.text.slice(0, head), { database: 'MySQL' })
      } catch {
        // The definitions themselves are refused: report the first refusal, as it was.
      }
    }
    throw located(error, sql, stop === undefined ? undefined : readable.original(stop))
  }
}

/** The parser's error, at `offset` in the statement, naming the word found there. */
function located(error: unknown, sql: string, offset: number | undefined): unknown {
  if (offset === undefined || !(error instanceof Error)) return error
  const word = /^(?:[\w$]+|`[^`]*`|\S)/.exec(sql.slice(offset))?.[0]
  const message = word === undefined ? error.message : error.message.replace(/but .+ found\.?$/, `but "${word}" found.`)
  return Object.assign(new Error(message, { cause: error }), { location: { start: { offset } } })
}

/**
 * Where a CREATE TABLE's definitions list ends (after its closing parenthesis), when table options follow it and no
 * query (`AS SELECT`, `SELECT`, `LIKE`) whose columns the table takes; undefined otherwise.
 */
function definitionsEnd(text: string): number | undefined {
  const masked = maskQuotedAndComments(text)
  const open =
    /^\s*CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:`[^`]*`|[\w$]+)(?:\s*\.\s*(?:`[^`]*`|[\w$]+))?\s*\(/i.exec(
      masked,
    )
  if (open === null) return undefined
  let depth = 0
  for (let i = open[0].length - 1; i < masked.length; i++) {
    if (masked[i] === '(') depth++
    else if (masked[i] === ')' && --depth === 0) {
      const rest = masked.slice(i + 1)
      return /\b(?:SELECT|LIKE|AS|IGNORE|REPLACE)\b/i.test(rest) || rest.trim() === '' ? undefined : i + 1
    }
  }
  return undefined
}

/** ALTER TABLE specifications the grammar lacks and the tree readers do not need. */
const UNREAD_SPECIFICATION =
  /^\s*(?:ALTER\s+(?:COLUMN\s+)?(?:`[^`]*`|[\w$]+)\s+(?:SET\s+DEFAULT\b|DROP\s+DEFAULT\b|SET\s+(?:IN)?VISIBLE\b)|ALTER\s+INDEX\b|RENAME\s+(?:INDEX|KEY)\b|FORCE\b|CONVERT\s+TO\s+(?:CHARACTER\s+SET|CHARSET)\b|(?:REORGANIZE|COALESCE|EXCHANGE|ANALYZE|CHECK|OPTIMIZE|REBUILD|REPAIR|DISCARD|IMPORT|TRUNCATE)\s+PARTITION\b|REMOVE\s+PARTITIONING\b|PARTITION\s+BY\b|(?:ADD|DROP)\s+SYSTEM\s+VERSIONING\b|ORDER\s+BY\b|(?:DISABLE|ENABLE)\s+KEYS\b|ADD\s+PERIOD\s+FOR\b|DROP\s+PERIOD\s+FOR\b)/i

/**
 * Blanks the specifications of an ALTER TABLE (after its `head` characters) that UNREAD_SPECIFICATION matches,
 * with the comma that joins each to the others. Returns whether none is left.
 */
function dropUnreadSpecifications(masked: string, head: number, edits: Edit[]): boolean {
  const body = masked.slice(head)
  const specs = topLevelCommaSplit(body)
  let at = head
  const spans = specs.map((spec) => {
    const span = { start: at, end: at + spec.length, unread: UNREAD_SPECIFICATION.test(spec) }
    at += spec.length + 1
    return span
  })
  if (!spans.some((s) => s.unread)) return false
  const kept = spans.filter((s) => !s.unread)
  if (kept.length === 0) return true
  for (const [i, span] of spans.entries()) {
    if (!span.unread) continue
    // Its comma: the one after it, or (the last one) the one before it.
    const last = i === spans.length - 1
    edits.push({ start: last ? span.start - 1 : span.start, end: last ? span.end : span.end + 1, text: '' })
  }
  return false
}

function unchanged(sql: string): ReadableStatement {
  return { text: sql, original: (offset) => offset, nothingToRead: false }
}

/** Applies non-overlapping edits (an edit inside an earlier one is dropped) and keeps the way back. */
function apply(sql: string, all: readonly Edit[], nothingToRead: boolean): ReadableStatement {
  const edits: Edit[] = []
  for (const edit of [...all].sort((a, b) => a.start - b.start || b.end - a.end))
    if (edits.length === 0 || edit.start >= (edits.at(-1) as Edit).end) edits.push(edit)
  let text = ''
  let from = 0
  // Each replacement: where it starts and ends in `text`, and where what it replaced ended in `sql`.
  const marks: {
    readonly start: number
    readonly end: number
    readonly original: number
    readonly originalEnd: number
  }[] = []
  for (const edit of edits) {
    text += sql.slice(from, edit.start)
    // A replacement keeps a space on each side, so that it cannot join the words beside it.
    const replacement = edit.text === '' ? ' ' : ` ${edit.text} `
    marks.push({
      start: text.length,
      end: text.length + replacement.length,
      original: edit.start,
      originalEnd: edit.end,
    })
    text += replacement
    from = edit.end
  }
  text += sql.slice(from)
  const original = (offset: number): number => {
    let shift = 0
    for (const mark of marks) {
      if (offset < mark.start) break
      if (offset < mark.end) return mark.original
      shift = mark.end - mark.originalEnd
    }
    return offset - shift
  }
  return { text, original, nothingToRead }
}

/**
 * The statement with the inside of every string and comment replaced by spaces (same length, same offsets), so
 * that patterns match only SQL. Backquoted names are kept.
 */
function maskQuotedAndComments(sql: string): string {
  let out = ''
  let plain = 0
  for (let i = 0; i < sql.length; ) {
    const skip = skipQuotedOrComment(sql, i)
    if (skip === i) {
      i++
      continue
    }
    out += sql.slice(plain, i)
    const piece = sql.slice(i, skip)
    if (piece[0] === '`') out += piece
    else if (piece[0] === "'" || piece[0] === '"')
      out += `${piece[0]}${' '.repeat(Math.max(0, piece.length - 2))}${piece.length > 1 ? piece.at(-1) : ''}`
    else out += piece.replace(/[^\n]/g, ' ')
    i = skip
    plain = skip
  }
  return out + sql.slice(plain)
}
