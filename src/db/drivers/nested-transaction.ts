import type { Connection } from '../connection.js'

/**
 * `Connection.transaction` over one session, for both drivers: BEGIN/COMMIT at the outer level and
 * savepoints inside, so that a helper can be transactional on its own or within a caller's transaction.
 * Plain statements rather than a driver's own transaction helper, so that nesting and the statements
 * PostgreSQL refuses in a transaction behave the same on a server and on PGlite.
 */
export function nestedTransactions(
  run: (sql: string) => Promise<unknown>,
  self: () => Connection,
): Connection['transaction'] {
  let depth = 0
  return async <T>(fn: (tx: Connection) => Promise<T>): Promise<T> => {
    const savepoint = `keel_sp_${depth}`
    await run(depth === 0 ? 'BEGIN' : `SAVEPOINT ${savepoint}`)
    depth++
    let result: T
    try {
      result = await fn(self())
    } catch (error) {
      depth--
      await run(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => {})
      throw error
    }
    // The level is left before COMMIT: a failed COMMIT ends the transaction too (PostgreSQL rolls it back).
    depth--
    await run(depth === 0 ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`)
    return result
  }
}
