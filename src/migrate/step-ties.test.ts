import { describe, expect, it } from 'vitest'
import { changeOf } from '../../test/support/change-of.js'
import { breaks, createIdx, dropIdx, posts, recreation, step } from '../../test/support/whole-runs-steps.js'
import type { Step } from '../plan/step.js'
import { col, fk, index, nameOf, tableOf } from '../schema/build.js'
import { dependsOn, mustKeepOrder } from './step-ties.js'
import { keepRunsWhole } from './whole-runs.js'

const orders = nameOf('public.orders')

/** A step whose lock is on `tables` (the planner's lock of a foreign key: its own table and the one it references). */
const locking = (s: Step, ...tables: string[]): Step => ({
  ...s,
  lock: { ...s.lock, on: tables.map((name) => ({ schema: 'public', name })) },
})

/** orders' key named `name` over `columns`, referencing `table` (`referenced`), dropped or added. */
const orderKey = (
  kind: 'addForeignKey' | 'dropForeignKey',
  name: string,
  table: string,
  referenced: string[] = ['id'],
  columns: string[] = [`${table}_id`],
) => {
  const sql =
    kind === 'dropForeignKey'
      ? `ALTER TABLE public.orders DROP CONSTRAINT ${name}`
      : `ALTER TABLE public.orders ADD CONSTRAINT ${name} FOREIGN KEY (${columns.join(', ')}) REFERENCES public.${table} (${referenced.join(', ')}) NOT VALID`
  const foreignKey = fk(name, columns, nameOf(`public.${table}`), referenced)
  return locking(step(sql, 'orders', changeOf(kind, { table: orders, foreignKey })), 'orders', table)
}

/** A concurrent drop or build of an index of orders named `name` over `columns`. */
const orderIndex = (kind: 'createIndex' | 'dropIndex', name: string, columns: string[], unique = false) =>
  step(
    kind === 'dropIndex'
      ? `DROP INDEX CONCURRENTLY public.${name}`
      : `CREATE ${unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${name} ON public.orders (${columns.join(', ')})`,
    'orders',
    changeOf(kind, { table: orders, index: index(name, columns, { unique }) }),
    false,
  )

describe('the ties between an index and a foreign key of its own table', () => {
  // keel diff's safe plan for the round trip's pairs seed 8, pair 349 and seed 5, pair 132 (fc.sample): the lock on
  // orders tied DROP INDEX CONCURRENTLY orders_b_idx to the drop of orders' key to accounts, though the key reads no
  // index of orders (only accounts' key over the columns it references).
  const dropIndex = orderIndex('dropIndex', 'orders_b_idx', ['b'])
  const dropKey = orderKey('dropForeignKey', 'orders_accounts_id_fkey', 'accounts')

  it('leaves them apart when the key references another table', () => {
    expect(dependsOn(dropIndex, dropKey)).toBe(false)
    expect(dependsOn(dropKey, dropIndex)).toBe(false)
    expect(mustKeepOrder(dropIndex, dropKey)).toBe(false)
    expect(mustKeepOrder(dropKey, dropIndex)).toBe(false)
    // Even an index over the key's own columns: it speeds up the key's checks, but the key does not need it.
    const overKey = orderIndex('createIndex', 'orders_accounts_id_idx', ['accounts_id'], true)
    expect(dependsOn(overKey, orderKey('addForeignKey', 'orders_accounts_id_fkey', 'accounts'))).toBe(false)
  })

  it('ties them when the key references orders itself over exactly the unique index', () => {
    // orders.parent_id references orders (id): the key needs a unique index over id, and PostgreSQL refuses to drop
    // the index while the key depends on it.
    const selfKey = (kind: 'addForeignKey' | 'dropForeignKey') =>
      orderKey(kind, 'orders_parent_fkey', 'orders', ['id'], ['parent_id'])
    const keyIndex = (kind: 'createIndex' | 'dropIndex') => orderIndex(kind, 'orders_id_key', ['id'], true)
    expect(dependsOn(keyIndex('createIndex'), selfKey('addForeignKey'))).toBe(true)
    expect(dependsOn(selfKey('dropForeignKey'), keyIndex('dropIndex'))).toBe(true)
    expect(mustKeepOrder(keyIndex('dropIndex'), selfKey('dropForeignKey'))).toBe(true)
    // One it cannot use: not unique, partial, or over other columns.
    expect(dependsOn(orderIndex('dropIndex', 'orders_id_idx', ['id']), selfKey('dropForeignKey'))).toBe(false)
    expect(dependsOn(orderIndex('dropIndex', 'orders_b_key', ['b'], true), selfKey('dropForeignKey'))).toBe(false)
  })

  it('ties them when one names the other', () => {
    const named = locking(
      step(
        'ALTER TABLE public.orders DROP CONSTRAINT orders_b_idx',
        'orders',
        changeOf('dropForeignKey', { table: orders, foreignKey: fk('orders_b_idx', ['b'], 'public.accounts', ['id']) }),
      ),
      'orders',
      'accounts',
    )
    expect(dependsOn(dropIndex, named)).toBe(true)
  })

  it('still ties an index to the making or dropping of its own table', () => {
    const table = tableOf('public.orders', [col('id', 'int8'), col('b', 'int4'), col('accounts_id', 'int8')], {
      foreignKeys: [fk('orders_accounts_id_fkey', ['accounts_id'], 'public.accounts', ['id'])],
    })
    const create = locking(
      step('CREATE TABLE public.orders (...)', 'orders', changeOf('createTable', { table })),
      'orders',
      'accounts',
    )
    expect(dependsOn(orderIndex('createIndex', 'orders_b_idx', ['b']), create)).toBe(true)
  })

  it('moves the concurrent drop out of an enum recreation that drops keys of orders on both sides of it', () => {
    // posts is converted; orders has two keys to posts, dropped in the run (they lock posts). On main the drop of
    // orders_b_idx between them was tied to both by the lock on orders: error[SPLIT_RUN].
    const toPosts = (name: string) => {
      const foreignKey = fk(name, ['posts_id'], posts, ['id'])
      const sql = `ALTER TABLE public.orders DROP CONSTRAINT ${name}`
      return locking(step(sql, 'orders', changeOf('dropForeignKey', { table: orders, foreignKey })), 'orders', 'posts')
    }
    const [first, second] = [toPosts('orders_posts_id_fkey'), toPosts('orders_posts_id_fkey1')]
    const out = keepRunsWhole([dropIdx, first, dropIndex, second, ...recreation, createIdx], breaks)
    expect(out).toEqual([dropIndex, dropIdx, first, second, ...recreation, createIdx])
  })
})

