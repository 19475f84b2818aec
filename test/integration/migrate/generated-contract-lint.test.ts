import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { withDatabase } from '../../support/databases.js'
import { createProject, runKeel, type TestProject } from './project.js'

// `keel generate` puts a keyed retype's contract in two migrations: the validation of the new column's NOT NULL
// check beside the concurrent build of its key (`_contract_concurrently`, no transaction), then the swap, whose
// SET NOT NULL scans nothing because that check is validated. `keel migrate` lints what it will run before it runs
// it: linted each alone, the swap's SET NOT NULL was refused (ban-set-not-null) on any table over lint's small size,
// so the phases benchmark's PK int -> bigint failed at 4M rows. Linted in order, each migration knows the VALIDATE of
// the one before it, as a statement knows one earlier in its file. A table of 100,001 rows is the smallest that lint
// judges large. A run that starts after the validation (stopped between the two) finds the validated check in the
// live database.
const V1 = 'create table accounts (\n  id int primary key,\n  note text\n);\n'
const V2 = V1.replace('id int primary key', 'id bigint primary key')

let project: TestProject
beforeEach(() => {
  project = createProject('export default { migrations: "migrations", schema: "schema.sql" }\n')
})
afterEach(() => project.dispose())

/** A project at V1 with 100,001 rows, then V2 generated: the four migrations of the widen, in order. */
async function widened(keel: (...args: string[]) => Promise<{ code: number; stderr: string }>, conn: Connection) {
  writeFileSync(join(project.root, 'schema.sql'), V1)
  expect((await keel('generate', 'init')).code).toBe(0)
  expect((await keel('migrate')).code).toBe(0)
  await conn.exec("insert into accounts select g, 'n' from generate_series(1, 100001) g; analyze accounts")
  writeFileSync(join(project.root, 'schema.sql'), V2)
  const generated = await keel('generate', 'widen')
  expect(generated.stderr).not.toContain('error[')
  const ids = readdirSync(project.migrations).filter((d) => d.includes('_widen_'))
  expect(ids.map((d) => d.replace(/^\d+_/, ''))).toEqual([
    'widen_expand',
    'widen_backfill',
    'widen_contract_concurrently',
    'widen_contract',
  ])
  return ids
}

async function idType(conn: Connection): Promise<unknown> {
  const [row] = await conn.query<{ type: string; rows: string }>(
    "select format_type(atttypid, atttypmod) as type, (select count(*) from accounts)::text as rows from pg_attribute where attrelid = 'accounts'::regclass and attname = 'id'",
  )
  return row
}

describe('a generated keyed retype on a large table', () => {
  it('passes the lint of keel migrate and keel lint, with its validation in the migration before its SET NOT NULL', {
    timeout: 120_000,
  }, async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      const keel = (...args: string[]) => runKeel(project, url, ...args)
      await widened(keel, conn)
      const check = await keel('lint')
      expect(check.stdout + check.stderr).not.toContain('ban-set-not-null')
      expect(check.code).toBe(0)
      const applied = await keel('migrate')
      expect(applied.stderr).not.toContain('ban-set-not-null')
      expect(applied.code).toBe(0)
      expect(await idType(conn)).toEqual({ type: 'bigint', rows: '100001' })
    })
  })

  it('passes it too in a run that starts after the validation (a stop between the two contract migrations)', {
    timeout: 120_000,
  }, async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      const keel = (...args: string[]) => runKeel(project, url, ...args)
      const ids = await widened(keel, conn)
      const builds = (ids[2] as string).replace(/_.*$/, '')
      expect((await keel('migrate', '--to', builds)).code).toBe(0)
      // The second run lints the swap alone: the live database's validated check proves its SET NOT NULL.
      const applied = await keel('migrate')
      expect(applied.stderr).not.toContain('ban-set-not-null')
      expect(applied.code).toBe(0)
      expect(await idType(conn)).toEqual({ type: 'bigint', rows: '100001' })
    })
  })
})
