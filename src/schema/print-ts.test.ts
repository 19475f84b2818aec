import { describe, expect, test } from 'vitest'
import { check, col, enumOf, enumRef, fk, index, pk, schemaOf, sequenceOf, tableOf, unique, viewOf } from './build.js'
import { printSchemaModule } from './print-ts.js'

describe('printSchemaModule output', () => {
  test('a small schema', () => {
    const schema = schemaOf({
      enums: [enumOf('post_status', ['draft', 'published'])],
      tables: [
        tableOf(
          'posts',
          [
            col('id', 'int8', { nullable: false, identity: { always: true } }),
            col('author_id', 'int8', { nullable: false }),
            col('status', enumRef('post_status'), { nullable: false, default: "'draft'::post_status" }),
            col('created_at', 'timestamptz', { nullable: false, default: 'now()' }),
          ],
          {
            primaryKey: pk('posts_pkey', ['id']),
            indexes: [
              index('posts_author_id_created_at_idx', ['author_id', { column: 'created_at', descending: true }]),
            ],
            foreignKeys: [fk('posts_author_id_fkey', ['author_id'], 'users', ['id'], { onDelete: 'CASCADE' })],
          },
        ),
        tableOf(
          'users',
          [col('id', 'int8', { nullable: false, serial: true }), col('email', 'text', { nullable: false })],
          {
            primaryKey: pk('users_pkey', ['id']),
            uniques: [unique('users_email_key', ['email'])],
          },
        ),
      ],
    })
    expect(printSchemaModule(schema)).toMatchInlineSnapshot(`
      "import { bigint, bigserial, enumType, index, sql, table, text, timestamptz } from 'keel/schema'

      export const postStatus = enumType('post_status', ['draft', 'published'])

      export const users = table('users', {
        id: bigserial().primaryKey(),
        email: text().notNull().unique(),
      })

      export const posts = table(
        'posts',
        {
          id: bigint().primaryKey().generatedAlwaysAsIdentity(),
          authorId: bigint()
            .notNull()
            .references(() => users.id, { onDelete: 'cascade' }),
          status: postStatus().notNull().default(sql\`'draft'::post_status\`),
          createdAt: timestamptz().notNull().defaultNow(),
        },
        (t) => [index().on(t.authorId, t.createdAt.desc())],
        { casing: 'snake_case' },
      )
      "
    `)
  })

  test('names that casing cannot reproduce are passed; non-default constraint names are kept', () => {
    const schema = schemaOf({
      tables: [
        tableOf(
          'Events',
          [col('ID', 'int4', { nullable: false }), col('createdAt', 'timestamptz'), col('kind', 'text')],
          {
            primaryKey: pk('events_pk', ['ID']),
            checks: [check('Events_kind_check', "(kind <> '')"), check('kind_not_blank', "(btrim(kind) <> '')")],
          },
        ),
      ],
    })
    expect(printSchemaModule(schema)).toMatchInlineSnapshot(`
      "import { check, integer, sql, table, text, timestamptz } from 'keel/schema'

      export const events = table(
        'Events',
        {
          id: integer('ID').primaryKey('events_pk'),
          createdAt: timestamptz(),
          kind: text(),
        },
        (t) => [check(sql\`(kind <> '')\`), check('kind_not_blank', sql\`(btrim(kind) <> '')\`)],
        { casing: 'preserve' },
      )
      "
    `)
  })

  test('sequence values past 2^53 print as bigint literals, safe ones as numbers', () => {
    const schema = schemaOf({
      sequences: [sequenceOf('public.ledger', { start: '9007199254740993', min: '-9223372036854775807', cache: 20 })],
      tables: [
        tableOf('public.entries', [
          col('id', 'int8', { nullable: false, identity: { always: true, sequence: { max: '9223372036854775806' } } }),
        ]),
      ],
    })
    expect(printSchemaModule(schema)).toMatchInlineSnapshot(`
      "import { bigint, sequence, table } from 'keel/schema'

      export const ledger = sequence('ledger', { start: 9007199254740993n, min: -9223372036854775807n, cache: 20 })

      export const entries = table('entries', {
        id: bigint().generatedAlwaysAsIdentity({ max: 9223372036854775806n }),
      })
      "
    `)
  })

  test('a view with a multi-line definition, and an empty schema', () => {
    const schema = schemaOf({
      tables: [tableOf('users', [col('id', 'int4')])],
      views: [viewOf('user_ids', ' SELECT users.id\n   FROM users;', ['users'])],
    })
    expect(printSchemaModule(schema, { importFrom: '../src/schema/dsl/index.js' })).toMatchInlineSnapshot(`
      "import { integer, sql, table, view } from '../src/schema/dsl/index.js'

      export const users = table('users', {
        id: integer(),
      })

      export const userIds = view(
        'user_ids',
        sql\`SELECT users.id
         FROM users\`,
      )
      "
    `)
    expect(printSchemaModule(schemaOf())).toBe('export {}\n')
  })
})
