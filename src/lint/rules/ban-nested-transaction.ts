import type { Rule } from '../rule.js'

/** BEGIN inside a transaction (or COMMIT outside one), or transaction control in a Keel migration. */
export const banNestedTransaction: Rule = {
  id: 'ban-nested-transaction',
  severity: 'error',
  dialects: 'all',
  summary: 'BEGIN inside a transaction (or COMMIT outside one), or transaction control in a Keel migration',
  why: 'BEGIN inside a transaction block only warns and does not nest; the first COMMIT commits everything, and what follows runs outside any transaction. Keel wraps each migration in its own transaction and refuses BEGIN and COMMIT in migration files.',
  help: 'Remove the transaction control; to run statements one by one, start the migration with `-- keel:no-transaction`.',
  examples: {
    bad: 'begin;\nbegin;\ncreate table t (a int);\ncommit;\ncommit;',
    good: 'create table t (a int);',
  },
  statementKinds: ['TransactionStmt'],
  *checkStatement({ node }, ctx) {
    if (!('TransactionStmt' in node)) return
    const kind = node.TransactionStmt.kind ?? ''
    if (ctx.migration !== undefined) {
      yield {
        message:
          'transaction control in a migration file: Keel runs each migration in a transaction of its own and refuses it',
      }
      return
    }
    const opens = kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START'
    const closes = kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK'
    // ctx.inTransaction of a BEGIN is true; of the statement before it tells whether one was already open.
    const before = ctx.statements.slice(0, ctx.index).reduce((open, s) => {
      if (!('TransactionStmt' in s.node)) return open
      const k = s.node.TransactionStmt.kind ?? ''
      return k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START'
        ? true
        : k === 'TRANS_STMT_COMMIT' || k === 'TRANS_STMT_ROLLBACK'
          ? false
          : open
    }, false)
    if (opens && before)
      yield { message: 'BEGIN inside an open transaction does not nest: the next COMMIT commits everything' }
    if (closes && !before)
      yield { message: `${kind === 'TRANS_STMT_COMMIT' ? 'COMMIT' : 'ROLLBACK'} without an open transaction` }
  },
}
