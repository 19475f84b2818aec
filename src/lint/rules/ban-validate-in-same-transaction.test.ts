import { describe, expect, it } from 'vitest'
import { lintErrors, lintOk } from '../../../test/support/lint.js'

const ID = 'ban-validate-in-same-transaction'

const addCheck = 'alter table orders add constraint orders_total_positive check (total >= 0) not valid;'
const addFk =
  'alter table posts add constraint posts_author_fk foreign key (author_id) references users (id) not valid;'

describe(ID, () => {
  it('flags VALIDATE in the explicit transaction that added the constraint NOT VALID', async () => {
    expect(
      await lintErrors(
        `begin;\n${addCheck}\nalter table orders validate constraint orders_total_positive;\ncommit;\n`,
        ID,
      ),
    ).toMatchInlineSnapshot(`
      "test.sql:3:1: error[ban-validate-in-same-transaction]: validates orders_total_positive in the transaction that added it NOT VALID (line 2): the lock ADD CONSTRAINT took on orders is held through the validating scan
        |
      3 | alter table orders validate constraint orders_total_positive;
        | ^
        = help: COMMIT between the two (or put VALIDATE CONSTRAINT in a later migration); Keel's runner does this for a migration folder."
    `)
    const fk = await lintErrors(`${addFk}\nalter table posts validate constraint posts_author_fk;\n`, ID, {
      assumeInTransaction: true,
    })
    expect(fk).toContain('validates posts_author_fk in the transaction that added it NOT VALID (line 1)')
  })

  it('leaves the near-misses alone', async () => {
    // A COMMIT in between: the safe form.
    await lintOk(`begin;\n${addCheck}\ncommit;\nalter table orders validate constraint orders_total_positive;\n`, ID)
    // Keel's runner commits before each VALIDATE CONSTRAINT of a migration folder.
    await lintOk(`${addCheck}\nalter table orders validate constraint orders_total_positive;\n`, ID, { migration: {} })
    // A loose file runs statement by statement unless told otherwise.
    await lintOk(`${addCheck}\nalter table orders validate constraint orders_total_positive;\n`, ID)
    // Another constraint, or the same name on another table.
    await lintOk(`begin;\n${addCheck}\nalter table orders validate constraint orders_other;\ncommit;\n`, ID)
    await lintOk(`begin;\n${addCheck}\nalter table invoices validate constraint orders_total_positive;\ncommit;\n`, ID)
  })
})
