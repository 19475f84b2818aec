/**
 * Whether a driver error means the connection itself failed (the server went away, the network dropped,
 * the client was already closed) rather than the server reporting an error. Server errors carry a
 * five-character SQLSTATE; these carry none, or a Node socket code.
 */
export function isConnectionLost(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, message } = error as { code?: unknown; message?: unknown }
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return false
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true
  return typeof message === 'string' && DROP_MESSAGES.test(message)
}

const SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH'])

/** What pg says when its socket ends under it, or when it is used after that. */
const DROP_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)/
