import type { ParsedStatement } from '../../lint/sql/parse.js'

/**
 * The comment pg_dump writes at the top of every plain-format dump (since 8.x, unchanged through 17): the
 * banner, then "Dumped from database version" and "Dumped by pg_dump version". libpg_query keeps the comments
 * before the first statement in that statement's text, so the banner is part of `statements[0].sql`.
 */
const BANNER = /^--\n-- PostgreSQL database dump\n--\n[\s\S]*^-- Dumped by pg_dump version \d+[^\n]*\n/m

/**
 * The statements of a file with those of pg_dump's session header marked `dumpHeader` (see below); the same array
 * when the file does not start as a pg_dump does.
 */
export function markDumpHeader(text: string, statements: ParsedStatement[]): ParsedStatement[] {
  const n = pgDumpHeaderLength(text, statements)
  for (let i = 0; i < n; i++) statements[i] = { ...(statements[i] as ParsedStatement), dumpHeader: true }
  return statements
}

/**
 * How many statements at the top of a file are pg_dump's session header (`SET statement_timeout = 0;`,
 * `SET lock_timeout = 0;`, ... `SELECT pg_catalog.set_config('search_path', '', false);`), or 0 when the file
 * does not start as a pg_dump does. The header is the unbroken run of SET and set_config statements right
 * after the banner; the first other statement ends it, so a SET written further down is never part of it.
 */
function pgDumpHeaderLength(text: string, statements: readonly ParsedStatement[]): number {
  const first = statements[0]
  if (first === undefined || !BANNER.test(text.slice(0, first.offset).replace(/\r\n/g, '\n'))) return 0
  let n = 0
  while (n < statements.length && isSessionSetting(statements[n] as ParsedStatement)) n++
  return n
}

function isSessionSetting({ node, sql }: ParsedStatement): boolean {
  if ('VariableSetStmt' in node) return node.VariableSetStmt.kind === 'VAR_SET_VALUE' && !node.VariableSetStmt.is_local
  // pg_dump's only SELECT in the header: `SELECT pg_catalog.set_config('search_path', '', false);`
  return 'SelectStmt' in node && /^SELECT pg_catalog\.set_config\('search_path', '', false\)$/.test(lastLine(sql))
}

const lastLine = (sql: string): string => sql.trimEnd().split('\n').at(-1)?.trim() ?? ''
