import type { ParsedStatement } from './sql/parse.js'

/** A `-- keel:lint-ignore RULE[,RULE...] reason` comment. */
export interface LintIgnoreComment {
  readonly rules: readonly string[]
  readonly reason: string
  /** 1-based line of the comment. */
  readonly line: number
  /** 1-based column of the comment. */
  readonly column: number
  /** The statement (index) it applies to, or undefined for the whole file (a comment above the first statement). */
  readonly statement: number | undefined
}

const IGNORE = /--\s*keel:lint-ignore\b(.*)$/

/**
 * Finds the lint-ignore comments of a file and what each applies to. A comment on lines of its own applies to
 * the next statement, or to the whole file when it sits among the leading comments above the first statement;
 * a comment at the end of a line of SQL applies to the statement on that line.
 */
export function readIgnores(text: string, statements: readonly ParsedStatement[]): readonly LintIgnoreComment[] {
  // Most files have none: one search instead of splitting every line (lint reads each file `keel migrate` runs).
  if (!text.includes('keel:lint-ignore')) return []
  const result: LintIgnoreComment[] = []
  const lines = text.split(/\r\n?|\n/)
  const firstLine = statements[0]?.line ?? Number.POSITIVE_INFINITY
  for (const [i, raw] of lines.entries()) {
    const match = IGNORE.exec(raw)
    if (match === null || isInsideStringOrBody(raw, match.index)) continue
    const line = i + 1
    const [list = '', ...reason] = (match[1] ?? '').trim().split(/\s+/)
    const trailing = raw.slice(0, match.index).trim() !== ''
    let statement: number | undefined
    if (trailing) statement = lastIndex(statements, (s) => s.line <= line)
    else if (line < firstLine) statement = undefined
    else statement = statements.find((s) => s.line > line)?.index ?? lastIndex(statements, (s) => s.line <= line)
    result.push({
      rules: list.split(',').filter((r) => r !== ''),
      reason: reason.join(' '),
      line,
      column: match.index + 1,
      statement,
    })
  }
  return result
}

/** A `--` inside a quoted string on the same line is not a comment (a cheap check; dollar bodies rarely hold it). */
function isInsideStringOrBody(line: string, at: number): boolean {
  const quotes = line.slice(0, at).split("'").length - 1
  return quotes % 2 === 1
}

function lastIndex(statements: readonly ParsedStatement[], test: (s: ParsedStatement) => boolean): number | undefined {
  for (let i = statements.length - 1; i >= 0; i--) if (test(statements[i] as ParsedStatement)) return i
  return undefined
}
