import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { withDatabase } from '../../support/databases.js'
import { createProject, runKeel, type TestProject } from './project.js'

// `keel generate` puts a keyed retype's contract in two migrations: the validation of the new column's NOT NULL
// check beside the concurrent build of its key (`_contract_concurrently`, no transaction), then the swap, whose
// SET NOT NULL scans nothing because that check is validated. `keel migrate` lints what it will run before it runs
// it: linted each alone, the swap's SET NOT NULL was refused (ban-set-not-null) on any table over lint's small size,
// so the phases benchmark's PK int -> bigint failed at 4M rows. Linted in order, each migration knows the VALIDATE of
// the one before it, as a statement knows one earlier in its file. A table of 100,001 rows is the smallest that lint
// judges large.
const V1 = 'create table accounts (\n  id int primary key,\n  note text\n);\n'
const V2 = V1.replace('id int primary key', 'id bigint primary key')

let project: TestProject
beforeEach(() => {
  project = createProject('export default { migrations: "migrations", schema: "schema.sql" }\n')
})
afterEach(() => project.dispose())

describe('a generated keyed retype on a large table', () => {
  it('passes the lint of keel migrate and keel check, with its validation in the migration before its SET NOT NULL', {
    timeout: 120_000,
  }, async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      const keel = (...args: string[]) => runKeel(project, url, ...args)
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

      const check = await keel('lint')
      expect(check.stdout + check.stderr).not.toContain('ban-set-not-null')
      expect(check.code).toBe(0)
      const applied = await keel('migrate')
      expect(applied.stderr).not.toContain('ban-set-not-null')
      expect(applied.code).toBe(0)
      const [row] = await conn.query<{ type: string; rows: string }>(
        "select format_type(atttypid, atttypmod) as type, (select count(*) from accounts)::text as rows from pg_attribute where attrelid = 'accounts'::regclass and attname = 'id'",
      )
      expect(row).toEqual({ type: 'bigint', rows: '100001' })
    })
  })
})
