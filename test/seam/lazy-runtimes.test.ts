import { describe, expect, it } from 'vitest'
import { loadedRuntimes } from '../../src/dialect/runtimes.js'
import { lintSource } from '../../src/lint/lint.js'
import { parseFor } from '../../src/lint/lint-migration.js'

// A worker of its own (ISOLATED_FILES in vitest.config.ts): what a file loads stays loaded in a shared worker's module
// graph, and this test must start with no dialect loaded.
const loadedNames = () => [...loadedRuntimes()].map((runtime) => runtime.name).sort()

describe('lint loads the dialects it is asked for, on first use', () => {
  it('lints PostgreSQL with no MySQL or SQLite module, and loads them all only to know a rule id it was not given', async () => {
    expect(loadedNames()).toEqual([])
    const sql = 'create index i on t (a);\n'
    const statements = await parseFor(sql, 'up.sql', { dialect: 'postgres' })
    const findings = await lintSource({ file: 'up.sql', text: sql, statements }, { dialect: 'postgres' })
    expect(findings.map((f) => f.rule)).toContain('require-concurrent-index')
    expect(loadedNames()).toEqual(['postgres'])

    // SQLite's own rule named in a PostgreSQL file is a rule that matched nothing, not an unknown id: telling the
    // two apart takes every dialect's rules, which then load.
    const ignoring = '-- keel:lint-ignore ban-table-rebuild the table is empty\ncreate table t (a int);\n'
    const parsed = await parseFor(ignoring, 'up.sql', { dialect: 'postgres' })
    const messages = (await lintSource({ file: 'up.sql', text: ignoring, statements: parsed }, { dialect: 'postgres' }))
      .filter((f) => f.rule === 'ban-unused-lint-ignore')
      .map((f) => f.message)
    expect(messages).toEqual(['keel:lint-ignore ban-table-rebuild matches no finding in this file'])
    expect(loadedNames()).toEqual(['mysql', 'pglite', 'postgres', 'sqlite'])
  })
})
