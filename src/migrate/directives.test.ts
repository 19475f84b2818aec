import { describe, expect, it } from 'vitest'
import { parseDirectives } from './directives.js'

describe('parseDirectives', () => {
  it('reads the directives of the leading comments', () => {
    const text = [
      '-- Backfill in batches.',
      '-- keel:no-transaction',
      '-- keel:phase backfill',
      '-- keel:lock-timeout 10s',
      '-- keel:lock-deadline 2m',
      '-- keel:statement-timeout 5min',
      '-- keel:lint-ignore require-concurrent-index small table, reviewed',
      '',
      'update t set a = 1;',
    ].join('\n')
    expect(parseDirectives(text, 'up.sql')).toEqual({
      noTransaction: true,
      phase: 'backfill',
      lockTimeout: '10s',
      lockDeadlineMs: 120_000,
      statementTimeout: '5min',
      lintIgnores: [{ ruleId: 'require-concurrent-index', reason: 'small table, reviewed', line: 7 }],
    })
  })

  it('refuses a lock deadline that is no duration', () => {
    expect(() => parseDirectives('-- keel:lock-deadline soon\nselect 1;', 'up.sql')).toThrow(
      'keel:lock-deadline needs a duration',
    )
  })

  it('returns the defaults for a file without directives', () => {
    expect(parseDirectives('create table t (id int);', 'up.sql')).toEqual({ noTransaction: false, lintIgnores: [] })
  })

  it('reads // comments in TypeScript migrations', () => {
    expect(
      parseDirectives('// keel:no-transaction\nexport async function up() {}', 'migration.ts', '//').noTransaction,
    ).toBe(true)
  })

  it('refuses a misspelt directive instead of ignoring it', () => {
    expect(() => parseDirectives('-- keel:no-transation\nselect 1;', 'm/up.sql')).toThrow(
      'm/up.sql:1: unknown directive keel:no-transation',
    )
  })

  it('refuses a directive below the first statement, except a statement-level lint-ignore', () => {
    expect(() => parseDirectives('select 1;\n-- keel:no-transaction\n', 'up.sql')).toThrow(
      'up.sql:2: the directive keel:no-transaction must be in the comments at the top of the file',
    )
    expect(
      parseDirectives('select 1;\n-- keel:lint-ignore some-rule why\nselect 2;', 'up.sql').lintIgnores,
    ).toHaveLength(1)
  })

  it('checks directive arguments', () => {
    expect(() => parseDirectives('-- keel:phase later', 'up.sql')).toThrow(
      'keel:phase must be one of expand, backfill, contract',
    )
    expect(() => parseDirectives("-- keel:lock-timeout 5s'; drop table x; --", 'up.sql')).toThrow('needs a duration')
    expect(() => parseDirectives('-- keel:no-transaction please', 'up.sql')).toThrow('takes no argument')
  })

  it('reads the batch size and pause of a backfill', () => {
    const d = parseDirectives(
      '-- keel:phase backfill\n-- keel:batch-size 500\n-- keel:batch-pause 2s\nupdate t set a = 1',
      'up.sql',
    )
    expect([d.phase, d.batchSize, d.batchPauseMs]).toEqual(['backfill', 500, 2000])
    expect(() => parseDirectives('-- keel:batch-size 0', 'up.sql')).toThrow('keel:batch-size needs a row count')
  })
})
