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

  it('does not take a prefix index for one that serves, nor miss an index written as the grammar lacks it', async () => {
    // `(name(10), a)` serves no foreign key on (a): its leftmost part is a prefix of name.
    const prefixed = await findingsOf(
      [
        'CREATE TABLE t (a INT, b VARCHAR(40), name VARCHAR(40));',
        'CREATE INDEX t_name_a ON t (name(10), a);',
        'ALTER TABLE t ADD INDEX t_a_b (a, b(10));',
        'ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES u (id), ADD FOREIGN KEY (a, b) REFERENCES v (x, y);',
      ].join('\n'),
      ID,
      mysql,
    )
    // (a) is served by t_a_b; (a, b) is not (b is only a prefix there), nor is anything by t_name_a.
    expect(prefixed.map((f) => [f.line, f.message.split(':')[0]])).toEqual([
      [4, 'foreign key on t (a, b) has no index on (a, b)'],
    ])
    // Chinook's NVARCHAR, MariaDB's CREATE INDEX IF NOT EXISTS and SERIAL's own unique index are read.
    await lintOk(
      [
        'CREATE TABLE `Album` (`AlbumId` INT NOT NULL, `Title` NVARCHAR(160) NOT NULL, `ArtistId` INT NOT NULL, CONSTRAINT `PK_Album` PRIMARY KEY (`AlbumId`));',
        'CREATE INDEX IF NOT EXISTS `IFK_AlbumArtistId` ON `Album` (`ArtistId`);',
        'ALTER TABLE `Album` ADD CONSTRAINT `FK_AlbumArtistId` FOREIGN KEY (`ArtistId`) REFERENCES `Artist` (`ArtistId`);',
        'CREATE TABLE s (id SERIAL, FOREIGN KEY (id) REFERENCES u (id)) ENGINE=InnoDB STATS_PERSISTENT=0;',
      ].join('\n'),
      ID,
      mysql,
    )
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
