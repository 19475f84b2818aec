#!/usr/bin/env node
// Issue 8's corpus check for SQLite schemas that cannot be vendored (the MediaWiki extensions are
// GPL-2.0-or-later; the fixtures are permissive only): each file is loaded into an empty database, recreated
// from empty in a second one by Keel's own plan, compared by SQLite's PRAGMAs (not by Keel's introspection),
// diffed again (nothing left), then dropped back to empty by Keel's plan. test/conformance/sqlite-corpus.test.ts
// runs the same check in CI on the vendored Chinook and Sakila.
//
//   npm run build && node scripts/sqlite-corpus-check.mjs FILE.sql...   (exit 1 if any file fails)
//
// MediaWiki's placeholders (`/*_*/` table prefix, `/*i*/` index prefix, `/*$wgDBTableOptions*/`) become nothing.
import { readFileSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { openDatabase } from '../dist/db/open.js'
import { getDialect } from '../dist/dialect/registry.js'
import { diff } from '../dist/diff/diff.js'
import { directPolicy } from '../dist/plan/policy.js'
import { emptySchema } from '../dist/schema/model.js'
import { applyPlan } from '../dist/source/apply-plan.js'
import { sqlitePragmaView } from '../test/support/sqlite-pragma-view.mjs'

const sqlite = getDialect('sqlite')
const withoutPlaceholders = (sql) => sql.replace(/\/\*(_|i|\$wgDBTableOptions)\*\//g, '')

async function check(file) {
  const original = await openDatabase('sqlite::memory:')
  const planned = await openDatabase('sqlite::memory:')
  try {
    await original.exec(withoutPlaceholders(readFileSync(file, 'utf8')))
    const schema = await sqlite.introspect(original)
    const create = diff(emptySchema, schema).changes
    await applyPlan(planned, sqlite.plan(create, directPolicy, { from: emptySchema, to: schema }))
    const recreated = isDeepStrictEqual(await sqlitePragmaView(planned), await sqlitePragmaView(original))
    const left = diff(await sqlite.introspect(planned), schema).changes.length
    await applyPlan(
      planned,
      sqlite.plan(diff(schema, emptySchema).changes, directPolicy, { from: schema, to: emptySchema }),
    )
    const emptied = isDeepStrictEqual(await sqlitePragmaView(planned), { objects: [], tables: [] })
    return { file, tables: schema.tables.length, recreated, left, emptied, ok: recreated && left === 0 && emptied }
  } catch (error) {
    return { file, error: error instanceof Error ? error.message : String(error), ok: false }
  } finally {
    await original.close()
    await planned.close()
  }
}

const files = process.argv.slice(2)
if (files.length === 0) {
  console.error('usage: node scripts/sqlite-corpus-check.mjs FILE.sql...')
  process.exit(2)
}
let failed = 0
for (const file of files) {
  const r = await check(file)
  if (!r.ok) failed++
  console.log(
    r.error === undefined
      ? `${r.ok ? 'ok  ' : 'FAIL'} ${file}: ${r.tables} tables; PRAGMA-equal after recreate: ${r.recreated}; differences left: ${r.left}; empty after drop: ${r.emptied}`
      : `FAIL ${file}: ${r.error}`,
  )
}
console.log(`${files.length - failed} of ${files.length} passed`)
process.exit(failed === 0 ? 0 : 1)
