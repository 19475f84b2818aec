import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors } from '../../../test/support/lint.js'

const ID = 'ban-unused-lint-ignore'

describe(ID, () => {
  it('reports an ignore that matches nothing, and one naming an unknown rule', async () => {
    const sql =
      'select 1;\n-- keel:lint-ignore require-concurrent-index built concurrently\ncreate index concurrently i on t (a);\n-- keel:lint-ignore require-concurent-index typo\ncreate index j on t (b);'
    expect(await lintErrors(sql, ID)).toMatchInlineSnapshot(`
      "test.sql:2:1: warning[ban-unused-lint-ignore]: keel:lint-ignore require-concurrent-index matches no finding on the next statement
        |
      2 | -- keel:lint-ignore require-concurrent-index built concurrently
        | ^
        = help: Remove the comment, or fix the rule id (\`keel lint --rules\` lists them).

      test.sql:4:1: warning[ban-unused-lint-ignore]: keel:lint-ignore names no known rule: require-concurent-index
        |
      4 | -- keel:lint-ignore require-concurent-index typo
        | ^
        = help: Remove the comment, or fix the rule id (\`keel lint --rules\` lists them)."
    `)
  })

  it('says nothing about an ignore that suppressed a finding', async () => {
    const sql = 'select 1;\n-- keel:lint-ignore require-concurrent-index t has 12 rows\ncreate index i on t (a);'
    expect(await findingsOf(sql, ID)).toEqual([])
  })
})
