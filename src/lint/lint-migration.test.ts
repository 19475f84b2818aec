import { describe, expect, it } from 'vitest'
import { lintSource } from './lint.js'
import { parseFor } from './lint-migration.js'

/** Rule id and line of each finding on `sql` read as `dialect`'s SQL, without a database (tables assumed large). */
async function lint(sql: string, dialect: 'mysql' | 'sqlite') {
  const statements = await parseFor(sql, 'up.sql', { dialect })
  return (await lintSource({ file: 'up.sql', text: sql, statements }, { dialect })).map((f) => `${f.line} ${f.rule}`)
}

describe('hand-written MySQL and SQLite migrations', () => {
  it('meet the rules every dialect shares, through the statements PostgreSQL reads alike', async () => {
    const sql = [
      'ALTER TABLE `users` MODIFY `email` VARCHAR(300), ALGORITHM=COPY;',
      'DROP TABLE `orders`;',
      'ALTER TABLE users DROP COLUMN legacy;',
      'ALTER TABLE users RENAME COLUMN a TO b;',
      'DELETE FROM logs;',
      'CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8;',
      'DROP TABLE t CASCADE;',
    ].join('\n')
    expect(await lint(sql, 'mysql')).toEqual([
      '1 ban-table-copy',
      '2 ban-drop-table',
      '3 ban-drop-column',
      '4 ban-rename-column',
      '5 ban-dml-with-implicit-commit',
      '5 ban-unbounded-update-delete',
      '6 require-utf8mb4',
      // DROP TABLE t CASCADE: t is new, and MySQL ignores CASCADE (ban-drop-cascade is PostgreSQL's).
    ])
  })

  it('reads SQLite files PostgreSQL cannot parse whole, statement by statement', async () => {
    const sql = [
      'CREATE TABLE "tags" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" TEXT);',
      'CREATE INDEX "tags_name" ON "tags" ("name");',
      'ALTER TABLE "users" DROP COLUMN "legacy";',
      'ALTER TABLE "users" ADD COLUMN "plan" TEXT NOT NULL;',
      'DROP TABLE "tags";',
    ].join('\n')
    // No CONCURRENTLY on SQLite, and the new table may be dropped.
    expect(await lint(sql, 'sqlite')).toEqual(['3 ban-drop-column', '4 require-default-for-not-null-column'])
  })
})
