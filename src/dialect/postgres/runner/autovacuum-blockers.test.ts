import { describe, expect, it } from 'vitest'
import { mayCancelForLockWaiter, mayWaitForAutovacuum } from './autovacuum-blockers.js'

// Which lock blockers the runner cancels, as PostgreSQL's deadlock check would for a waiter: an autovacuum worker,
// never one that prevents wraparound, never any other session.
describe('mayCancelForLockWaiter', () => {
  const worker = (query: string) => ({ backendType: 'autovacuum worker', query })

  it('cancels an autovacuum worker vacuuming or analyzing the table', () => {
    expect(mayCancelForLockWaiter(worker('autovacuum: VACUUM public.users'))).toBe(true)
    expect(mayCancelForLockWaiter(worker('autovacuum: VACUUM ANALYZE public.users'))).toBe(true)
    expect(mayCancelForLockWaiter(worker('autovacuum: ANALYZE public.users'))).toBe(true)
  })

  it('never cancels a vacuum that prevents wraparound', () => {
    expect(mayCancelForLockWaiter(worker('autovacuum: VACUUM public.users (to prevent wraparound)'))).toBe(false)
    expect(mayCancelForLockWaiter(worker('autovacuum: VACUUM ANALYZE public.users (to prevent wraparound)'))).toBe(
      false,
    )
  })

  it('never cancels any other session, whatever its query says', () => {
    const vacuum = 'autovacuum: VACUUM public.users'
    expect(mayCancelForLockWaiter({ backendType: 'client backend', query: vacuum })).toBe(false)
    expect(mayCancelForLockWaiter({ backendType: 'client backend', query: 'VACUUM public.users' })).toBe(false)
    expect(mayCancelForLockWaiter({ query: vacuum })).toBe(false)
    expect(mayCancelForLockWaiter({ backendType: 'autovacuum launcher', query: '' })).toBe(false)
    // A worker whose task is not shown (the query column empty) is not known not to prevent wraparound.
    expect(mayCancelForLockWaiter(worker(''))).toBe(false)
  })
})

// An autovacuum's SHARE UPDATE EXCLUSIVE is in the way of DDL only: a query or DML statement that gave up waited for
// rows or another session, and the worker, which findLockBlockers lists beside them, is not cancelled for it.
describe('mayWaitForAutovacuum', () => {
  it('is true of DDL and of what is not known, false of queries and DML', () => {
    for (const kind of ['AlterTableStmt', 'IndexStmt', 'DropStmt', 'RenameStmt', 'LockStmt', ''])
      expect(mayWaitForAutovacuum({ kind }), kind).toBe(true)
    for (const kind of ['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt'])
      expect(mayWaitForAutovacuum({ kind }), kind).toBe(false)
  })
})