describe('the ties of names in two schemas', () => {
  // keel diff's safe plan for an enum recreation that converts other.accounts.d (test/cli/split-run-schemas-apply):
  // the partial index other.shared_idx over d is dropped before the conversion and made again after it, and
  // public.shared_idx on orders is dropped concurrently. Compared without their schemas, the names tied the concurrent
  // drop to both: error[SPLIT_RUN].
  const accounts = nameOf('other.accounts')
  const inOther = (s: Step): Step => ({ ...s, lock: { ...s.lock, on: [accounts] } })
  const shared = index('shared_idx', ['id'], { where: "(d = 'p'::state)" })
  const dropOther = inOther(
    step('DROP INDEX other.shared_idx', 'accounts', changeOf('dropIndex', { table: accounts, index: shared })),
  )
  const createOther = inOther(
    step(
      "CREATE INDEX shared_idx ON other.accounts (id) WHERE (d = 'p'::state)",
      'accounts',
      changeOf('createIndex', { table: accounts, index: shared }),
    ),
  )
  const dropPublic = orderIndex('dropIndex', 'shared_idx', ['b'])

  it('leaves apart two indexes of one name in two schemas', () => {
    for (const [a, b] of [
      [dropPublic, dropOther],
      [dropPublic, createOther],
    ] as const) {
      expect(dependsOn(a, b)).toBe(false)
      expect(dependsOn(b, a)).toBe(false)
    }
  })

  it('still ties them in one schema, qualified or by the search path', () => {
    const inPublic = (sql: string) =>
      step(sql, 'accounts', changeOf('createIndex', { table: nameOf('public.accounts'), index: shared }))
    expect(dependsOn(dropPublic, inPublic('CREATE INDEX shared_idx ON public.accounts (id)'))).toBe(true)
    // The table without its schema: the index goes where the search path finds it, public among them.
    expect(dependsOn(dropPublic, { ...createOther, sql: 'CREATE INDEX shared_idx ON accounts (id)' })).toBe(true)
    // An expression of the model naming a relation alone: in public by the search path it was printed under.
    const reader = inOther(
      step(
        'ALTER TABLE other.accounts ADD COLUMN n bigint',
        'accounts',
        changeOf('addColumn', {
          table: accounts,
          column: col('n', 'int8', { default: "nextval('shared_idx'::regclass)" }),
        }),
      ),
    )
    expect(dependsOn(dropPublic, reader)).toBe(true)
  })

  it('moves the concurrent drop of an index named as one the run drops and makes again in another schema', () => {
    // The run's index is public.posts_happy (over posts.m, converted); other.posts_happy is on other.orders.
    const otherOrders = nameOf('other.orders')
    const dropElsewhere: Step = {
      ...step(
        'DROP INDEX CONCURRENTLY other.posts_happy',
        'orders',
        changeOf('dropIndex', { table: otherOrders, index: index('posts_happy', ['id']) }),
        false,
      ),
      lock: { mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on: [otherOrders] },
    }
    const out = keepRunsWhole([dropIdx, dropElsewhere, ...recreation, createIdx], breaks)
    expect(out).toEqual([dropElsewhere, dropIdx, ...recreation, createIdx])
  })
})
