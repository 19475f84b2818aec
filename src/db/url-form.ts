import type { DialectName } from '../dialect/runtimes.js'
import type { Connection } from './connection.js'
import type { OpenOptions } from './open.js'

/**
 * A UrlForm is how one dialect's databases are named and opened: its URL schemes, their parsing, the
 * driver that opens them, and, for embedded databases, where they live on disk. Each sits beside its
 * driver in db/drivers/ and is listed once in db/url-forms.ts, so that db/url.ts, db/open.ts and the
 * read-only checks of the CLI know no dialect by name.
 */
export interface UrlForm<U extends { readonly kind: DialectName }> {
  /** What `isDatabaseUrl` recognises as this form (as opposed to a file or directory). */
  readonly scheme: RegExp
  /** The parsed URL, undefined when `src` is not of this form; throws BAD_URL when it is, but malformed. */
  parse(src: string): U | undefined
  /** Opens a connection, turning driver failures into KeelErrors that name the (redacted) target. */
  open(parsed: U, applicationName: string | undefined, options: OpenOptions): Promise<Connection>
  /**
   * Loads the driver that `open` would load, without connecting, so that a later `open` starts connecting at once
   * (see db/open.ts loadDriver). Absent: nothing worth loading ahead.
   */
  loadDriver?(): Promise<void>
  /**
   * Whether the database runs inside Keel's own process (PGlite, SQLite) rather than on a server it connects to:
   * a server's sessions can connect while other work goes on (migrate/session-open.ts).
   */
  readonly embedded: boolean
  /** Whether the database is on this machine (reset refuses elsewhere without --force). */
  isLocal(parsed: U): boolean
  /**
   * For an embedded database that opening would create: its file or directory (relative to `cwd`) when
   * nothing is there yet, so that a read-only command refuses instead of creating it; else undefined.
   */
  missing?(parsed: U, cwd: string): string | undefined
  /** For an embedded database: where it lives, as the first line of a command names it. */
  place?(parsed: U, cwd: string): string
}

/** The host of a server URL is this machine. */
export function isLocalHost(url: string): boolean {
  const host = new URL(url).hostname
  return host === '' || host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1'
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
