import { isConnectionLost } from '../connection-lost.js'

/** What pg says when its socket ends under it, or when it is used after that (with no code). */
const PG_DROP_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)/

/** Whether an error of node-postgres means the connection failed, rather than the server reporting an error. */
export function isPgConnectionLost(error: unknown): boolean {
  return isConnectionLost(error, PG_DROP_MESSAGES)
}
