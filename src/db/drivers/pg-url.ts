import { loadRuntime } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import { connectTimeoutMs } from '../connect-timeout.js'
import { classifyConnectError } from '../open.js'
import { redactUrl } from '../url.js'
import { isLocalHost, messageOf, type UrlForm } from '../url-form.js'
import { isPgConnectionLost } from './pg-lost.js'

/** `postgres://...` and `postgresql://...`: a PostgreSQL server, through node-postgres. */
export const pgUrl: UrlForm<{ readonly kind: 'postgres'; readonly url: string }> = {
  scheme: /^(postgres|postgresql):/i,
  embedded: false,
  parse(src) {
    if (!/^postgres(ql)?:\/\//i.test(src)) return undefined
    try {
      new URL(src)
    } catch {
      throw new KeelError('BAD_URL', `not a valid PostgreSQL URL: ${redactUrl(src)}`)
    }
    return { kind: 'postgres', url: src }
  },
  async open(parsed, applicationName) {
    const timeoutMs = connectTimeoutMs(parsed.url)
    try {
      const { connectPg } = await import('./pg.js')
      return await connectPg(parsed.url, applicationName, timeoutMs)
    } catch (error) {
      throw pgConnectError(error, redactUrl(parsed.url), timeoutMs)
    }
  },
  async loadDriver() {
    // pg.js and the PostgreSQL runtime connectPg loads, then node-postgres itself, which connectPg would require.
    await Promise.all([import('./pg.js'), loadRuntime('postgres')])
    const { loadPg } = await import('./pg-load.js')
    loadPg()
  },
  isLocal: (parsed) => isLocalHost(parsed.url),
}

/** node-postgres's connect failures and PostgreSQL's refusals (SQLSTATE 28P01, 28000, 3D000); the rest as any driver's. */
function pgConnectError(error: unknown, target: string, timeoutMs: number): KeelError {
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
  if (isPgConnectionLost(error) && code !== 'ETIMEDOUT') {
    return new KeelError(
      'CONNECTION_REFUSED',
      `cannot connect to ${target}: the connection closed before the server answered (${message})`,
      'Is it a PostgreSQL server on that host and port, and does it accept this client (pg_hba.conf, max_connections)?',
      { cause: error },
    )
  }
  switch (code) {
    case '28P01':
    case '28000':
      return new KeelError('AUTH_FAILED', `cannot connect to ${target}: ${message}`, undefined, { cause: error })
    case '3D000':
      return new KeelError('DATABASE_NOT_FOUND', `cannot connect to ${target}: ${message}`, undefined, { cause: error })
    default:
      return classifyConnectError(error, target)
  }
}
