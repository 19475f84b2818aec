import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors } from '../../../test/support/lint.js'

const ID = 'require-lint-ignore-reason'

describe(ID, () => {
  it('reports an ignore without a reason and does not honour it', async () => {
    const sql = 'select 1;\n-- keel:lint-ignore require-concurrent-index\ncreate index i on t (a);'
    expect(await lintErrors(sql, ID)).toMatchInlineSnapshot(`
      "test.sql:2:1: error[require-lint-ignore-reason]: keel:lint-ignore require-concurrent-index gives no reason, so it is not honoured
        |
      2 | -- keel:lint-ignore require-concurrent-index
        | ^
        = help: Write why the finding is safe to ignore after the rule id: \`-- keel:lint-ignore RULE the table is empty\`."
    `)
    expect(await findingsOf(sql, 'require-concurrent-index')).toHaveLength(1)
  })

  it('honours an ignore with a reason, on the next statement only', async () => {
    const sql =
      'select 1;\n-- keel:lint-ignore require-concurrent-index t has 12 rows\ncreate index i on t (a);\ncreate index j on t (b);'
    expect((await findingsOf(sql, 'require-concurrent-index')).map((f) => f.line)).toEqual([4])
    expect(await findingsOf(sql, ID)).toEqual([])
  })

  it('honours an ignore at the top of a file for every statement, and one at the end of a line', async () => {
    const top =
      '-- keel:lint-ignore require-concurrent-index the tables are tiny\ncreate index i on t (a);\ncreate index j on t (b);'
    expect(await findingsOf(top, 'require-concurrent-index')).toEqual([])
    const trailing =
      'create index i on t (a); -- keel:lint-ignore require-concurrent-index t is tiny\ncreate index j on t (b);'
    expect((await findingsOf(trailing, 'require-concurrent-index')).map((f) => f.line)).toEqual([2])
  })
})
