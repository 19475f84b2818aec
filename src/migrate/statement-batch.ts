import { type PreparedStatement, StatementFailure } from './prepare-statements.js'

/**
 * A StatementBatch is a transactional group's statements joined into one simple-query text, so that
 * the whole group costs one round trip. It remembers where each statement starts, so that a server
 * error's `position` (relative to the whole text) leads back to the statement and its file:line.
 */
export interface StatementBatch {
  readonly text: string
  readonly statements: readonly PreparedStatement[]
  /** 0-based offset of each statement in `text`, in characters as PostgreSQL counts them (code points). */
  readonly starts: readonly number[]
  /** Length of each statement in code points. */
  readonly lengths: readonly number[]
}

// The newline before the semicolon ends a trailing `-- comment` of the statement, which would otherwise
// swallow the semicolon and join the next statement to this one.
const SEPARATOR = '\n;\n'

/**
 * Joins `statements` after `prefix` (which must end a statement of its own, e.g. `BEGIN;\n`).
 *
 * @example
 * ```ts
 * batchStatements('BEGIN;\n', statements).text // 'BEGIN;\ncreate table a (id int)\n;\ninsert into a values (1)'
 * ```
 */
export function batchStatements(prefix: string, statements: readonly PreparedStatement[]): StatementBatch {
  const parts = [prefix]
  const starts: number[] = []
  const lengths: number[] = []
  let at = codePointLength(prefix)
  for (const [i, statement] of statements.entries()) {
    if (i > 0) {
      parts.push(SEPARATOR)
      at += SEPARATOR.length
    }
    const length = codePointLength(statement.sql)
    starts.push(at)
    lengths.push(length)
    parts.push(statement.sql)
    at += length
  }
  return { text: parts.join(''), statements, starts, lengths }
}

/**
 * Joins batches into one text, each followed by its `suffix` (which ends its own statements, e.g. a journal
 * row and `COMMIT`) and separated by `;\n`: several migrations in one round trip. The offsets shift with the
 * text, so that failureAt finds a statement of any of them.
 */
export function joinBatches(
  parts: readonly { readonly batch: StatementBatch; readonly suffix: string }[],
): StatementBatch {
  const texts: string[] = []
  const statements: PreparedStatement[] = []
  const starts: number[] = []
  const lengths: number[] = []
  let at = 0
  for (const { batch, suffix } of parts) {
    if (texts.length > 0) {
      texts.push(';\n')
      at += 2
    }
    statements.push(...batch.statements)
    starts.push(...batch.starts.map((start) => start + at))
    lengths.push(...batch.lengths)
    texts.push(batch.text, suffix)
    at += codePointLength(batch.text) + codePointLength(suffix)
  }
  return { text: texts.join(''), statements, starts, lengths }
}

/**
 * About how much SQL one round trip carries: a transactional group of a large file (a data load of many
 * INSERTs) goes in several texts of this size within its one transaction, rather than as one text (and
 * one driver buffer) the size of the file.
 */
export const BATCH_CHARS = 1024 * 1024

/**
 * Consecutive runs of `statements` of at most about `maxChars` of SQL each (a larger statement is a run of
 * its own), in order.
 */
export function inBatches(
  statements: readonly PreparedStatement[],
  maxChars = BATCH_CHARS,
): readonly (readonly PreparedStatement[])[] {
  const runs: PreparedStatement[][] = []
  let run: PreparedStatement[] = []
  let chars = 0
  for (const statement of statements) {
    if (run.length > 0 && chars + statement.sql.length > maxChars) {
      runs.push(run)
      run = []
      chars = 0
    }
    run.push(statement)
    chars += statement.sql.length + SEPARATOR.length
  }
  if (run.length > 0) runs.push(run)
  return runs
}

/**
 * The statement a server error points into, as a StatementFailure whose position is relative to that
 * statement; undefined when the error carries no position or points outside every statement (into the
 * prefix, say). `serverEncoding` is the database's (Connection.serverEncoding): PostgreSQL counts the position
 * in characters of the database's encoding, code points but in a SQL_ASCII database, where every byte is a
 * character (the UTF-8 text is taken as it comes, unconverted), so multibyte text before the error counts more.
 */
export function failureAt(
  batch: StatementBatch,
  error: unknown,
  serverEncoding?: string,
): StatementFailure | undefined {
  const raw = (error as { position?: unknown } | undefined)?.position
  const position = raw === undefined || raw === null ? Number.NaN : Number(raw)
  if (!Number.isInteger(position) || position < 1) return undefined
  const offset = serverEncoding === 'SQL_ASCII' ? codePointsInBytes(batch.text, position - 1) : position - 1
  const k = lastAtOrBefore(batch.starts, offset)
  const statement = batch.statements[k]
  if (statement === undefined) return undefined
  const within = offset - (batch.starts[k] as number)
  // Up to one past the end: "at end of input"-style positions, or the separator's newline.
  if (within > (batch.lengths[k] as number)) return undefined
  return new StatementFailure(statement, error, { position: stringIndexOf(statement.sql, within) + 1 })
}

/** Index of the last element of ascending `values` that is <= `target`, or -1. */
function lastAtOrBefore(values: readonly number[], target: number): number {
  let low = 0
  let high = values.length
  while (low < high) {
    const mid = (low + high) >> 1
    if ((values[mid] as number) <= target) low = mid + 1
    else high = mid
  }
  return low - 1
}

/** Length in code points: what PostgreSQL counts as characters in a UTF-8 database. */
export function codePointLength(text: string): number {
  let pairs = 0
  for (let i = 0; i < text.length - 1; i++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
      pairs++
      i++
    }
  }
  return text.length - pairs
}

/** How many code points of `text` its first `bytes` bytes of UTF-8 hold (a code point cut short counts). */
export function codePointsInBytes(text: string, bytes: number): number {
  let count = 0
  let used = 0
  for (const char of text) {
    if (used >= bytes) break
    const code = char.codePointAt(0) as number
    used += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
    count++
  }
  return count
}

/** The JS string index of the code point at `codePoints` (clamped to the end of the string). */
export function stringIndexOf(text: string, codePoints: number): number {
  let index = 0
  for (let n = 0; n < codePoints && index < text.length; n++) {
    const pair =
      isHighSurrogate(text.charCodeAt(index)) && index + 1 < text.length && isLowSurrogate(text.charCodeAt(index + 1))
    index += pair ? 2 : 1
  }
  return index
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
