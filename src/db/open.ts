import { KeelError } from '../errors.js'
import type { Connection } from './connection.js'
import { isConnectionLost } from './connection-lost.js'
import type { PgliteHolder } from './drivers/pglite-dir-lock.js'
import { parseDatabaseUrl, redactUrl } from './url.js'
import { messageOf } from './url-form.js'
import { formOf } from './url-forms.js'

export { messageOf } from './url-form.js'

/** How long to wait for a PGlite directory that another process holds (a server needs no such wait). */
export interface OpenOptions {
  /** Default 0: fail at once, naming the holder. */
  readonly lockWaitMs?: number
  readonly onLockWait?: (holder: PgliteHolder | undefined, waitedMs: number) => void
}

/**
 * Opens a connection to a database URL, turning driver failures into KeelErrors that name the
 * (redacted) target and say what to check. The URL's form (db/url-forms.ts) loads its driver.
 */
export async function openDatabase(
  src: string,
  applicationName?: string,
  options: OpenOptions = {},
): Promise<Connection> {
  const parsed = parseDatabaseUrl(src)
  return formOf(parsed).open(parsed, applicationName, options)
}

/**
 * Loads the driver of a database URL's form (node-postgres for a server) without connecting. A caller with other
 * work to do while it connects (keel status reads the migrations directory) awaits this first, then calls
 * openDatabase: the connection starts at once and its round trips go on during that work. Loaded inside
 * openDatabase instead, the driver's modules took more turns of the event loop than the work gave, and the
 * connection started only after it. Errors (a malformed URL) are left to openDatabase, which reports them.
 */
export async function loadDriver(src: string): Promise<void> {
  try {
    await formOf(parseDatabaseUrl(src)).loadDriver?.()
  } catch {
    // openDatabase reports it.
  }
}

/**
 * Maps a driver's connect failure to a KeelError by what every driver shares (Node's socket codes); each
 * driver's url form (db/drivers/*-url.ts) first recognises its server's own answers (bad password, no such
 * database). Never includes the password.
 */
export function classifyConnectError(error: unknown, target: string): KeelError {
  const code = (error as { code?: string }).code
  const message = redactUrl(messageOf(error))
  // The socket closed before the server said anything: not a server message, and not a server error.
  if (isConnectionLost(error) && code !== 'ETIMEDOUT') {
    return new KeelError(
      'CONNECTION_REFUSED',
      `cannot connect to ${target}: the connection closed before the server answered (${message})`,
      "Is it a server of the URL's kind on that host and port, and does it accept this client?",
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
    default:
      return new KeelError('DATABASE_ERROR', `cannot connect to ${target}: ${message}`, undefined, { cause: error })
  }
}
