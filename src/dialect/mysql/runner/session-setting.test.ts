import { describe, expect, it } from 'vitest'
import { isMysqlSessionSetting } from './session-setting.js'

describe('isMysqlSessionSetting', () => {
  it('takes what sets the session, as a resume runs it again', () => {
    for (const sql of [
      "SET sql_mode = 'ANSI_QUOTES,STRICT_TRANS_TABLES'",
      "SET SESSION sql_mode = 'TRADITIONAL'",
      "SET @keel_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = 'ANSI_QUOTES'",
      'SET SESSION sql_mode = @keel_sql_mode',
      'SET @@session.foreign_key_checks = 0',
      'SET @@foreign_key_checks := 0',
      'SET LOCAL time_zone = "+00:00"',
      'SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci',
      'SET CHARACTER SET utf8mb4',
      '/* a comment */ SET foreign_key_checks = 0',
      'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
      'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY',
      'SET SESSION TRANSACTION READ WRITE, ISOLATION LEVEL SERIALIZABLE',
    ])
      expect(isMysqlSessionSetting(sql), sql).toBe(true)
  })

  it('leaves the server, accounts, the next transaction and everything else', () => {
    for (const sql of [
      'SET GLOBAL max_connections = 10',
      'SET @@global.max_connections = 10',
      'SET PERSIST max_connections = 10',
      'SET sql_mode = DEFAULT, GLOBAL max_connections = 10',
      "SET PASSWORD = PASSWORD('x')",
      "SET PASSWORD FOR 'u'@'%' = 'x'",
      'SET DEFAULT ROLE r FOR u',
      'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE',
      'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY',
      'SET GLOBAL TRANSACTION READ ONLY, ISOLATION LEVEL SERIALIZABLE',
      'SET STATEMENT max_statement_time = 1 FOR SELECT 1',
      'CREATE PROCEDURE p() SET @x = 1',
      'UPDATE t SET a = 1',
    ])
      expect(isMysqlSessionSetting(sql), sql).toBe(false)
  })
})
