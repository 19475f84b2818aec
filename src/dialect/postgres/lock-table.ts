import type { Connection } from '../../db/connection.js'

/**
 * Half of the server's shared lock table: PostgreSQL keeps every lock of every session in one table of
 * max_locks_per_transaction × (max_connections + max_prepared_transactions) slots (a little more, for the
 * background workers), and a transaction that needs more than is free fails with "out of shared memory"
 * (SQLSTATE 53200). Creating a table takes about five (the table, its TOAST table and index, its key's index,
 * an identity's sequence), so a plan of 1,400 new tables did not fit a default server (64 × 100) in one
 * transaction. Half leaves the other half to every other session.
 */
export async function transactionLockBudget(conn: Connection): Promise<number> {
  const [row] = await conn.query<{ budget: number }>(
    `select (current_setting('max_locks_per_transaction')::int
      * (current_setting('max_connections')::int + current_setting('max_prepared_transactions')::int)) / 2 as budget`,
  )
  return Number(row?.budget ?? 0) || Number.POSITIVE_INFINITY
}
