import type { Rule } from '../rule.js'
import { mysqlCreatesTable, mysqlForeignKeys, mysqlIndexes, servedBy } from '../sql/mysql-ast.js'

/** A MySQL/MariaDB foreign key whose columns no declared index serves, so InnoDB builds one implicitly. */
export const requireIndexForForeignKey: Rule = {
  id: 'require-index-for-foreign-key',
  severity: 'warning',
  dialects: ['mysql'],
  summary: 'a MySQL/MariaDB foreign key whose columns are not the leading columns of a declared index',
  why: 'InnoDB needs an index whose first columns are the foreign key\'s to check it, and when none exists it silently builds one, named after the constraint. That index is in no migration and no schema file: the next `keel diff` sees it as drift, dropping the foreign key later leaves it behind, and dropping it by name fails ("needed in a foreign key constraint"). On an existing table the ALTER also builds it, reading every row.',
  help: 'Declare the index yourself, before or beside the foreign key: `INDEX (author_id)` in CREATE TABLE, or `ALTER TABLE posts ADD INDEX posts_author_id_idx (author_id), ALGORITHM=INPLACE, LOCK=NONE` first.',
  examples: {
    bad: 'CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL,\n  FOREIGN KEY (author_id) REFERENCES users (id));',
    good: 'CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT NOT NULL,\n  INDEX posts_author_id_idx (author_id),\n  FOREIGN KEY (author_id) REFERENCES users (id));',
  },
  *checkStatement({ parsed }, ctx) {
    const ast = parsed.dialectParse?.kind === 'parsed' ? parsed.dialectParse.ast : undefined
    if (ast === undefined) return
    const here = mysqlIndexes(ast)
    for (const fk of mysqlForeignKeys(ast)) {
      if (fk.columns.length === 0 || servedBy(fk.columns, here.get(fk.table) ?? [])) continue
      // Indexes built earlier in this migration, then the live database's.
      const earlier = ctx.statements.slice(0, ctx.index).flatMap((s) => {
        const tree = s.parsed.dialectParse?.kind === 'parsed' ? s.parsed.dialectParse.ast : undefined
        return tree === undefined ? [] : (mysqlIndexes(tree).get(fk.table) ?? [])
      })
      if (servedBy(fk.columns, earlier)) continue
      const live = ctx.live.indexes?.get(fk.table)
      if (live !== undefined && servedBy(fk.columns, live)) continue
      const columns = fk.columns.join(', ')
      const name = fk.name === undefined ? '' : ` ${fk.name}`
      // An existing table whose indexes Keel cannot see (no --url) may have one already: say so, without an error.
      const unknown =
        !mysqlCreatesTable(ast) && !ctx.createdBefore.has(fk.table) && live === undefined && !ctx.isNew(fk.table)
      yield {
        message: unknown
          ? `foreign key${name} on ${fk.table} (${columns}): no index on (${columns}) is declared in this migration; unless ${fk.table} has one, InnoDB builds one implicitly, outside the schema`
          : `foreign key${name} on ${fk.table} (${columns}) has no index on (${columns}): InnoDB builds one implicitly, outside the schema`,
        ...(unknown ? { severity: 'info' as const } : {}),
      }
    }
  },
}
