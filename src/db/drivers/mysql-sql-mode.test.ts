import { describe, expect, it } from 'vitest'
import { keelSqlMode } from './mysql-sql-mode.js'

describe('keelSqlMode', () => {
  it('keeps a mode that reads SQL as Keel writes it (no SET)', () => {
    expect(keelSqlMode('STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION')).toBeUndefined()
    expect(keelSqlMode('')).toBeUndefined()
  })
  it('drops the lexical flags and the combination modes that imply ANSI_QUOTES, keeping the rest', () => {
    expect(keelSqlMode('ANSI_QUOTES,NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES')).toBe('STRICT_TRANS_TABLES')
    // MariaDB's expansion of sql_mode=ANSI
    expect(keelSqlMode('REAL_AS_FLOAT,PIPES_AS_CONCAT,ANSI_QUOTES,IGNORE_SPACE,ANSI')).toBe(
      'REAL_AS_FLOAT,PIPES_AS_CONCAT,IGNORE_SPACE',
    )
    expect(keelSqlMode('NO_BACKSLASH_ESCAPES')).toBe('')
  })
})
