import type { Rule } from '../rule.js'
import { classifyMysql, copyingAction } from '../sql/mysql-statement.js'
import { onExistingTable } from '../table-size.js'

/** An ALTER TABLE that copies an existing table on MySQL/MariaDB (ALGORITHM=COPY, or a change that needs it). */
export const banTableCopy: Rule = {
  id: 'ban-table-copy',
  severity: 'error',
  dialects: ['mysql'],
  summary: 'an ALTER TABLE that copies an existing MySQL/MariaDB table (ALGORITHM=COPY)',
  why: 'With ALGORITHM=COPY the server copies every row into a new table, and writes to the table are blocked (LOCK=SHARED) until the copy ends: minutes to hours on a big table. Many changes run INSTANT or INPLACE with LOCK=NONE instead; without an ALGORITHM clause the server silently picks a copy when it must.',
  help: 'State ALGORITHM=INSTANT or ALGORITHM=INPLACE, LOCK=NONE so that the server refuses instead of copying; for a change that needs a copy, use an online schema change tool (pt-online-schema-change, gh-ost) or expand/contract with a new column.',
  examples: {
    bad: 'ALTER TABLE users MODIFY email VARCHAR(300) NOT NULL, ALGORITHM=COPY;',
    good: 'ALTER TABLE users ADD COLUMN nickname VARCHAR(50), ALGORITHM=INSTANT;',
  },
  *checkStatement({ parsed, step }, ctx) {
    const statement = classifyMysql(parsed.sql)
    const table = statement.alteredTable
    if (table === undefined) return
    const size = onExistingTable(ctx, table)
    if (size === undefined) return
    // The planner writes the algorithm of each generated ALTER TABLE (dialect/mysql/plan-facts.ts) into it.
    if (statement.algorithm === 'COPY') {
      yield {
        message: `copies ${table} row by row (ALGORITHM=COPY): writes to ${table} are blocked until it ends`,
        ...size,
      }
      return
    }
    if (statement.algorithm !== undefined || step !== undefined) return
    const action = copyingAction(statement.code)
    if (action === undefined) return
    yield {
      message: `${action} without ALGORITHM=: the server may copy ${table}, blocking writes until it ends`,
      severity: 'warning',
    }
  },
}
