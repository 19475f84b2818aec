import type { Rule } from '../rule.js'
import { classifyMysql } from '../sql/mysql-statement.js'

/** A data change in a MySQL/MariaDB migration that also runs DDL, which commits implicitly. */
export const banDmlWithImplicitCommit: Rule = {
  id: 'ban-dml-with-implicit-commit',
  severity: 'warning',
  dialects: ['mysql'],
  summary: 'a data change in a MySQL/MariaDB migration beside DDL, which commits implicitly',
  why: 'On MySQL and MariaDB every CREATE, ALTER, DROP, RENAME and TRUNCATE commits the open transaction first: a migration that mixes them with INSERT/UPDATE/DELETE cannot be rolled back as a whole, and a failure half-way leaves rows changed beside a schema that is not (Keel journals each statement so it can resume, but nothing undoes the part that ran).',
  help: 'Keep data changes in a migration of their own (a `-- keel:phase backfill` migration for a backfill), separate from the schema change.',
  examples: {
    bad: "ALTER TABLE users ADD COLUMN plan VARCHAR(10);\nUPDATE users SET plan = 'free';",
    good: "ALTER TABLE users ADD COLUMN plan VARCHAR(10);\n-- next migration:\nUPDATE users SET plan = 'free' WHERE id BETWEEN 1 AND 10000;",
  },
  *checkStatement({ parsed }, ctx) {
    if (classifyMysql(parsed.sql).category !== 'dml') return
    const ddl = ctx.statements.find((s) => classifyMysql(s.parsed.sql).category === 'ddl')
    if (ddl === undefined) return
    yield {
      message: `changes rows in a migration whose DDL (\`${ddl.parsed.sql.split('\n')[0]}\`, line ${ddl.parsed.line}) commits implicitly: the two cannot be rolled back together`,
    }
  },
}
