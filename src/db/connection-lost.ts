import { isSqlstate } from './sqlstate.js'

/**
 * Whether a driver error means the connection itself failed (the server went away, the network dropped,
 * the client was already closed) rather than the server reporting an error. Server errors carry a
 * five-character SQLSTATE; these carry none, or a Node socket code. A driver that says so only in words
 * (no code) passes its own `dropMessages` (db/drivers/pg-lost.ts): they are the driver's, not any server's.
 */
export function isConnectionLost(error: unknown, dropMessages?: RegExp): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, message } = error as { code?: unknown; message?: unknown }
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true
  if (typeof code === 'string' && isSqlstate(code)) return false
  return dropMessages !== undefined && typeof message === 'string' && dropMessages.test(message)
}

const SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH'])
