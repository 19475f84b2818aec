import { type AlterSubscriptionStmt, loadModule, type Node, parse, type RawStmt } from 'libpg-query'
import { KeelError } from '../../errors.js'
import type { ParsedStatement } from '../../lint/sql/parse.js'
import { statementEnds } from '../../lint/sql/split-statements.js'
import { markDumpHeader } from './dump-header.js'

/**
 * Splits a SQL file into statements with the real PostgreSQL parser (libpg_query), keeping each
 * statement's start line and flagging the ones that cannot run inside a transaction block (and those of
 * pg_dump's session header, see dump-header.ts).
 * `pieceChars` is for tests (see below). A syntax error becomes `error[SQL_SYNTAX]` naming `file:line`.
 *
 * The parser is given the file a piece at a time (whole statements, about {@link PIECE_CHARS} each, cut
 * where lint/sql/split-statements.ts finds a statement's end), so that memory follows the largest statement
 * rather than the file: a whole 50 MB file's parse tree is about 47 times its size. For the same reason
 * an INSERT's VALUES list keeps only its first row in `node` (rows are data: no rule and no runner
 * decision reads them), and a single statement over {@link MAX_STATEMENT_CHARS} is refused.
 *
 * @example
 * ```ts
 * const statements = await parseSql('create table t (id int);\ncreate index concurrently on t (id);', 'up.sql')
 * statements[1].nonTransactional // 'CREATE INDEX CONCURRENTLY'
 * ```
 */
export async function parseSql(
  text: string,
  file: string,
  pieceChars = PIECE_CHARS,
): Promise<readonly ParsedStatement[]> {
  // First, even for an empty text (the runner preloads the parser with one: preload-parser.ts).
  await loadParser()
  if (text.trim() === '') return []
  const result: ParsedStatement[] = []
  const lines = new LineCounter(text)
  // Where the current piece starts in the file's UTF-8 bytes, which the parser's locations count.
  let byte = 0
  let byteCounted = 0
  for (const piece of pieces(text, file, pieceChars)) {
    byte += Buffer.byteLength(text.slice(byteCounted, piece.start), 'utf8')
    byteCounted = piece.start
    let stmts: readonly RawStmt[]
    let end = piece.end
    try {
      stmts = (await parse(text.slice(piece.start, end))).stmts ?? []
    } catch (error) {
      // The scan and the parser disagree (a bug of the scan) or the SQL is wrong: the rest of the file as
      // one piece settles which, as the whole file once did, unless that is too large to parse at once.
      if (text.length - piece.start > FALLBACK_CHARS) throw syntaxError(error, text, file, piece.start)
      end = text.length
      try {
        stmts = (await parse(text.slice(piece.start))).stmts ?? []
      } catch (again) {
        throw syntaxError(again, text, file, piece.start)
      }
    }
    addStatements(result, stmts, text, { from: piece.start, to: end, byte }, lines)
    if (end === text.length) break
  }
  return markDumpHeader(text, result)
}

/**
 * Waits for libpg_query's WebAssembly, and says so when it does not load. Importing the package starts loading it,
 * and that promise gets its only handler when something waits for it: until then a failure is an unhandled
 * rejection, which ends the process in the middle of a run (a run whose first migration is a migration.ts: the
 * preload imported the parser, and nothing parsed yet). Waited for here, it has one from the first call on; and a
 * parser that cannot load is not reported as a syntax error in the migration being read.
 */
async function loadParser(): Promise<void> {
  try {
    await loadModule()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new KeelError(
      'INTERNAL',
      `could not load the SQL parser (libpg_query's WebAssembly): ${message}`,
      "Reinstall Keel's dependencies (npm ci); if the error stays, run again with KEEL_DEBUG=1 and report it.",
      { cause: error },
    )
  }
}

/** A piece of a file handed to the parser at once: whole statements, unless one statement is larger. */
export const PIECE_CHARS = 256 * 1024

/**
 * Above this a single statement is refused: its parse tree alone would take gigabytes (a multi-row INSERT's
 * tree is about 47 times its text). It is what a whole migration file was limited to before files were
 * parsed a piece at a time.
 */
export const MAX_STATEMENT_CHARS = 16 * 1024 * 1024

