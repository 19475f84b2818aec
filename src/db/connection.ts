import type { DialectName } from '../dialect/registry.js'

/**
 * Keel's own connection: db/drivers/* adapt pg and PGlite to it, so that nothing outside db/
 * imports a driver package.
 */
export interface Connection {
  readonly dialect: DialectName
  /**
   * Only this process can reach the database: PGlite holds its directory alone, in-process, with one session. Then
   * no other runner can hold the runner lock and no orphaned backend can still be at work, so neither is checked.
   */
  readonly exclusive: boolean
  /** A redacted description for messages: `postgres://app@db:5432/shop` (never a password). */
  readonly description: string
  /**
   * The database's encoding as the server reported it when the session started (PostgreSQL's server_encoding), where
   * the driver hears it (node-postgres). `SQL_ASCII` makes the server count an error's position in bytes, not in
   * characters (migrate/statement-batch.ts). Undefined when unknown (PGlite: always UTF8).
   */
  readonly serverEncoding?: string
  /** One statement with bind parameters. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<readonly R[]>
  /**
   * Several statements sent in one message (no parameters, simple query protocol), each one's rows in order: the
   * server runs them back to back as one transaction without waiting for the client to read each answer. Optional:
   * only drivers that talk to a server over the network have it (node-postgres); callers fall back to `query`.
   */
  queryBatch?(statements: readonly string[]): Promise<readonly (readonly Record<string, unknown>[])[]>
  /**
   * A second session to the same database (same URL, same application name), which the caller closes: for reading
   * part of a large catalog at the same time as this one. Optional: only server drivers have it (node-postgres).
   */
  openSibling?(): Promise<Connection>
  /** A script of any number of statements, no parameters (simple query protocol). */
  exec(sql: string): Promise<void>
  /** Runs `fn` in a transaction on this connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Connection) => Promise<T>): Promise<T>
  close(): Promise<void>
  /**
   * Ends the session without waiting for the server to close its side, and lets the process exit meanwhile: for a
   * command that is done with the database and about to end (`keel status`), which would otherwise wait for the
   * server's backend process to exit (11-31 ms on a loaded machine). The server still gets the session's Terminate
   * message first. Not for a session whose end another must see (a DROP DATABASE waits for its backends to exit).
   * Optional: only drivers that talk to a server over the network have it (node-postgres); others close.
   */
  closeWithoutWaiting?(): void
}
