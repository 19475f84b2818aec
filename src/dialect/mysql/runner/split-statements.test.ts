import { describe, expect, it } from 'vitest'
import { implicitCommit, splitMysql } from './split-statements.js'

const sqlOf = (text: string) => splitMysql(text).map((s) => s.sql)

describe('splitMysql', () => {
  it('splits at semicolons outside strings, backticks and comments, with each statement line', () => {
    const text = [
      "INSERT INTO t VALUES ('a;b', \"c;d\", 'it\\'s;', 'x'';y');",
      '-- a comment; with a semicolon',
      '# another; one',
      'CREATE TABLE `we;ird` (id INT) /* a; comment */;',
      '',
      'SELECT 1',
    ].join('\n')
    const statements = splitMysql(text)
    expect(statements.map((s) => [s.line, s.sql])).toEqual([
      [1, "INSERT INTO t VALUES ('a;b', \"c;d\", 'it\\'s;', 'x'';y')"],
      [4, 'CREATE TABLE `we;ird` (id INT) /* a; comment */'],
      [6, 'SELECT 1'],
    ])
    expect(statements.map((s) => s.kind)).toEqual(['INSERT', 'CREATE TABLE', 'SELECT'])
  })

  it('follows DELIMITER for routine and trigger bodies', () => {
    const text = [
      'DELIMITER $$',
      'CREATE PROCEDURE p()',
      'BEGIN',
      '  SELECT 1; SELECT 2;',
      'END$$',
      'CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END $$',
      'DELIMITER ;',
      'SELECT 3;',
    ].join('\n')
    const statements = splitMysql(text)
    expect(statements.map((s) => s.line)).toEqual([2, 6, 8])
    expect(statements[0]?.sql).toBe('CREATE PROCEDURE p()\nBEGIN\n  SELECT 1; SELECT 2;\nEND')
    expect(statements[2]?.sql).toBe('SELECT 3')
  })

  it('keeps a BEGIN ... END body whole without DELIMITER, nested blocks included', () => {
    const text = `CREATE DEFINER=\`root\`@\`%\` PROCEDURE p(x INT)
BEGIN
  DECLARE y INT DEFAULT IF(x > 1, 1, 0);
  IF x > 0 THEN
    WHILE x > 0 DO SET x = x - 1; END WHILE;
  ELSE
    SET y = CASE WHEN x = 0 THEN 1 ELSE REPEAT('a', 2) END;
  END IF;
  lbl: LOOP LEAVE lbl; END LOOP lbl;
END;
CREATE TABLE IF NOT EXISTS after_it (id INT);
BEGIN NOT ATOMIC SELECT 1; SELECT 2; END;
CREATE FUNCTION f() RETURNS INT RETURN 1;
SELECT 4`
    expect(sqlOf(text).map((s) => s.split('\n')[0])).toEqual([
      'CREATE DEFINER=`root`@`%` PROCEDURE p(x INT)',
      'CREATE TABLE IF NOT EXISTS after_it (id INT)',
      'BEGIN NOT ATOMIC SELECT 1; SELECT 2; END',
      'CREATE FUNCTION f() RETURNS INT RETURN 1',
      'SELECT 4',
    ])
  })

  it('marks what commits implicitly: DDL runs alone, DML shares a transaction', () => {
    expect(implicitCommit('ALTER TABLE t ADD COLUMN a INT')).toMatch(/^ALTER TABLE/)
    expect(implicitCommit('CREATE UNIQUE INDEX i ON t (a)')).toMatch(/^CREATE UNIQUE INDEX/)
    expect(implicitCommit('/*!40101 DROP TABLE t */')).toBeDefined()
    expect(implicitCommit('RENAME TABLE a TO b')).toBeDefined()
    expect(implicitCommit('TRUNCATE t')).toBeDefined()
    expect(implicitCommit('CREATE TEMPORARY TABLE x (id INT)')).toBeUndefined()
    expect(implicitCommit('INSERT INTO t VALUES (1)')).toBeUndefined()
    expect(implicitCommit('UPDATE t SET a = 1')).toBeUndefined()
    expect(implicitCommit('SET @x = 1')).toBeUndefined()
  })

  it('keeps executable comments as statements and drops plain ones', () => {
    expect(sqlOf('/*!40101 SET NAMES utf8mb4 */;\n/* only a comment */;\n-- nothing\n;')).toEqual([
      '/*!40101 SET NAMES utf8mb4 */',
    ])
  })
})