/** When a piece fails to parse, the rest of the file is parsed at once only up to this size. */
const FALLBACK_CHARS = 4 * 1024 * 1024

/** Consecutive statements of `text` in pieces of about PIECE_CHARS, as [start, end) character ranges. */
function* pieces(
  text: string,
  file: string,
  pieceChars: number,
): Generator<{ readonly start: number; readonly end: number }> {
  let start = 0
  let last = 0
  for (const semicolon of statementEnds(text)) {
    if (semicolon - last > MAX_STATEMENT_CHARS) throw tooLarge(text, file, last, semicolon)
    last = semicolon + 1
    if (semicolon - start >= pieceChars) {
      yield { start, end: semicolon }
      start = semicolon + 1
    }
  }
  if (text.length - last > MAX_STATEMENT_CHARS && text.slice(last).trim() !== '')
    throw tooLarge(text, file, last, text.length)
  if (start < text.length) yield { start, end: text.length }
}

function tooLarge(text: string, file: string, start: number, end: number): KeelError {
  const lead = text.slice(start, start + 4096).search(/\S/)
  const line = lineAtChar(text, start + Math.max(0, lead))
  return new KeelError(
    'MIGRATIONS_DIR',
    `${file}:${line}: one statement of ${((end - start) / 1024 / 1024).toFixed(1)} MB; a statement is limited to ${MAX_STATEMENT_CHARS / 1024 / 1024} MB`,
    'Split it into several statements (an INSERT of fewer rows each), or load bulk data with COPY or a TypeScript migration that streams it.',
  )
}

/** Adds the statements the parser found in text[from, to) to `result`. */
function addStatements(
  result: ParsedStatement[],
  stmts: readonly RawStmt[],
  text: string,
  { from, to, byte }: { readonly from: number; readonly to: number; readonly byte: number },
  lines: LineCounter,
): void {
  const piece = text.slice(from, to)
  // libpg_query reports byte offsets into the UTF-8 text; pure ASCII (the usual case) has one byte a character.
  const chars = Buffer.byteLength(piece, 'utf8') === piece.length ? undefined : mapBytesToChars(piece)
  const charOf = (byte: number) => (chars === undefined ? byte : (chars.get(byte) ?? byte))
  for (const raw of stmts) {
    if (raw.stmt === undefined) continue
    const start = charOf(raw.stmt_location ?? 0)
    // A length of 0 (omitted) means "to the end".
    const end =
      raw.stmt_len === undefined || raw.stmt_len === 0 ? piece.length : charOf((raw.stmt_location ?? 0) + raw.stmt_len)
    const kind = Object.keys(raw.stmt)[0] ?? 'Unknown'
    result.push({
      index: result.length,
      sql: piece.slice(start, end).trimEnd(),
      line: lines.lineAt(from + start),
      offset: from + start,
      kind,
      node: shiftLocations(withFirstRowOnly(raw.stmt), byte),
      nonTransactional: nonTransactionalReason(raw.stmt),
    })
  }
}

/** The parse tree's fields that hold a byte offset into the parsed text. */
const LOCATIONS = new Set([
  'location',
  'stmt_location',
  'list_start',
  'list_end',
  'rexpr_list_start',
  'rexpr_list_end',
  'name_location',
])

/**
 * Makes a piece's tree's locations offsets into the whole file, as parsing the whole file gave them. (A
 * location of 0, the piece's first byte, is omitted by libpg_query's JSON and stays omitted: readers fall back
 * to the statement's start, which it is.)
 */
function shiftLocations<T>(node: T, by: number): T {
  if (by === 0) return node
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item)
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>
      for (const key of Object.keys(record)) {
        const field = record[key]
        if (typeof field === 'number') {
          if (field >= 0 && LOCATIONS.has(key)) record[key] = field + by
        } else if (typeof field === 'object') visit(field)
      }
    }
  }
  visit(node)
  return node
}

/** An INSERT ... VALUES statement's tree with only its first row (see parseSql). */
function withFirstRowOnly(node: Node): Node {
  if (!('InsertStmt' in node)) return node
  const select = node.InsertStmt.selectStmt
  if (select === undefined || !('SelectStmt' in select)) return node
  const rows = select.SelectStmt.valuesLists
  if (rows === undefined || rows.length <= 1) return node
  const first = { SelectStmt: { ...select.SelectStmt, valuesLists: rows.slice(0, 1) } }
  return { InsertStmt: { ...node.InsertStmt, selectStmt: first } }
}

