import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createJiti } from 'jiti'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { col, enumRef, pk, schemaOf, tableOf } from './build.js'
import { collect } from './dsl/collect.js'
import type { Schema } from './model.js'
import { printSchemaModule } from './print-ts.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..', '..')
const dslEntry = join(here, 'dsl', 'index.ts')

/** Loads a module with jiti, pointing `keel/schema` at the DSL's source (as the schema-module loader does). */
async function load(file: string): Promise<Schema> {
  const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false, alias: { 'keel/schema': dslEntry } })
  return collect((await jiti.import(file)) as Record<string, unknown>)
}

// Under the repository, not the OS temp dir, as the round trip's (print-ts-round-trip.test.ts).
const tmp = join(repo, 'test', `.tmp-print-sqlite-${process.pid}-${Math.random().toString(36).slice(2, 8)}`)

beforeAll(() => mkdirSync(tmp, { recursive: true }))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe("printSchemaModule on SQLite's schemas", () => {
  const native = (sql: string) => ({ kind: 'native', sql }) as const
  /** As SQLite introspection reads `id INTEGER PRIMARY KEY AUTOINCREMENT`, `code TEXT PRIMARY KEY` and WITHOUT ROWID. */
  const sqliteSchema = schemaOf({
    tables: [
      tableOf('artist', [col('id', native('INTEGER'), { identity: { always: false } }), col('name', native('TEXT'))], {
        primaryKey: pk('artist_pkey', ['id']),
      }),
      tableOf('label', [col('code', native('TEXT')), col('name', native('TEXT'), { nullable: false })], {
        primaryKey: pk('label_pkey', ['code']),
        ext: { sqlite: { strict: true } },
      }),
      tableOf(
        'tag',
        [col('artist_id', native('INTEGER'), { nullable: false }), col('name', native('TEXT'), { nullable: false })],
        { primaryKey: pk('tag_pkey', ['artist_id', 'name']), ext: { sqlite: { withoutRowid: true } } },
      ),
    ],
  })

  test('keys declared without NOT NULL say .nullable(); AUTOINCREMENT stays on its native INTEGER; table options', async () => {
    const printed = printSchemaModule(sqliteSchema)
    expect(printed).toContain("id: native('INTEGER').primaryKey().generatedByDefaultAsIdentity().nullable(),")
    expect(printed).toContain("code: native('TEXT').primaryKey().nullable(),")
    expect(printed).toContain('{ strict: true },')
    expect(printed).toContain("{ casing: 'snake_case', withoutRowid: true },")
    const sqliteFile = join(tmp, 'sqlite.ts')
    writeFileSync(sqliteFile, printed)
    expect(await load(sqliteFile)).toEqual(sqliteSchema)
  })

  test("SQL names the printer writes itself are quoted with the dialect's quoter it is given", () => {
    const schema = schemaOf({ tables: [tableOf('t', [col('mood', enumRef('other.my"mood'))])] })
    const backticks = (name: string) => `\`${name.replaceAll('`', '``')}\``
    expect(printSchemaModule(schema, { quoteIdent: backticks })).toContain("mood: native('`other`.`my\"mood`'),")
    expect(printSchemaModule(schema)).toContain(`mood: native('"other"."my""mood"'),`)
  })
})
