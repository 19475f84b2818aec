import { KeelError } from '../errors.js'

/** Seconds, as JDBC's default: a loaded 2-core CI box never takes this long to start a local session, and a dead host is still named quickly. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10

/**
 * How long to wait for a server to accept a session, in milliseconds (0: without limit), as libpq reads it:
 * `connect_timeout` in the URL, else PGCONNECT_TIMEOUT, in whole seconds; 0 or less waits without limit and
 * 1 counts as 2. Unlike libpq, Keel has a default: a host that takes TCP and never answers must not hang a
 * deploy for minutes in silence (the pg driver itself waits forever).
 */
export function connectTimeoutMs(url: string, env: NodeJS.ProcessEnv = process.env): number {
  const fromUrl = new URL(url).searchParams.get('connect_timeout')
  const [raw, where] =
    fromUrl !== null ? [fromUrl, 'connect_timeout in the URL'] : [env.PGCONNECT_TIMEOUT, 'PGCONNECT_TIMEOUT']
  if (raw === undefined || raw.trim() === '') return DEFAULT_CONNECT_TIMEOUT_SECONDS * 1000
  if (!/^\s*-?\d+\s*$/.test(raw)) {
    throw new KeelError('BAD_URL', `${where} must be a whole number of seconds, not ${JSON.stringify(raw)}`)
  }
  const seconds = Number.parseInt(raw, 10)
  if (seconds <= 0) return 0
  return Math.max(seconds, 2) * 1000
}