/**
 * Why a statement cannot run inside a transaction block, or undefined. `ALTER TYPE ... ADD VALUE`
 * may run in a transaction since PostgreSQL 12, but the new value cannot be used before it commits,
 * so it is treated as needing its own commit.
 */
export function nonTransactionalReason(node: Node): string | undefined {
  if ('IndexStmt' in node) return node.IndexStmt.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined
  if ('DropStmt' in node) return node.DropStmt.concurrent ? 'DROP INDEX CONCURRENTLY' : undefined
  if ('ReindexStmt' in node) {
    const stmt = node.ReindexStmt
    if (stmt.params?.some((p) => 'DefElem' in p && p.DefElem.defname === 'concurrently')) return 'REINDEX CONCURRENTLY'
    if (stmt.kind === 'REINDEX_OBJECT_DATABASE' || stmt.kind === 'REINDEX_OBJECT_SYSTEM')
      return 'REINDEX DATABASE/SYSTEM'
    if (stmt.kind === 'REINDEX_OBJECT_SCHEMA') return 'REINDEX SCHEMA'
    return undefined
  }
  if ('VacuumStmt' in node) return node.VacuumStmt.is_vacuumcmd ? 'VACUUM' : undefined
  // CLUSTER without a table reclusters every clustered table, one transaction each.
  if ('ClusterStmt' in node) return node.ClusterStmt.relation === undefined ? 'CLUSTER' : undefined
  if ('DiscardStmt' in node) return node.DiscardStmt.target === 'DISCARD_ALL' ? 'DISCARD ALL' : undefined
  if ('AlterDatabaseStmt' in node) {
    const moves = node.AlterDatabaseStmt.options?.some((o) => 'DefElem' in o && o.DefElem.defname === 'tablespace')
    return moves ? 'ALTER DATABASE ... SET TABLESPACE' : undefined
  }
  if ('CreatedbStmt' in node) return 'CREATE DATABASE'
  if ('DropdbStmt' in node) return 'DROP DATABASE'
  if ('AlterSystemStmt' in node) return 'ALTER SYSTEM'
  if ('CreateTableSpaceStmt' in node) return 'CREATE TABLESPACE'
  if ('DropTableSpaceStmt' in node) return 'DROP TABLESPACE'
  if ('CreateSubscriptionStmt' in node) return 'CREATE SUBSCRIPTION'
  if ('DropSubscriptionStmt' in node) return 'DROP SUBSCRIPTION'
  if ('AlterSubscriptionStmt' in node) return alterSubscriptionReason(node.AlterSubscriptionStmt)
  if ('AlterEnumStmt' in node) {
    // RENAME VALUE sets oldVal; ADD VALUE does not.
    return node.AlterEnumStmt.oldVal === undefined ? 'ALTER TYPE ... ADD VALUE' : undefined
  }
  if ('AlterTableStmt' in node) {
    const detaches = node.AlterTableStmt.cmds?.some(
      (cmd) =>
        'AlterTableCmd' in cmd &&
        cmd.AlterTableCmd.subtype === 'AT_DetachPartition' &&
        cmd.AlterTableCmd.def !== undefined &&
        'PartitionCmd' in cmd.AlterTableCmd.def &&
        cmd.AlterTableCmd.def.PartitionCmd.concurrent === true,
    )
    return detaches ? 'DETACH PARTITION CONCURRENTLY' : undefined
  }
  return undefined
}

/**
 * ALTER SUBSCRIPTION ... REFRESH PUBLICATION, and SET/ADD/DROP PUBLICATION unless `refresh = false`,
 * refresh the subscription, which PostgreSQL refuses in a transaction block.
 */
