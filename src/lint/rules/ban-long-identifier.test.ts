import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-long-identifier'

describe(ID, () => {
  it('flags an identifier longer than 63 bytes', async () => {
    expect(
      await lintErrors(
        'create index index_users_on_organization_id_and_created_at_and_deleted_at_partial on users (organization_id);',
        ID,
      ),
    ).toMatchInlineSnapshot(`
      "test.sql:1:1: error[ban-long-identifier]: index_users_on_organization_id_and_created_at_and_deleted_at_partial is 68 bytes long: PostgreSQL truncates it to 63
        |
      1 | create index index_users_on_organization_id_and_created_at_and_deleted_at_partial on users (organization_id);
        | ^
        = help: Use a shorter name."
    `)
  })

  it('leaves the near-misses alone', async () => {
    await lintOk('create index users_org_idx on users (organization_id);', ID)
  })
})
