import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-table-copy'
const mysql = { dialect: 'mysql' } as const

describe(ID, () => {
  it('flags ALGORITHM=COPY on an existing table, and warns of a change that may copy without ALGORITHM=', async () => {
    expect(
      await lintErrors('ALTER TABLE `users` MODIFY email VARCHAR(300), ALGORITHM=COPY;', ID, mysql),
    ).toMatchInlineSnapshot(`
        "test.sql:1:1: error[ban-table-copy]: copies users row by row (ALGORITHM=COPY): writes to users are blocked until it ends
          |
        1 | ALTER TABLE \`users\` MODIFY email VARCHAR(300), ALGORITHM=COPY;
          | ^
          = help: State ALGORITHM=INSTANT or ALGORITHM=INPLACE, LOCK=NONE so that the server refuses instead of copying; for a change that needs a copy, use an online schema change tool (pt-online-schema-change, gh-ost) or expand/contract with a new column."
      `)
    const [warning] = await findingsOf('alter table users convert to character set utf8mb4;', ID, mysql)
    expect([warning?.severity, warning?.message]).toEqual([
      'warning',
      'CONVERT TO CHARACTER SET without ALGORITHM=: the server may copy users, blocking writes until it ends',
    ])
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('ALTER TABLE users ADD COLUMN nick VARCHAR(50), ALGORITHM=INSTANT;', ID, mysql)
    await lintOk('ALTER TABLE users MODIFY email VARCHAR(300), ALGORITHM=INPLACE, LOCK=NONE;', ID, mysql)
    await lintOk('CREATE TABLE t (a INT);\nALTER TABLE t MODIFY a BIGINT, ALGORITHM=COPY;', ID, mysql)
    await lintOk("ALTER TABLE users COMMENT 'modify column later';", ID, mysql)
    // A PostgreSQL file is not read by MySQL rules.
    await lintOk('alter table users alter column a type bigint;', ID)
  })
})
