import { KeelError } from '../../errors.js'
import { connectTimeoutMs } from '../connect-timeout.js'
import { classifyConnectError } from '../open.js'
import { redactUrl } from '../url.js'
import { isLocalHost, type UrlForm } from '../url-form.js'

/** `postgres://...` and `postgresql://...`: a PostgreSQL server, through node-postgres. */
export const pgUrl: UrlForm<{ readonly kind: 'postgres'; readonly url: string }> = {
  scheme: /^(postgres|postgresql):/i,
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
      throw classifyConnectError(error, redactUrl(parsed.url), timeoutMs)
    }
  },
  isLocal: (parsed) => isLocalHost(parsed.url),
}
