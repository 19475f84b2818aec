import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createJiti } from 'jiti'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { normalizePostgres } from '../dialect/postgres/normalize.js'
import {
  arrayOf,
  check,
  col,
  enumOf,
  enumRef,
  extensionOf,
  fk,
  index,
  namespaceOf,
  pk,
  schemaOf,
  sequenceOf,
  tableOf,
  unique,
  viewOf,
} from './build.js'
import { collect } from './dsl/collect.js'
import { deepEqual } from './equal.js'
import type { Schema } from './model.js'
import { printSchemaModule } from './print-ts.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..')
const dslEntry = join(here, 'dsl', 'index.ts')

/** A schema that uses every feature the DSL can declare, with names chosen to collide where the printer must cope. */
const rich: Schema = schemaOf({
  namespaces: [namespaceOf('billing', { comment: 'Money matters' }), namespaceOf('audit'), namespaceOf('extensions')],
  extensions: [extensionOf('pgcrypto'), extensionOf('pg_trgm', { schema: 'extensions', version: '1.6' })],
  enums: [
    enumOf('public.mood', ['sad', 'ok', "it's fine"], { comment: 'How it feels' }),
    enumOf('billing.currency', ['EUR', 'USD']),
    // An enum named like a DSL builder and like a table in another namespace.
    enumOf('public.text', ['a', 'b']),
  ],
  sequences: [
    sequenceOf('public.order_numbers', {
      start: 1000,
      cache: 20,
      ownedBy: { table: { name: 'orders' }, column: 'number' },
    }),
    sequenceOf('billing.invoice_seq', {
      type: { kind: 'integer', bytes: 4 },
      max: 999999,
      cycle: true,
      comment: 'yearly',
    }),
    // Values past 2^53, which a JavaScript number would round.
    sequenceOf('public.ledger_ids', {
      start: '9007199254740993',
      increment: '9007199254740995',
      min: '-9223372036854775807',
      max: '9223372036854775806',
    }),
  ],
  tables: [
    tableOf(
      'public.orders',
      [
        col('id', 'int8', { nullable: false, serial: true }),
        col('number', 'int4', { nullable: false, default: "nextval('order_numbers'::regclass)" }),
        col('user_id', 'int8', { nullable: false }),
        col('tenant_id', 'int4', { nullable: false }),
        col('net', { kind: 'decimal', precision: 12, scale: 2 }, { nullable: false }),
        col(
          'gross',
          { kind: 'decimal', precision: 12, scale: 2 },
          { generated: { expr: '(net * 1.2)', stored: true } },
        ),
        col('doubled', 'int4', { generated: { expr: '(number * 2)', stored: false } }),
      ],
      {
        primaryKey: pk('orders_pk', ['id']),
        uniques: [
          unique('orders_tenant_id_number_key', ['tenant_id', 'number'], { deferrable: { initiallyDeferred: false } }),
        ],
        foreignKeys: [
          fk('orders_user_id_fkey', ['user_id'], 'public.users', ['id'], { onDelete: 'CASCADE' }),
          fk('orders_tenant_fk', ['tenant_id', 'user_id'], 'public.members', ['tenant_id', 'user_id'], {
            onUpdate: 'SET NULL',
            matchFull: true,
            deferrable: { initiallyDeferred: true },
          }),
        ],
        checks: [
          check('orders_net_check', '(net >= (0)::numeric)'),
          check('orders_check', '(gross >= net)', { noInherit: true }),
        ],
      },
    ),
    tableOf(
      'public.users',
      [
        col('id', 'int8', {
          nullable: false,
          identity: { always: true, sequence: { start: '9007199254740993', max: '9223372036854775806' } },
        }),
        col('email', 'text', { nullable: false, collation: 'C', comment: 'Login, "unique"' }),
        col('display_name', { kind: 'text', length: 100 }, { renamedFrom: 'name' }),
        col('mood', enumRef('public.mood'), { default: "'ok'::mood" }),
        col('tags', arrayOf('text'), { nullable: false, default: "'{}'::text[]" }),
        col(
          'created_at',
          { kind: 'timestamp', withTimeZone: true, precision: 3 },
          { nullable: false, default: 'now()' },
        ),
        col('legacyID', 'int4'),
        col('user_id', 'int4'),
        col('userId', 'int4'),
        col('settings', 'jsonb', { default: "'{}'::jsonb" }),
        col('ratio', 'float8'),
        col('weight', 'float4'),
        col('small', 'int2'),
        col('flag', 'bool', { default: 'false' }),
        col('born', 'date'),
        col('token', 'uuid', { default: 'gen_random_uuid()' }),
        col('avatar', 'bytea'),
        col('meta', 'json'),
        col('starts', { kind: 'time', withTimeZone: true, precision: 3 }),
        col('naive', { kind: 'timestamp', withTimeZone: false }),
        col('duration', { kind: 'interval', fields: 'DAY TO SECOND', precision: 3 }),
        col('code', { kind: 'text', length: 2, fixed: true }),
        col('ip', { kind: 'native', sql: 'inet' }),
        col('nick', { kind: 'native', sql: 'character varying' }),
        col('amount', { kind: 'decimal' }),
        col('scores', arrayOf({ kind: 'decimal', precision: 5, scale: 1 })),
        col('kind', enumRef('public.text')),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: SQL text with `${`, which the printer must escape
        col('default', 'text', { default: "'it''s a `tick` \\ ${x}\r\n\t'::text" }),
      ],
      {
        primaryKey: pk('users_pkey', ['id']),
        uniques: [
          unique('users_email_key', ['email']),
          unique('users_token_key', ['token'], { nullsNotDistinct: true }),
        ],
        indexes: [
          index('users_email_idx', [{ expr: 'lower(email)' }], { unique: true }),
          index('users_email_idx1', ['email'], { comment: 'a second one' }),
          index('users_tags_idx', [{ column: 'tags' }], { method: 'gin' }),
          index(
            'users_recent',
            [
              { column: 'created_at', descending: true, nullsFirst: false },
              { column: 'email', opclass: 'text_pattern_ops' },
            ],
            {
              where: '(flag IS NOT TRUE)',
              include: ['display_name'],
            },
          ),
          index('users_lower_idx', [
            { expr: 'lower(display_name)', collation: 'C' },
            { column: 'born', nullsFirst: true },
          ]),
        ],
        checks: [
          check('users_email_check', '(char_length(email) > 3)'),
          check('users_small_positive', '(small > 0)', { comment: 'cannot be declared' }),
        ],
        comment: `It's "quoted"\r\nand on two lines\u2028`,
      },
    ),
    tableOf(
      'public.members',
      [col('tenant_id', 'int4', { nullable: false }), col('user_id', 'int8', { nullable: false })],
      { primaryKey: pk('members_pkey', ['tenant_id', 'user_id']) },
    ),
    tableOf(
      'billing.invoices',
      [
        col('order_id', 'int8', { nullable: false }),
        col('line', 'int4', { nullable: false }),
        col('code', 'text'),
        col('currency', enumRef('billing.currency'), { nullable: false, default: "'EUR'::billing.currency" }),
        col('serial', 'int4', { nullable: false, identity: { always: false, sequence: { start: 10, increment: 5 } } }),
      ],
      {
        primaryKey: pk('invoices_pkey', ['order_id', 'line']),
        uniques: [
          unique('invoices_order_id_code_key', ['order_id', 'code'], {
            nullsNotDistinct: true,
            comment: 'one per code',
          }),
        ],
        indexes: [
          index('invoices_code_idx', ['code'], {
            include: ['line'],
            where: '(code IS NOT NULL)',
            nullsNotDistinct: true,
            unique: true,
          }),
        ],
        foreignKeys: [
          fk('invoice_order', ['order_id'], 'public.orders', ['id'], {
            deferrable: { initiallyDeferred: true },
            comment: 'lost',
          }),
        ],
        comment: 'Invoices',
        ext: { postgres: { unlogged: true } },
        renamedFrom: { schema: 'billing', name: 'bills' },
      },
    ),
    tableOf('public.tree', [col('id', 'int4', { nullable: false }), col('parent_id', 'int4')], {
      primaryKey: pk('tree_pkey', ['id']),
      foreignKeys: [fk('tree_parent_id_fkey', ['parent_id'], 'public.tree', ['id'], { onDelete: 'SET NULL' })],
      renamedFrom: { schema: 'audit', name: 'old_tree' },
    }),
    // Tables that reference each other, and a table named like a DSL builder.
    tableOf('public.a', [col('id', 'int4', { nullable: false }), col('b_id', 'int4')], {
      primaryKey: pk('a_pkey', ['id']),
      foreignKeys: [fk('a_b_id_fkey', ['b_id'], 'public.b', ['id'])],
    }),
    tableOf('public.b', [col('id', 'int4', { nullable: false }), col('a_id', 'int4')], {
      primaryKey: pk('b_pkey', ['id']),
      foreignKeys: [fk('b_a_id_fkey', ['a_id'], 'public.a', ['id'])],
    }),
    // A cycle of composite foreign keys, declared in extras callbacks.
    tableOf('public.c', [col('x', 'int4', { nullable: false }), col('y', 'int4', { nullable: false })], {
      primaryKey: pk('c_pkey', ['x', 'y']),
      foreignKeys: [fk('c_x_y_fkey', ['x', 'y'], 'public.d', ['x', 'y'])],
    }),
    tableOf('public.d', [col('x', 'int4', { nullable: false }), col('y', 'int4', { nullable: false })], {
      primaryKey: pk('d_pkey', ['x', 'y']),
      foreignKeys: [fk('d_x_y_fkey', ['x', 'y'], 'public.c', ['x', 'y'])],
    }),
    tableOf('public.table', [col('text', 'text'), col('index', 'int4')], {
      indexes: [index('table_text_index_idx', ['text', 'index'])],
    }),
    tableOf('billing.users', [col('id', 'int4')]),
    // Long names and texts, so that every kind of line breaks.
    tableOf(
      'public.a_rather_long_table_name_that_makes_every_line_of_it_long',
      [
        col('identifier_of_the_row_in_this_long_table', 'int8', {
          nullable: false,
          identity: { always: false, sequence: { start: 1000000, increment: 10, cache: 50, cycle: true } },
        }),
        col('reference_to_the_orders_table_with_a_long_name', 'int8', {
          nullable: false,
          comment: 'A comment that is long enough to push the column declaration past the line width of the formatter.',
        }),
        col('x', 'text', {
          comment:
            'An even longer comment, long enough that it cannot fit on the line even after the chain of calls breaks up into lines',
        }),
      ],
      {
        primaryKey: pk('a_rather_long_table_name_that_makes_every_line_of_it_long_pkey', [
          'identifier_of_the_row_in_this_long_table',
        ]),
        indexes: [
          index(
            'a_rather_long_index_name_that_is_not_the_default_for_this_index',
            ['reference_to_the_orders_table_with_a_long_name', { expr: 'lower(x)', opclass: 'text_pattern_ops' }],
            { where: "(x IS NOT NULL AND x <> '' AND length(x) > 10)", comment: 'Long enough, with everything on it' },
          ),
        ],
        foreignKeys: [
          fk(
            'a_rather_long_table_name_that_reference_to_the_orders_table_fkey',
            ['reference_to_the_orders_table_with_a_long_name'],
            'public.orders',
            ['id'],
            {
              onDelete: 'CASCADE',
              onUpdate: 'RESTRICT',
              deferrable: { initiallyDeferred: true },
            },
          ),
        ],
        comment: 'A table comment that is long enough to need a line of its own in the options object of the table.',
      },
    ),
  ],
  views: [
    viewOf('billing.big_orders', ' SELECT id\n   FROM active_users\n  WHERE (id > 10);', ['public.active_users']),
    // The text names `tree`, which is not a dependency: the list must be stated, empty.
    viewOf('public.constant', 'SELECT 1 AS tree', [], {}),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: SQL text with `${`, which the printer must escape
    viewOf('public.active_users', "SELECT id, email FROM users WHERE email LIKE '%`${x}`%'", ['public.users'], {
      comment: 'who is here',
    }),
    viewOf(
      'public.order_totals',
      'SELECT user_id, sum(net) AS total FROM orders GROUP BY user_id',
      ['public.orders', 'public.tree'],
      {
        materialized: true,
        indexes: [
          index('order_totals_user_id_idx', ['user_id'], { unique: true }),
          index('totals_desc', [{ column: 'total', descending: true, nullsFirst: false }, { expr: '(total * 2)' }]),
        ],
        renamedFrom: { name: 'totals' },
      },
    ),
  ],
})

