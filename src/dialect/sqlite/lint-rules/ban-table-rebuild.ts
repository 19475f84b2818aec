import type { Rule } from '../../../lint/rule.js'
import { relationKey } from '../../../lint/sql/ast.js'
import { onExistingTable } from '../../../lint/table-size.js'

/** A SQLite table rebuild: every row of an existing table copied into a new one, under the database's write lock. */
export const banTableRebuild: Rule = {
  id: 'ban-table-rebuild',
  severity: 'warning',
  dialects: ['sqlite'],
  checklist: ['locks'],
  summary: 'a SQLite table rebuild (INSERT INTO new SELECT ... FROM an existing table)',
  why: "SQLite cannot ALTER most things in place (a column's type, constraint or default; foreign keys), so the change is a rebuild: create a new table, copy every row into it, drop the old one and rename the new. SQLite has one write lock for the whole database, and the migration holds it until it commits: while a large table is copied every other writer waits (SQLITE_BUSY after its busy_timeout), and the file needs room for a second copy of the table.",
  help: 'Run it when writers can wait (or with the application stopped); on a large table, measure the copy on a copy of the database first. Where the change allows, prefer what SQLite alters in place: ADD COLUMN, RENAME COLUMN, RENAME TO.',
  examples: {
    bad: 'create table _new_users (id integer primary key, email text not null);\ninsert into _new_users (id, email) select id, email from users;\ndrop table users;\nalter table _new_users rename to users;',
    good: 'alter table users add column nickname text;',
  },
  *checkStatement({ node }, ctx) {
    if (!('InsertStmt' in node)) return
    const into = relationKey(node.InsertStmt.relation, ctx.traits.defaultNamespace)
    const select = node.InsertStmt.selectStmt
    if (!ctx.createdBefore.has(into) || select === undefined || !('SelectStmt' in select)) return
    for (const from of select.SelectStmt.fromClause ?? []) {
      if (!('RangeVar' in from)) continue
      const key = relationKey(from.RangeVar, ctx.traits.defaultNamespace)
      const size = onExistingTable(ctx, key)
      if (size === undefined) continue
      yield {
        message: `copies every row of ${key} into ${into}: other writers to the database wait for the write lock until the migration commits`,
        ...size,
      }
    }
  },
}
