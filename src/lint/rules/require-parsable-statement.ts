import type { Rule } from '../rule.js'

/** A MySQL/MariaDB statement that Keel's parser could not read, so that no rule checked it. */
export const requireParsableStatement: Rule = {
  id: 'require-parsable-statement',
  severity: 'warning',
  dialects: ['mysql'],
  summary: 'a MySQL/MariaDB CREATE TABLE, ALTER TABLE or CREATE INDEX that lint could not parse, so it went unchecked',
  why: "Keel reads MySQL with node-sql-parser's MySQL grammar, which does not cover all of MySQL and MariaDB (`ALTER COLUMN ... SET DEFAULT`, `CONVERT TO CHARACTER SET`, `PARTITION BY`, ...). A statement it refuses may be valid, so it is not an error, but none of the rules that read a statement's parts (table copies, foreign keys without an index, character sets) could check it. A statement that no MySQL server could run (its first word starts no statement) is a syntax error instead, exit 2.",
  help: 'Review the statement by hand (`SHOW WARNINGS` after a dry run on a copy says which ALGORITHM it took); where an equivalent spelling exists that lint reads (`MODIFY COLUMN` for `ALTER COLUMN`), prefer it.',
  examples: {
    bad: 'ALTER TABLE users ALTER COLUMN plan SET DEFAULT 1;',
    good: 'ALTER TABLE users MODIFY COLUMN plan INT NOT NULL DEFAULT 1, ALGORITHM=INSTANT;',
  },
  *checkStatement({ parsed }, ctx) {
    const verdict = parsed.dialectParse
    if (verdict?.kind !== 'refused') return
    yield {
      message: `lint could not parse this statement (${verdict.message}), so the MySQL rules did not check it`,
      at: Buffer.byteLength(ctx.text.slice(0, parsed.offset + verdict.offset), 'utf8'),
    }
  },
}
