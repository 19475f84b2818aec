import { describe, expect, it } from 'vitest'
import type { Change } from '../../diff/change.js'
import { invertChange } from '../../plan/invert.js'
import { safePolicy } from '../../plan/policy.js'
import { check, col, fk, pk, tableOf, unique } from '../../schema/build.js'
import { planPostgres } from './plan.js'

const products = { schema: 'public', name: 'products' }
const orderItems = tableOf(
  'public.order_items',
  [col('product_no', 'int4', { nullable: false }), col('quantity', 'int4')],
  { foreignKeys: [fk('order_items_product_no_fkey', ['product_no'], products, ['product_no'])] },
)
const sqlOf = (changes: readonly Change[]) => planPostgres(changes, safePolicy).steps.map((step) => step.sql)

describe('foreign keys of created and dropped tables to keys the same plan adds or drops', () => {
  it('creates the foreign key inline when the referenced key exists already', () => {
    expect(sqlOf([{ kind: 'createTable', table: orderItems }])).toHaveLength(1)
  })

  it.each([
    ['a primary key', { kind: 'addPrimaryKey', table: products, primaryKey: pk('products_pkey', ['product_no']) }],
    ['a unique constraint', { kind: 'addUnique', table: products, unique: unique('products_key', ['product_no']) }],
  ] as const)(
    'adds the foreign key after %s added to an existing table, and drops it before the key goes',
    (_, key) => {
      const forward: Change[] = [{ kind: 'createTable', table: orderItems }, key]
      const steps = sqlOf(forward)
      expect(steps[0]).toMatch(/^CREATE TABLE public\.order_items \(\n[\s\S]*\n\)$/)
      expect(steps[0]).not.toContain('FOREIGN KEY')
      // The key's index is built concurrently, then attached: the foreign key comes after both.
      expect(steps[1]).toMatch(
        /^CREATE UNIQUE INDEX CONCURRENTLY products_(pkey|key) ON public\.products \(product_no\)$/,
      )
      expect(steps[2]).toMatch(
        /^ALTER TABLE public\.products ADD CONSTRAINT products_(pkey PRIMARY KEY|key UNIQUE) USING INDEX products_(pkey|key)$/,
      )
      expect(steps[3]).toBe(
        'ALTER TABLE public.order_items ADD CONSTRAINT order_items_product_no_fkey FOREIGN KEY (product_no) REFERENCES public.products (product_no)',
      )
      const backward = sqlOf(forward.map(invertChange))
      expect(backward).toEqual([
        'ALTER TABLE public.order_items DROP CONSTRAINT order_items_product_no_fkey',
        expect.stringMatching(/^ALTER TABLE public\.products DROP CONSTRAINT products_(pkey|key)$/),
        'DROP TABLE public.order_items',
      ])
    },
  )
})

describe('NOT VALID constraints of a created table', () => {
  it('adds them after CREATE TABLE, which would mark them valid, and never validates them', () => {
    const table = tableOf('public.accounts', [col('id', 'int4', { nullable: false }), col('name', 'text')], {
      checks: [{ ...check('accounts_name_check', '(length(name) < 100)'), notValid: true }],
      foreignKeys: [{ ...fk('accounts_id_fkey', ['id'], products, ['product_no']), notValid: true }],
    })
    expect(sqlOf([{ kind: 'createTable', table }])).toEqual([
      'CREATE TABLE public.accounts (\n  id integer NOT NULL,\n  name text\n)',
      'ALTER TABLE public.accounts ADD CONSTRAINT accounts_name_check CHECK ((length(name) < 100)) NOT VALID',
      'ALTER TABLE public.accounts ADD CONSTRAINT accounts_id_fkey FOREIGN KEY (id) REFERENCES public.products (product_no) NOT VALID',
    ])
  })
})
