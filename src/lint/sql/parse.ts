import { type AlterSubscriptionStmt, type Node, parse, type RawStmt } from 'libpg-query'
import { KeelError } from '../../errors.js'

/**
 * A ParsedStatement is one top-level SQL statement of a file, as the real PostgreSQL parser sees
 * it: its text, where it starts, its parse tree, and whether PostgreSQL lets it run inside a
 * transaction block.
 */
export interface ParsedStatement {
  /** 0-based position in the file's statement list. */
  readonly index: number
  /** The statement as written, without the terminating semicolon. */
  readonly sql: string
  /** 1-based line of the file on which the statement starts. */
  readonly line: number
  /** 0-based character offset of the statement in the file. */
  readonly offset: number
  /** The node type of the statement (`CreateStmt`, `IndexStmt`, ...). */
  readonly kind: string
  /** The parse tree (libpg_query's JSON), for linters and the runner's probes. */
  readonly node: Node
  /**
   * Why the statement must run on its own, outside a transaction block (`CREATE INDEX CONCURRENTLY`),
   * or undefined for an ordinary statement.
   */
  readonly nonTransactional: string | undefined
}

/**
 * Splits a SQL file into statements with the real PostgreSQL parser (libpg_query), keeping each
 * statement's start line and flagging the ones that cannot run inside a transaction block.
 * A syntax error becomes `error[SQL_SYNTAX]` naming `file:line`.
 *
 * @example
 * ```ts
 * const statements = await parseSql('create table t (id int);\ncreate index concurrently on t (id);', 'up.sql')
 * statements[1].nonTransactional // 'CREATE INDEX CONCURRENTLY'
 * ```
 */
export async function parseSql(text: string, file: string): Promise<readonly ParsedStatement[]> {
  if (text.trim() === '') return []
  let stmts: readonly RawStmt[]
  try {
    stmts = (await parse(text)).stmts ?? []
  } catch (error) {
    throw syntaxError(error, text, file)
  }
  const bytes = Buffer.from(text, 'utf8')
  const positions = new BytePositions(text, bytes)
  const result: ParsedStatement[] = []
  for (const raw of stmts) {
    if (raw.stmt === undefined) continue
    // libpg_query reports byte offsets into the UTF-8 text; a length of 0 (omitted) means "to the end".
    const start = raw.stmt_location ?? 0
    const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? bytes.length : start + raw.stmt_len
    const offset = positions.charOffset(start)
    const sql = bytes.subarray(start, end).toString('utf8').trimEnd()
    const kind = Object.keys(raw.stmt)[0] ?? 'Unknown'
    result.push({
      index: result.length,
      sql,
      line: positions.lineOf(start),
      offset,
      kind,
      node: raw.stmt,
      nonTransactional: nonTransactionalReason(raw.stmt),
    })
  }
  return result
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

/** Whether a statement is transaction control (BEGIN, COMMIT, SAVEPOINT, ...). */
export function isTransactionControl(statement: ParsedStatement): boolean {
  return statement.kind === 'TransactionStmt'
}

function syntaxError(error: unknown, text: string, file: string): KeelError {
  const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails
  const message = error instanceof Error ? error.message : String(error)
  // libpg_query's cursorPosition is a 0-based character offset into the text.
  const cursor = details?.cursorPosition
  const line = cursor === undefined || cursor < 0 ? undefined : lineAtChar(text, cursor)
  const where = line === undefined ? file : `${file}:${line}`
  return new KeelError('SQL_SYNTAX', `${where}: ${message}`, undefined, { cause: error })
}

function lineAtChar(text: string, offset: number): number {
  let line = 1
  const stop = Math.min(offset, text.length)
  for (let i = 0; i < stop; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/** Maps UTF-8 byte offsets to lines and character offsets in one pass over the text. */
class BytePositions {
  private readonly newlineBytes: number[] = []
  private readonly charAtByte: Map<number, number> | undefined

  constructor(text: string, bytes: Buffer) {
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) this.newlineBytes.push(i)
    // Pure ASCII (the usual case): byte and character offsets agree.
    this.charAtByte = bytes.length === text.length ? undefined : mapBytesToChars(text)
  }

  lineOf(byteOffset: number): number {
    let low = 0
    let high = this.newlineBytes.length
    while (low < high) {
      const mid = (low + high) >> 1
      if ((this.newlineBytes[mid] as number) < byteOffset) low = mid + 1
      else high = mid
    }
    return low + 1
  }

  charOffset(byteOffset: number): number {
    return this.charAtByte === undefined ? byteOffset : (this.charAtByte.get(byteOffset) ?? byteOffset)
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
