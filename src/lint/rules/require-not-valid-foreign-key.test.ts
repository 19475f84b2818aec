import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'require-not-valid-foreign-key'

describe(ID, () => {
  it('flags a foreign key validated at creation', async () => {
    expect(
      await lintErrors(
        'alter table posts add constraint posts_author_fk foreign key (author_id) references users (id);',
        ID,
      ),
    ).toMatchInlineSnapshot(`
      "test.sql:1:23: error[require-not-valid-foreign-key]: adds foreign key posts_author_fk and validates it at once: scans posts under SHARE ROW EXCLUSIVE on posts and users, blocking writes to both
        |
      1 | alter table posts add constraint posts_author_fk foreign key (author_id) references users (id);
        |                       ^
        = help: Add it NOT VALID (no scan), then VALIDATE CONSTRAINT in a later transaction: validation takes SHARE UPDATE EXCLUSIVE, which blocks no writes."
    `)
  })

  it('accepts NOT VALID, its VALIDATE, and a new referencing table', async () => {
    await lintOk('alter table posts add constraint fk foreign key (a) references users (id) not valid;', ID)
    await lintOk('alter table posts validate constraint fk;', ID)
    await lintOk('create table p (a int);\nalter table p add constraint fk foreign key (a) references users (id);', ID)
  })
})
