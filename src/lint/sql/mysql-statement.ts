/**
 * A light classifier of MySQL/MariaDB statements for the lint rules that read a statement's text, with comments and
 * string literals blanked out: it works on statements node-sql-parser's grammar refuses too (dialect/mysql/statement-parse.ts gives
 * the tree where there is one, which require-index-for-foreign-key reads). Not a parser.
 */

/** What a MySQL statement is, as far as the MySQL rules care. */
export interface MysqlStatement {
  /** `ddl` commits implicitly (CREATE, ALTER, DROP, RENAME, TRUNCATE); `dml` changes rows. */
  readonly category: 'ddl' | 'dml' | 'other'
  /** ALTER TABLE's table, lowercase, without quotes (`db.t` keeps its database). */
  readonly alteredTable?: string
  /** CREATE TABLE's table. */
  readonly createdTable?: string
  /** ALGORITHM=... as written (uppercase), when given. */
  readonly algorithm?: string
  /** The text with comments and string literals blanked, lowercase, whitespace collapsed. */
  readonly code: string
}

/** Blanks `'...'`, `"..."` strings and comments, so that words inside them are not read as SQL. */
function codeOf(sql: string): string {
  return sql
    .replace(/'(?:[^'\\]|\\.|'')*'/g, "''")
    .replace(/"(?:[^"\\]|\\.|"")*"/g, '""')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(--\s|#)[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
}

const NAME = '((?:`[^`]+`|[\\w$]+)(?:\\s*\\.\\s*(?:`[^`]+`|[\\w$]+))?)'
const unquote = (name: string) => name.replace(/`/g, '').replace(/\s+/g, '')

export function classifyMysql(sql: string): MysqlStatement {
  const code = codeOf(sql)
  const alter = new RegExp(`^alter\\s+(?:online\\s+|ignore\\s+)*table\\s+(?:if\\s+exists\\s+)?${NAME}`).exec(code)
  const create = new RegExp(
    `^create\\s+(?:or\\s+replace\\s+)?(?:temporary\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?${NAME}`,
  ).exec(code)
  const algorithm = /\balgorithm\s*=?\s*(instant|inplace|copy|nocopy|default)\b/.exec(code)?.[1]?.toUpperCase()
  const category = /^(create|alter|drop|rename|truncate)\b/.test(code)
    ? 'ddl'
    : /^(insert|update|delete|replace|load\s+data)\b/.test(code)
      ? 'dml'
      : 'other'
  return {
    category,
    code,
    ...(alter?.[1] === undefined ? {} : { alteredTable: unquote(alter[1]) }),
    ...(create?.[1] === undefined ? {} : { createdTable: unquote(create[1]) }),
    ...(algorithm === undefined ? {} : { algorithm }),
  }
}

/**
 * Why an ALTER TABLE without ALGORITHM= may copy the table on InnoDB (MariaDB 10.11, see
 * dialect/mysql/plan-facts.ts): a column's type changed, the primary key replaced, the character set converted,
 * a foreign key added with foreign_key_checks on; undefined when none of these is in it.
 */
export function copyingAction(code: string): string | undefined {
  if (/\bconvert\s+to\s+(character\s+set|charset)\b/.test(code)) return 'CONVERT TO CHARACTER SET'
  if (/\b(modify|change)\s+(column\s+)?/.test(code)) return 'MODIFY/CHANGE COLUMN (a type change copies)'
  if (/\bdrop\s+primary\s+key\b/.test(code) || /\badd\s+(constraint\s+\S+\s+)?primary\s+key\b/.test(code))
    return 'a new primary key'
  if (/\badd\s+(constraint\s+\S+\s+)?foreign\s+key\b/.test(code)) return 'ADD FOREIGN KEY'
  return undefined
}