/** The schema without what the DSL cannot declare: comments on foreign keys and checks. */
function declarable(schema: Schema): Schema {
  return {
    ...schema,
    tables: schema.tables.map((table) => ({
      ...table,
      foreignKeys: table.foreignKeys.map(({ comment: _, ...fk }) => fk),
      checks: table.checks.map(({ comment: _, ...check }) => check),
    })),
  }
}

/** Loads a module with jiti, pointing `keel/schema` at the DSL's source (as the schema-module loader does). */
async function load(file: string): Promise<Schema> {
  const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false, alias: { 'keel/schema': dslEntry } })
  return collect((await jiti.import(file)) as Record<string, unknown>)
}

// Under the repository, not the OS temp dir: biome and tsc then read the project's configuration for it.
const tmp = join(repo, 'test', `.tmp-print-${process.pid}-${Math.random().toString(36).slice(2, 8)}`)
const file = join(tmp, 'rich.ts')
const source = printSchemaModule(rich)

beforeAll(() => {
  mkdirSync(tmp, { recursive: true })
  writeFileSync(file, source)
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('printSchemaModule round trip', () => {
  test('loading the printed module and collecting it gives the schema back', async () => {
    const expected = normalizePostgres(declarable(rich))
    const actual = normalizePostgres(await load(file))
    expect(actual).toEqual(expected)
    expect(deepEqual(actual, expected)).toBe(true)
  })

  test('the printed module is formatted and lint-clean', () => {
    const biome = join(repo, 'node_modules', '.bin', 'biome')
    const result = spawnSync(biome, ['check', '--colors=off', file], { cwd: repo, encoding: 'utf8' })
    expect(result.stdout + result.stderr).not.toMatch(/×/)
    expect(result.status).toBe(0)
  })

  test('the printed module type-checks', () => {
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      paths: { 'keel/schema': [dslEntry] },
      allowImportingTsExtensions: true,
    })
    const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file || d.file === undefined)
    expect(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
  }, 60_000)

  test('what the DSL cannot declare is noted above the declaration', async () => {
    expect(source).toContain('// keel: check users_small_positive has a comment, which the DSL cannot declare\n')
    expect(source).toContain('// keel: foreign key invoice_order has a comment, which the DSL cannot declare\n')
    // ALTER TABLE can add a unique constraint on the primary key's columns; the DSL refuses one.
    const twice = schemaOf({
      tables: [
        tableOf('t', [col('id', 'int4', { nullable: false })], {
          primaryKey: pk('t_pkey', ['id']),
          uniques: [unique('t_id_key', ['id'])],
        }),
      ],
    })
    const printed = printSchemaModule(twice)
    expect(printed).toContain('// keel: unique constraint t_id_key repeats the columns of another key')
    const twiceFile = join(tmp, 'twice.ts')
    writeFileSync(twiceFile, printed)
    const loaded = normalizePostgres(await load(twiceFile))
    expect(loaded).toEqual(normalizePostgres({ ...twice, tables: twice.tables.map((t) => ({ ...t, uniques: [] })) }))
  })
})
