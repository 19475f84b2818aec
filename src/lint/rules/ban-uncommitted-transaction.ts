import type { Rule } from '../rule.js'

/** A BEGIN without a matching COMMIT at the end of the file. */
export const banUncommittedTransaction: Rule = {
  id: 'ban-uncommitted-transaction',
  severity: 'error',
  dialects: 'all',
  summary: 'a BEGIN without a matching COMMIT at the end of the file',
  why: 'A file that opens a transaction and never commits it leaves the changes to whatever runs next: psql rolls them back at exit, other tools commit or hang.',
  help: "End the file with COMMIT, or (in a Keel migration) leave transaction control to Keel's runner.",
  examples: {
    bad: 'begin;\nalter table users add column plan text;',
    good: 'alter table users add column plan text;',
  },
  statementKinds: ['TransactionStmt'],
  *checkStatement({ node }, ctx) {
    if (!('TransactionStmt' in node)) return
    const kind = node.TransactionStmt.kind
    if (kind !== 'TRANS_STMT_BEGIN' && kind !== 'TRANS_STMT_START') return
    const closed = ctx.statements
      .slice(ctx.index + 1)
      .some(
        (s) =>
          'TransactionStmt' in s.node &&
          ['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE'].includes(
            s.node.TransactionStmt.kind ?? '',
          ),
      )
    if (closed) return
    yield { message: 'opens a transaction that the file never commits' }
  },
}
