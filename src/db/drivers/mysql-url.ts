import { KeelError } from '../../errors.js'
import { connectTimeoutMs } from '../connect-timeout.js'
import { classifyConnectError } from '../open.js'
import { redactUrl } from '../url.js'
import { isLocalHost, messageOf, type UrlForm } from '../url-form.js'

/** `mysql://` or `mariadb://` (the same driver and dialect; which server it is, is asked of the server). */
export const mysqlUrl: UrlForm<{ readonly kind: 'mysql'; readonly url: string }> = {
  scheme: /^(mysql|mariadb):/i,
  embedded: false,
  parse(src) {
    if (!/^(mysql|mariadb):\/\//i.test(src)) return undefined
    let parsed: URL
    try {
      parsed = new URL(src)
    } catch {
      throw new KeelError('BAD_URL', `not a valid MySQL URL: ${redactUrl(src)}`)
    }
    if (parsed.hostname === '') throw new KeelError('BAD_URL', `a MySQL URL names its host: ${redactUrl(src)}`)
    return { kind: 'mysql', url: src }
  },
  async open(parsed, applicationName) {
    // connect_timeout in the URL, as for PostgreSQL (PGCONNECT_TIMEOUT is libpq's, not read here).
    const timeoutMs = connectTimeoutMs(parsed.url, {})
    try {
      const { connectMysql } = await import('./mysql.js')
      return await connectMysql(parsed.url, applicationName, timeoutMs)
    } catch (error) {
      throw classifyMysqlConnectError(error, redactUrl(parsed.url), timeoutMs)
    }
  },
  isLocal: (parsed) => isLocalHost(parsed.url),
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
  return classifyConnectError(error, target)
}
