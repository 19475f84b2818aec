import { describe, expect, it } from 'vitest'
import { findingsOf, lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-duplicate-column-assignment'

describe(ID, () => {
  it('flags UPDATE ... SET that assigns one column twice', async () => {
    expect(await lintErrors("update users set plan = 'free', plan = 'pro' where id = 1;", ID)).toMatchInlineSnapshot(`
      "test.sql:1:33: error[ban-duplicate-column-assignment]: assigns plan twice: PostgreSQL refuses the statement
        |
      1 | update users set plan = 'free', plan = 'pro' where id = 1;
        |                                 ^
        = help: Assign each column once."
    `)
  })

  it('flags a column twice in an INSERT list, ON CONFLICT DO UPDATE SET, MERGE, or whole and in part', async () => {
    for (const sql of [
      'insert into t (a, a) values (1, 2);',
      'insert into k values (1) on conflict (id) do update set a = 1, a = 2;',
      'merge into k using j on k.id = j.id when not matched then insert (a, a) values (1, 2);',
      'update k set a = row(1, 2), a.x = 1;',
    ])
      expect(
        (await findingsOf(sql, ID)).map((f) => f.message),
        sql,
      ).toEqual(['assigns a twice: PostgreSQL refuses the statement'])
  })

  it('leaves the near-misses alone', async () => {
    await lintOk("update users set plan = 'free', name = 'x' where id = 1;", ID)
    await lintOk('update k set a.x = 1, a.y = 2;\nupdate k set a[1] = 1, a[2] = 2;\nupdate k set "A" = 1, A = 2;', ID)
    await lintOk(
      'insert into k (a.x, a.y) values (1, 2);\ninsert into k (a, b) values (1, 2) on conflict (a) do update set b = 3;',
      ID,
    )
  })
})
