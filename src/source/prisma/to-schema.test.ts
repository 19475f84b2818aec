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
