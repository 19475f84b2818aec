import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'require-index-for-foreign-key'
const mysql = { dialect: 'mysql' } as const

describe(ID, () => {
  it('flags a foreign key that no declared index serves', async () => {
    expect(
      await lintErrors(
        'CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT,\n  CONSTRAINT posts_author_fk FOREIGN KEY (author_id) REFERENCES users (id));',
        ID,
        mysql,
      ),
    ).toMatchInlineSnapshot(`
      "test.sql:1:1: warning[require-index-for-foreign-key]: foreign key posts_author_fk on posts (author_id) has no index on (author_id): InnoDB builds one implicitly, outside the schema
        |
      1 | CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT,
        | ^
        = help: Declare the index yourself, before or beside the foreign key: \`INDEX (author_id)\` in CREATE TABLE, or \`ALTER TABLE posts ADD INDEX posts_author_id_idx (author_id), ALGORITHM=INPLACE, LOCK=NONE\` first."
    `)
    // An index whose leftmost column is another one does not serve it.
    const [late] = await findingsOf(
      'CREATE TABLE t (a INT, b INT, KEY (b, a));\nALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u (id);',
      ID,
      mysql,
    )
    expect([late?.line, late?.severity]).toEqual([2, 'warning'])
  })

  it('says info, not warning, on an existing table whose indexes it cannot see', async () => {
    const [finding] = await findingsOf(
      'ALTER TABLE posts ADD FOREIGN KEY (author_id) REFERENCES users (id);',
      ID,
      mysql,
    )
    expect(finding?.severity).toBe('info')
    const live = { tables: new Map([['posts', { rows: 10, bytes: 16384 }]]) }
    const [known] = await findingsOf('ALTER TABLE posts ADD FOREIGN KEY (author_id) REFERENCES users (id);', ID, {
      ...mysql,
      live: { ...live, indexes: new Map([['posts', [['id']]]]) },
    })
    expect(known?.severity).toBe('warning')
  })

  it('leaves foreign keys served by an index alone', async () => {
    await lintOk(
      'CREATE TABLE posts (id BIGINT PRIMARY KEY, author_id BIGINT, INDEX (author_id, id),\n  FOREIGN KEY (author_id) REFERENCES users (id));',
      ID,
      mysql,
    )
    await lintOk('CREATE TABLE m (a INT, b INT, PRIMARY KEY (a, b), FOREIGN KEY (a) REFERENCES u (id));', ID, mysql)
    await lintOk('CREATE TABLE m (a INT UNIQUE, FOREIGN KEY (a) REFERENCES u (id));', ID, mysql)
    await lintOk(
      'CREATE INDEX posts_author ON posts (author_id);\nALTER TABLE posts ADD FOREIGN KEY (author_id) REFERENCES users (id);',
      ID,
      mysql,
    )
    await lintOk(
      'ALTER TABLE posts ADD INDEX (author_id), ADD CONSTRAINT fk FOREIGN KEY (author_id) REFERENCES users (id);',
      ID,
      mysql,
    )
    const live = {
      tables: new Map([['posts', { rows: 10, bytes: 16384 }]]),
      indexes: new Map([['posts', [['author_id']]]]),
    }
    await lintOk('ALTER TABLE posts ADD FOREIGN KEY (author_id) REFERENCES users (id);', ID, { ...mysql, live })
    // A FULLTEXT index cannot serve it.
    expect(
      await findingsOf('CREATE TABLE t (a VARCHAR(9), FULLTEXT KEY (a), FOREIGN KEY (a) REFERENCES u (c));', ID, mysql),
    ).toHaveLength(1)
  })
})
