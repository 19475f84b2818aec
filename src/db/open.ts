import { KeelError } from '../errors.js'
import { connectTimeoutMs } from './connect-timeout.js'
import type { Connection } from './connection.js'
import { isConnectionLost } from './connection-lost.js'
import type { PgliteHolder } from './drivers/pglite-dir-lock.js'
import { parseDatabaseUrl, redactUrl } from './url.js'

/** How long to wait for a PGlite directory that another process holds (a server needs no such wait). */
export interface OpenOptions {
  /** Default 0: fail at once, naming the holder. */
  readonly lockWaitMs?: number
  readonly onLockWait?: (holder: PgliteHolder | undefined, waitedMs: number) => void
}

/**
 * Opens a connection to a database URL, turning driver failures into KeelErrors that name the
 * (redacted) target and say what to check.
 */
export async function openDatabase(
  src: string,
  applicationName?: string,
  options: OpenOptions = {},
): Promise<Connection> {
  const parsed = parseDatabaseUrl(src)
  if (parsed.kind === 'pglite') {
    try {
      // Drivers load on first use: PGlite's WebAssembly alone costs a noticeable part of a cold start.
      const { connectPglite } = await import('./drivers/pglite.js')
      return await connectPglite(parsed.dir, {
        applicationName: applicationName ?? `keel ${process.pid}`,
        waitMs: options.lockWaitMs ?? 0,
        ...(options.onLockWait ? { onWait: options.onLockWait } : {}),
      })
    } catch (error) {
      if (error instanceof KeelError) throw error
      throw new KeelError(
        'DATABASE_ERROR',
        `cannot open the embedded database at ${parsed.dir}: ${messageOf(error)}`,
        'Is another Keel process using the same pglite directory?',
        { cause: error },
      )
    }
  }
  if (parsed.kind === 'sqlite') {
    try {
      const { connectSqlite } = await import('./drivers/sqlite.js')
      return connectSqlite(parsed.path)
    } catch (error) {
      throw new KeelError(
        'DATABASE_ERROR',
        `cannot open the SQLite database ${parsed.path}: ${messageOf(error)}`,
        undefined,
        {
          cause: error,
        },
      )
    }
  }
  if (parsed.kind === 'mysql') {
    // connect_timeout in the URL, as for PostgreSQL (PGCONNECT_TIMEOUT is libpq's, not read here).
    const timeoutMs = connectTimeoutMs(parsed.url, {})
    try {
      const { connectMysql } = await import('./drivers/mysql.js')
      return await connectMysql(parsed.url, applicationName, timeoutMs)
    } catch (error) {
      throw classifyMysqlConnectError(error, redactUrl(parsed.url), timeoutMs)
    }
  }
  const timeoutMs = connectTimeoutMs(parsed.url)
  try {
    const { connectPg } = await import('./drivers/pg.js')
    return await connectPg(parsed.url, applicationName, timeoutMs)
  } catch (error) {
    throw classifyConnectError(error, redactUrl(parsed.url), timeoutMs)
  }
}

/** Maps a driver's connect failure to a KeelError; never includes the password. */
export function classifyConnectError(error: unknown, target: string, timeoutMs = 0): KeelError {
  const code = (error as { code?: string }).code
  const message = redactUrl(messageOf(error))
  // pg's own connect timer destroys the socket with this message (no code).
  if (code === undefined && message === 'timeout expired') {
    return new KeelError(
      'CONNECT_TIMEOUT',
      `cannot connect to ${target}: no answer within ${timeoutMs / 1000} s`,
      undefined,
      { cause: error },
    )
  }
  // The socket closed before the server said anything: not a server message, and not a server error.
  if (isConnectionLost(error) && code !== 'ETIMEDOUT') {
    return new KeelError(
      'CONNECTION_REFUSED',
      `cannot connect to ${target}: the connection closed before the server answered (${message})`,
      'Is it a PostgreSQL server on that host and port, and does it accept this client (pg_hba.conf, max_connections)?',
      { cause: error },
    )
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new KeelError('CONNECTION_REFUSED', `cannot connect to ${target}: connection refused`, undefined, {
        cause: error,
      })
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new KeelError('HOST_NOT_FOUND', `cannot connect to ${target}: host not found`, undefined, { cause: error })
    case 'ETIMEDOUT':
      return new KeelError('CONNECT_TIMEOUT', `cannot connect to ${target}: timed out`, undefined, { cause: error })
    case '28P01':
    case '28000':
      return new KeelError('AUTH_FAILED', `cannot connect to ${target}: ${message}`, undefined, { cause: error })
    case '3D000':
      return new KeelError('DATABASE_NOT_FOUND', `cannot connect to ${target}: ${message}`, undefined, { cause: error })
    default:
      return new KeelError('DATABASE_ERROR', `cannot connect to ${target}: ${message}`, undefined, { cause: error })
  }
}

/**
 * Maps mysql2's connect failures to the codes PostgreSQL's get (AUTH_FAILED, DATABASE_NOT_FOUND,
 * CONNECT_TIMEOUT...), so that scripts and people read one set of codes whatever the server.
 */
export function classifyMysqlConnectError(error: unknown, target: string, timeoutMs: number): KeelError {
  if (error instanceof KeelError) return error
  const { code, errno } = error as { code?: string; errno?: number }
  const message = redactUrl(messageOf(error))
  if (code === 'ETIMEDOUT') {
    return new KeelError(
      'CONNECT_TIMEOUT',
      `cannot connect to ${target}: no answer within ${timeoutMs / 1000} s`,
      'Are the host and port those of a MySQL or MariaDB server? If it is only slow, raise connect_timeout in the URL (seconds).',
      { cause: error },
    )
  }
  // 1045 access denied, 1044 access denied to the database, 1698 (MariaDB's unix_socket root from a TCP client).
  if (code === 'ER_ACCESS_DENIED_ERROR' || errno === 1045 || errno === 1698) {
    return new KeelError(
      'AUTH_FAILED',
      `cannot connect to ${target}: ${message}`,
      'Check the user name and password in the URL.',
      {
        cause: error,
      },
    )
  }
  if (code === 'ER_BAD_DB_ERROR' || errno === 1049) {
    return new KeelError('DATABASE_NOT_FOUND', `cannot connect to ${target}: ${message}`, undefined, { cause: error })
  }
  if (code === 'PROTOCOL_CONNECTION_LOST' || code === 'ECONNRESET') {
    return new KeelError(
      'CONNECTION_REFUSED',
      `cannot connect to ${target}: the connection closed before the server answered (${message})`,
      'Is it a MySQL or MariaDB server on that host and port, and does it accept this client (max_connections, host grants)?',
      { cause: error },
    )
  }
  return classifyConnectError(error, target, timeoutMs)
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
