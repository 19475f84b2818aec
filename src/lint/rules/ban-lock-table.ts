import type { Rule } from '../rule.js'
import { relationKey } from '../sql/ast.js'

/** LOCK TABLE in a migration. */
export const banLockTable: Rule = {
  id: 'ban-lock-table',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'LOCK TABLE in a migration',
  why: 'An explicit LOCK TABLE (ACCESS EXCLUSIVE unless a mode is given) holds the lock until the migration commits, and queues every query behind it while it waits for the lock.',
  help: "Let each statement take the lock it needs, and keep Keel's lock_timeout so a statement that waits gives up and retries instead of stalling the application.",
  examples: {
    bad: 'lock table users in access exclusive mode;',
    good: '-- no explicit lock: each statement takes what it needs, bounded by lock_timeout',
  },
  statementKinds: ['LockStmt'],
  *checkStatement({ node }, ctx) {
    if (!('LockStmt' in node)) return
    // LockStmt.mode is the lock mode number: 1 ACCESS SHARE ... 8 ACCESS EXCLUSIVE; 3 ROW EXCLUSIVE and weaker block no DML.
    const mode = node.LockStmt.mode ?? 8
    if (mode <= 3) return
    const names = (node.LockStmt.relations ?? []).map((r) =>
      'RangeVar' in r ? relationKey(r.RangeVar, ctx.traits.defaultNamespace) : '?',
    )
    yield {
      message: `locks ${names.join(', ')} in ${MODES[mode] ?? 'ACCESS EXCLUSIVE'} mode until the migration commits, blocking ${mode === 8 ? 'reads and writes' : 'writes'}`,
    }
  },
}

const MODES: Readonly<Record<number, string>> = {
  4: 'SHARE UPDATE EXCLUSIVE',
  5: 'SHARE',
  6: 'SHARE ROW EXCLUSIVE',
  7: 'EXCLUSIVE',
  8: 'ACCESS EXCLUSIVE',
}
