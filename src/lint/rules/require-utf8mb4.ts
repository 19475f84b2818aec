import type { Rule } from '../rule.js'
import { classifyMysql } from '../sql/mysql-statement.js'

/** A table, column or conversion to MySQL's `utf8` (utf8mb3), which cannot store 4-byte characters. */
export const requireUtf8mb4: Rule = {
  id: 'require-utf8mb4',
  severity: 'warning',
  dialects: ['mysql'],
  summary:
    'a character set of utf8 or utf8mb3 (three bytes: no emoji) instead of utf8mb4, or a national type (NVARCHAR, NCHAR)',
  why: "MySQL's and MariaDB's `utf8` is utf8mb3: at most three bytes per character, so emoji and other characters outside the Basic Multilingual Plane are refused or, outside strict mode, silently cut. Converting later copies the table. The national types (NVARCHAR, NCHAR, NATIONAL VARCHAR) are utf8mb3 too, even in a utf8mb4 table.",
  help: 'Use CHARACTER SET utf8mb4 (and a utf8mb4_* collation), and VARCHAR/CHAR rather than NVARCHAR/NCHAR.',
  examples: {
    bad: 'CREATE TABLE notes (body TEXT) CHARACTER SET utf8;',
    good: 'CREATE TABLE notes (body TEXT) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;',
  },
  *checkStatement({ parsed }) {
    const { code, category } = classifyMysql(parsed.sql)
    if (category !== 'ddl') return
    const found = /\b(?:character\s+set|charset)\s*=?\s*(utf8mb3|utf8)\b(?!mb4)|\bcollate\s*=?\s*(utf8mb3|utf8)_/.exec(
      code,
    )
    if (found !== null) {
      yield { message: `uses ${found[1] ?? found[2]} (utf8mb3): characters of four bytes (emoji) cannot be stored` }
      return
    }
    // NVARCHAR, NCHAR and NATIONAL [VAR]CHAR are utf8mb3 whatever the table's character set (MySQL 8 warns 3720).
    const national = /\b(nvarchar|nchar(?:\s+varying)?|national\s+(?:varchar|char(?:acter)?(?:\s+varying)?))\s*\(/.exec(
      code,
    )
    if (national === null) return
    yield {
      message: `${national[1]?.toUpperCase().replace(/\s+/g, ' ')} is utf8mb3 whatever the table's character set: characters of four bytes (emoji) cannot be stored`,
    }
  },
}
