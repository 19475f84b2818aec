import type { DialectParse } from './parse-dialect.js'
import type { Node } from './tree.js'

/**
 * A ParsedStatement is one top-level SQL statement of a file, as the dialect's runner splits it (`RunnerHooks.
 * parseStatements`): its text, where it starts, the rules' common parse tree (see tree.ts), and whether the server
 * lets it run inside a transaction block.
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
  /** The parse tree (tree.ts: `{}` where the dialect's statement has none), for linters and the runner's probes. */
  readonly node: Node
  /**
   * Why the statement must run on its own, outside a transaction block (`CREATE INDEX CONCURRENTLY`),
   * or undefined for an ordinary statement.
   */
  readonly nonTransactional: string | undefined
  /**
   * Part of a dump tool's session header at the top of the file (pg_dump's `SET statement_timeout = 0; ...` after its
   * banner), which a baseline pasted from a dump runs on objects that do not exist yet, so no lock waits on them.
   */
  readonly dumpHeader?: true
  /** For MySQL/MariaDB and SQLite: what the dialect's own parser made of it (see parse-dialect.ts). */
  readonly dialectParse?: DialectParse
}
