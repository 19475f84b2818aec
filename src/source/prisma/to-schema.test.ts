import { getSchema } from '@mrleebo/prisma-ast'
import { describe, expect, test } from 'vitest'
import { prismaProvider } from './provider.js'
import { readDatamodel } from './read-datamodel.js'
import { prismaToSchema } from './to-schema.js'

/** The schema Keel reads from one Prisma file's text. */
async function read(text: string) {
  const datamodel = readDatamodel([{ path: 'schema.prisma', blocks: getSchema(text).list }])
  return prismaToSchema(datamodel, await prismaProvider(datamodel))
}

const post = (provider: string) => `datasource db {
  provider = "${provider}"
  url      = "x"
}

model Post {
  id    Int    @id
  title String
  body  String @db.Text

  @@fulltext([title, body])
  @@fulltext([body], map: "post_body_ft")
  @@index([body(length: 10)])
}
`

describe('Prisma index attributes', () => {
  test('@@fulltext is a FULLTEXT index named as @@index; a field length is a prefix index (MySQL)', async () => {
    const [table] = (await read(post('mysql'))).tables
    expect(table?.indexes.map((i) => ({ name: i.name, method: i.method, parts: i.parts }))).toEqual([
      { name: 'Post_body_idx', method: undefined, parts: [{ column: 'body', length: 10 }] },
      { name: 'Post_title_body_idx', method: 'FULLTEXT', parts: [{ column: 'title' }, { column: 'body' }] },
      { name: 'post_body_ft', method: 'FULLTEXT', parts: [{ column: 'body' }] },
    ])
  })

  test('@@fulltext and length: elsewhere are refused, as Prisma refuses them', async () => {
    const postgres = post('postgresql').replace(' @db.Text', '')
    await expect(read(postgres.replace('(length: 10)', ''))).rejects.toThrow(
      /model Post: @@fulltext is for MySQL datasources only/,
    )
    await expect(read(postgres.replace(/ *@@fulltext.*\n/g, ''))).rejects.toThrow(
      /model Post: body\(length: 10\) is for MySQL datasources only/,
    )
  })
})

const defaults = (provider: string) => `datasource db {
  provider = "${provider}"
  url      = "x"
}

enum Kind {
  SPOKEN @map("spoken word")
}

model Blob {
  id    Int    @id
  data  Bytes  @default("AQI=")
  note  String @default("it's")
  kind  Kind   @default(SPOKEN)
  count Int    @default(3)
  ok    Boolean @default(true)
}
`

describe('Prisma literal defaults, spelled by each provider (provider-defaults.ts)', () => {
  test.each([
    ['postgresql', ["E'\\\\x0102'", "'it''s'", "'spoken word'", '3', 'true']],
    ['mysql', ["X'0102'", "'it''s'", "'spoken word'", '3', 'true']],
    ['sqlite', ["X'0102'", "'it''s'", "'spoken word'", '3', 'true']],
  ])(
    '%s: Bytes from base64, strings and enum values quoted, numbers and booleans as written',
    async (provider, sql) => {
      const [table] = (await read(defaults(provider))).tables
      expect(table?.columns.slice(1).map((c) => c.default?.sql)).toEqual(sql)
    },
  )

  test('MySQL: a dbgenerated default with ON UPDATE is the default and the ON UPDATE (as Prisma Migrate writes it)', async () => {
    const text = `datasource db {
  provider = "mysql"
  url      = "x"
}

model T {
  id Int      @id
  at DateTime @default(dbgenerated("CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)"))
  on DateTime? @default(dbgenerated("NULL ON UPDATE CURRENT_TIMESTAMP(3)"))
}
`
    const [table] = (await read(text)).tables
    expect(table?.columns.slice(1).map((c) => ({ default: c.default?.sql, onUpdate: c.onUpdate }))).toEqual([
      { default: 'CURRENT_TIMESTAMP(3)', onUpdate: 'CURRENT_TIMESTAMP(3)' },
      { default: undefined, onUpdate: 'CURRENT_TIMESTAMP(3)' },
    ])
  })
})
