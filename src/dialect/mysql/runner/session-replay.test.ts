import { describe, expect, it } from 'vitest'
import { KeelError } from '../../../errors.js'
import { mysqlSessionReplay } from './session-replay.js'
import { sessionStateUse } from './session-state.js'
import { splitMysql } from './split-statements.js'

const migration = { id: '20260101000000_m', version: '20260101000000' }

/** The statements a resume after `completed` of them runs again, by their text. */
function replayed(script: string, completed: number): readonly string[] {
  const statements = splitMysql(script)
  return mysqlSessionReplay(statements.slice(0, completed), statements.slice(completed), migration).map((s) => s.sql)
}

function refusal(script: string, completed: number): KeelError {
  try {
    replayed(script, completed)
  } catch (error) {
    if (error instanceof KeelError) return error
    throw error
  }
  throw new Error('the resume was not refused')
}

describe('sessionStateUse', () => {
  it('tells what sets user variables and what reads them', () => {
    expect(sessionStateUse('SELECT COUNT(*) INTO @n FROM t')).toMatchObject({ reads: [], writes: ['@n'] })
    expect(sessionStateUse('SELECT a, b INTO @A, @`b c` FROM t LIMIT 1').writes).toEqual(['@a', '@b c'])
    expect(sessionStateUse('UPDATE t SET pos = (@i := @i + 1)')).toMatchObject({ reads: ['@i'], writes: ['@i'] })
    expect(sessionStateUse('SET @x = f(@y), sql_mode = @old')).toMatchObject({
      reads: ['@y', '@old'],
      writes: ['@x'],
    })
    expect(sessionStateUse("INSERT INTO t VALUES (@x, 'a@b', @@sql_mode)").reads).toEqual(['@x'])
    expect(sessionStateUse("CREATE USER 'u'@'localhost'").reads).toEqual([])
    expect(sessionStateUse('CREATE DEFINER=root@localhost PROCEDURE p() SET @x = @y + 1').writes).toEqual([])
  })

  it('tells temporary tables and prepared statements', () => {
    expect(sessionStateUse('CREATE TEMPORARY TABLE IF NOT EXISTS Tmp AS SELECT 1').writes).toEqual([
      'temporary table tmp',
    ])
    const known = new Set(['temporary table tmp', 'prepared statement s'])
    expect(sessionStateUse('UPDATE t JOIN tmp USING (id) SET t.a = 1', known).reads).toEqual(['temporary table tmp'])
    expect(sessionStateUse('UPDATE t SET tmpx = 1', known).reads).toEqual([])
    expect(sessionStateUse('DROP TEMPORARY TABLE tmp', known).drops).toEqual(['temporary table tmp'])
    expect(sessionStateUse('PREPARE s FROM @sql').writes).toEqual(['prepared statement s'])
    expect(sessionStateUse('EXECUTE s USING @a', known).reads).toEqual(['@a', 'prepared statement s'])
  })
})

describe('mysqlSessionReplay', () => {
  it('runs session settings again, and user variables set from a literal or a system variable', () => {
    const script = [
      "SET @keel_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = 'ANSI_QUOTES';",
      'SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0;',
      'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY;',
      "SET @batch = 500, @label = 'x';",
      'CREATE TABLE a (id INT);',
      'SET SESSION sql_mode = @keel_sql_mode;',
      'INSERT INTO a SELECT seq FROM seq_1_to_100 LIMIT @batch;',
    ].join('\n')
    expect(replayed(script, 6)).toEqual([
      "SET @keel_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = 'ANSI_QUOTES'",
      'SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0',
      'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY',
      "SET @batch = 500, @label = 'x'",
      'SET SESSION sql_mode = @keel_sql_mode',
    ])
  })

  it('never runs a user variable set from an expression again, and needs it only where the rest reads it', () => {
    const script = ['SET @id = UUID();', "INSERT INTO log VALUES (@id, 'x');", 'CREATE TABLE b (id INT);'].join('\n')
    // The INSERT read @id on the first session; the CREATE, still to run, reads nothing.
    expect(replayed(script, 2)).toEqual([])
    const error = refusal(script, 1)
    expect(error.code).toBe('PARTIAL_MIGRATION')
    expect(error.message).toBe(
      '20260101000000_m: cannot resume on a new session: line 1 (statement 1), committed before the migration stopped, made @id (SET: SET @id = UUID()), and line 2 (statement 2), still to run, reads it; @id does not exist on the new session and Keel does not run line 1 (statement 1) again',
    )
    expect(error.hint).toContain('run statements 2 to 3 by hand in one session')
    expect(error.hint).toContain('`keel resolve 20260101000000 --applied`')
    expect(error.hint).toContain('`keel resolve 20260101000000 --rolled-back`')
  })

  it('refuses a rest that reads what SELECT ... INTO, :=, a temporary table or PREPARE made', () => {
    const cases: readonly [string, string][] = [
      ['SELECT MAX(id) INTO @top FROM a;\nCREATE TABLE b (id INT);\nINSERT INTO b VALUES (@top)', 'SELECT ... INTO'],
      ['SELECT @n := COUNT(*) FROM a;\nCREATE TABLE b (id INT);\nINSERT INTO b VALUES (@n)', ':='],
      [
        'CREATE TEMPORARY TABLE ids SELECT id FROM a;\nCREATE TABLE b (id INT);\nINSERT INTO b SELECT id FROM ids',
        'CREATE TEMPORARY TABLE',
      ],
      ["PREPARE s FROM 'INSERT INTO b VALUES (1)';\nCREATE TABLE b (id INT);\nEXECUTE s", 'PREPARE'],
    ]
    for (const [script, how] of cases) expect(refusal(script, 2).message, script).toContain(`(${how}: `)
  })

  it('does not refuse what the rest makes again before reading it, or what the committed part dropped', () => {
    expect(replayed('SELECT 1 INTO @a;\nCREATE TABLE b (id INT);\nSET @a = 2;\nINSERT INTO b VALUES (@a)', 2)).toEqual(
      [],
    )
    expect(
      replayed('CREATE TEMPORARY TABLE ids (id INT);\nDROP TEMPORARY TABLE ids;\nCREATE TABLE ids (id INT)', 2),
    ).toEqual([])
    // A procedure's body runs when it is called, not when it is created.
    expect(replayed('SELECT 1 INTO @a;\nCREATE TABLE b (id INT);\nCREATE PROCEDURE p() SELECT @a', 2)).toEqual([])
  })

  it('refuses a setting that would run again reading a variable that is gone, and a SET that mixes both', () => {
    expect(
      refusal(
        "SELECT @@sql_mode INTO @old;\nSET sql_mode = '';\nCREATE TABLE b (id INT);\nSET sql_mode = @old;\nSELECT 1",
        4,
      ).message,
    ).toContain('line 4 (statement 4), a session setting that a resume would run again, reads it')
    const mixed = refusal("SET @n = (SELECT COUNT(*) FROM a), sql_mode = '';\nCREATE TABLE b (id INT);\nSELECT 1", 2)
    expect(mixed.message).toContain(
      'sets session variables together with @n from an expression that Keel does not run twice',
    )
    expect(mixed.hint).toContain('Give the user variables a SET statement of their own.')
  })
})
