import { describe, expect, it } from 'vitest'
import { findingsOf, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-dml-with-implicit-commit'
const mysql = { dialect: 'mysql' } as const

describe(ID, () => {
  it('flags a data change beside DDL, which commits implicitly', async () => {
    const findings = await findingsOf(
      "ALTER TABLE users ADD COLUMN plan VARCHAR(10);\nUPDATE users SET plan = 'free';",
      ID,
      mysql,
    )
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [
        2,
        'changes rows in a migration whose DDL (`ALTER TABLE users ADD COLUMN plan VARCHAR(10)`, line 1) commits implicitly: the two cannot be rolled back together',
      ],
    ])
  })

  it('leaves the near-misses alone', async () => {
    await lintOk("UPDATE users SET plan = 'free' WHERE id < 1000;\nDELETE FROM sessions;", ID, mysql)
    await lintOk('ALTER TABLE users ADD COLUMN plan VARCHAR(10);\nSELECT 1;', ID, mysql)
  })
})