function alterSubscriptionReason(stmt: AlterSubscriptionStmt): string | undefined {
  if (stmt.kind === 'ALTER_SUBSCRIPTION_REFRESH') return 'ALTER SUBSCRIPTION ... REFRESH'
  const publication = [
    'ALTER_SUBSCRIPTION_SET_PUBLICATION',
    'ALTER_SUBSCRIPTION_ADD_PUBLICATION',
    'ALTER_SUBSCRIPTION_DROP_PUBLICATION',
  ]
  if (stmt.kind === undefined || !publication.includes(stmt.kind)) return undefined
  const refresh = stmt.options?.find((o) => 'DefElem' in o && o.DefElem.defname === 'refresh')
  const off =
    refresh !== undefined &&
    'DefElem' in refresh &&
    refresh.DefElem.arg !== undefined &&
    'String' in refresh.DefElem.arg &&
    /^(false|off|0)$/i.test(refresh.DefElem.arg.String.sval ?? '')
  return off ? undefined : 'ALTER SUBSCRIPTION ... PUBLICATION (refresh)'
}

function syntaxError(error: unknown, text: string, file: string, from: number): KeelError {
  const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails
  const message = error instanceof Error ? error.message : String(error)
  // libpg_query's cursorPosition is a 0-based character offset into the text it was given (from `from` on).
  const cursor = details?.cursorPosition
  const line = cursor === undefined || cursor < 0 ? undefined : lineAtChar(text, from + cursor)
  const where = line === undefined ? file : `${file}:${line}`
  return new KeelError('SQL_SYNTAX', `${where}: ${message}`, undefined, { cause: error })
}

function lineAtChar(text: string, offset: number): number {
  let line = 1
  const stop = Math.min(offset, text.length)
  for (let i = 0; i < stop; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/** Lines of offsets asked in ascending order, counted in one pass over the text. */
class LineCounter {
  private at = 0
  private line = 1

  constructor(private readonly text: string) {}

  /** The 1-based line of a character offset, not below any asked before. */
  lineAt(offset: number): number {
    for (let nl = this.text.indexOf('\n', this.at); nl !== -1 && nl < offset; nl = this.text.indexOf('\n', nl + 1)) {
      this.line++
      this.at = nl + 1
    }
    return this.line
  }
}

function mapBytesToChars(text: string): Map<number, number> {
  const map = new Map<number, number>()
  let byte = 0
  for (let i = 0; i < text.length; i++) {
    map.set(byte, i)
    const code = text.codePointAt(i) as number
    if (code > 0xffff) {
      byte += 4
      i++
    } else byte += code < 0x80 ? 1 : code < 0x800 ? 2 : 3
  }
  map.set(byte, text.length)
  return map
}

/** Statements longer than this are not given a borrowed tree (bulk INSERTs: no rule reads their rows). */
const MAX_BORROWED_CHARS = 256 * 1024

/**
 * PostgreSQL's parse tree of a statement written for another dialect (MySQL, SQLite), when PostgreSQL's grammar
 * reads it the same way: DROP TABLE, ALTER TABLE ... DROP/RENAME COLUMN, RENAME TO, TRUNCATE, UPDATE and DELETE
 * are spelled alike, so the rules that hold on every dialect (a drop loses data, a rename breaks the running
 * release) see them. Backquoted names (MySQL's, and SQLite's for compatibility) are read as quoted
 * identifiers, in lowercase as the MySQL rules and live facts key tables: PostgreSQL has no backquotes, so this
 * changes nothing it could read. Undefined when PostgreSQL reads
 * something else or nothing (`ENGINE=InnoDB`, `AUTOINCREMENT`, `MODIFY`): those statements are left to the
 * dialect's own rules. `byte` is the statement's UTF-8 offset in its file, so locations point into the file.
 */
export async function borrowPostgresTree(
  sql: string,
  byte: number,
): Promise<{ readonly node: Node; readonly kind: string } | undefined> {
  if (sql.length > MAX_BORROWED_CHARS) return undefined
  try {
    const stmts = (await parse(sql.replace(/`([^`]*)`/g, (_, name: string) => `"${name.toLowerCase()}"`))).stmts ?? []
    const only = stmts.length === 1 ? stmts[0]?.stmt : undefined
    if (only === undefined) return undefined
    return { node: shiftLocations(withFirstRowOnly(only), byte), kind: Object.keys(only)[0] ?? 'Unknown' }
  } catch {
    return undefined
  }
}
