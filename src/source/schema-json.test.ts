import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { KeelError } from '../errors.js'
import { readSchemaJson } from './schema-json.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-schema-json-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const EMPTY = { namespaces: [], extensions: [], enums: [], sequences: [], tables: [], views: [] }

/** The error reading `text` as a .json source gives, as `CODE: message`. */
function refusal(text: string): string {
  const path = join(dir, 'schema.json')
  writeFileSync(path, text)
  try {
    readSchemaJson(path, 'schema.json')
  } catch (error) {
    if (error instanceof KeelError) return `${error.code}: ${error.message}`
    throw error
  }
  return 'read'
}

describe('a .json schema source', () => {
  it('reads the outline `keel inspect --format json` prints', () => {
    const table = { name: { name: 't' }, columns: [{ name: 'id', type: { kind: 'int4' } }] }
    const full = { ...table, uniques: [], indexes: [], foreignKeys: [], checks: [] }
    expect(refusal(JSON.stringify({ ...EMPTY, tables: [full] }))).toBe('read')
    // A view's `columns` is its column list: names, not column objects.
    const view = { name: { name: 'v' }, definition: 'SELECT 1', columns: ['one'], dependsOn: [], indexes: [] }
    expect(refusal(JSON.stringify({ ...EMPTY, views: [view] }))).toBe('read')
  })

  it('refuses with SCHEMA_JSON (exit 2), saying where, what the differ could not walk', () => {
    expect(refusal('{')).toMatch(/^SCHEMA_JSON: schema.json: not JSON/)
    expect(refusal('[]')).toBe('SCHEMA_JSON: schema.json: not a schema (expected an object)')
    expect(refusal(JSON.stringify({ tables: [] }))).toMatch(/^SCHEMA_JSON: .*no namespaces, extensions/)
    // Once an INTERNAL TypeError in the differ ("reading 'map'").
    expect(refusal(JSON.stringify({ ...EMPTY, tables: [{ name: { name: 't' } }] }))).toBe(
      'SCHEMA_JSON: schema.json: not a schema: tables[0] (t) has no columns list; tables[0] (t) has no uniques list; tables[0] (t) has no indexes list; tables[0] (t) has no foreignKeys list; tables[0] (t) has no checks list',
    )
    const noType = {
      name: { name: 't' },
      columns: [{ name: 'id' }],
      uniques: [],
      indexes: [],
      foreignKeys: [],
      checks: [],
    }
    expect(refusal(JSON.stringify({ ...EMPTY, tables: [noType] }))).toBe(
      'SCHEMA_JSON: schema.json: not a schema: tables[0] (t).columns[0] has no name or type',
    )
    expect(refusal(JSON.stringify({ ...EMPTY, views: [{ definition: 'select 1' }] }))).toBe(
      'SCHEMA_JSON: schema.json: not a schema: views[0] has no name; views[0] has no dependsOn list; views[0] has no indexes list',
    )
  })
})
