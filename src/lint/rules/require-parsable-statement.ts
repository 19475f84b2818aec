import type { Rule } from '../rule.js'

/** A MySQL/MariaDB statement that Keel's parser could not read, so that no rule checked it. */
export const requireParsableStatement: Rule = {
  id: 'require-parsable-statement',
  severity: 'warning',
  dialects: ['mysql'],
  summary: 'a MySQL/MariaDB CREATE TABLE, ALTER TABLE or CREATE INDEX that lint could not parse, so it went unchecked',
  why: "Keel reads MySQL with node-sql-parser's MySQL grammar, which does not cover all of MySQL and MariaDB. Keel respells what it can with the same meaning first (NVARCHAR, BOOL, SERIAL, MariaDB's UUID and IF NOT EXISTS, ALTER COLUMN ... SET DEFAULT, partitions and table options the rules do not read: dialect/mysql/lint-readable.ts); what is left (`ADD COLUMN (a INT, b INT)`, ...) is refused. A statement it refuses may be valid, so it is not an error, but none of the rules that read a statement's parts (foreign keys without an index, the indexes that serve them) could check it. A statement that no MySQL server could run (its first word starts no statement, or with --url the server's own parser refuses it) is a syntax error instead, exit 2.",
  help: 'Review the statement by hand (`SHOW WARNINGS` after a dry run on a copy says which ALGORITHM it took); where an equivalent spelling exists that lint reads (one `ADD COLUMN` per column), prefer it.',
  examples: {
    bad: 'ALTER TABLE users ADD COLUMN (nick VARCHAR(40), plan INT);',
    good: 'ALTER TABLE users ADD COLUMN nick VARCHAR(40), ADD COLUMN plan INT, ALGORITHM=INSTANT;',
  },
  *checkStatement({ parsed }, ctx) {
    const verdict = parsed.dialectParse
    if (verdict?.kind !== 'refused') return
    yield {
      message: `lint's MySQL parser stopped here (${verdict.message}), so the MySQL rules did not check this statement`,
      at: Buffer.byteLength(ctx.text.slice(0, parsed.offset + verdict.offset), 'utf8'),
    }
  },
}
