import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk } from '../../../test/support/lint.js'

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

  it('flags ADD COLUMN ... REFERENCES, which cannot be NOT VALID', async () => {
    const findings = await findingsOf('alter table emails add column user_id int references users (id);', ID)
    expect(findings.map((f) => [f.column, f.message, f.hint])).toEqual([
      [
        43,
        'adds column user_id with a foreign key to users, validated at once: scans emails and takes SHARE ROW EXCLUSIVE on users, blocking writes to it',
        'Add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN KEY (user_id) REFERENCES users NOT VALID, and VALIDATE CONSTRAINT it in a later transaction.',
      ],
    ])
    await lintOk('create table emails (a int);\nalter table emails add column user_id int references users (id);', ID)
  })

  it('accepts NOT VALID, its VALIDATE, and a new referencing table', async () => {
    await lintOk('alter table posts add constraint fk foreign key (a) references users (id) not valid;', ID)
    await lintOk('alter table posts validate constraint fk;', ID)
    await lintOk('create table p (a int);\nalter table p add constraint fk foreign key (a) references users (id);', ID)
  })
})
