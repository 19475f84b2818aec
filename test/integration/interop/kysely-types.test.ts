/**
 * `keel types` output used by a real Kysely query, checked by `tsc`: the right tables and columns
 * type-check, a wrong table or column is rejected, an always-generated column cannot be inserted.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, test } from 'vitest'
import { runKeel } from '../../support/cli.js'
import { withDatabase } from '../../support/databases.js'

const ROOT = join(import.meta.dirname, '../../..')
const dir = mkdtempSync(join(tmpdir(), 'keel-kysely-types-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SCHEMA = `
CREATE SCHEMA billing;
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE people (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, mood mood,
  tags text[] NOT NULL DEFAULT '{}', created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE billing.invoices (id serial PRIMARY KEY, person_id bigint NOT NULL REFERENCES people, total numeric(10,2) NOT NULL);
CREATE VIEW happy_people AS SELECT id, name FROM people WHERE mood = 'happy';`

const GOOD = `import { Kysely, PostgresDialect } from 'kysely'
import type { DB } from './db.js'
declare const db: Kysely<DB>
export async function run() {
  const rows = await db.selectFrom('people').innerJoin('billing.invoices as i', 'i.person_id', 'people.id')
    .select(['people.name', 'people.mood', 'i.total', 'people.created_at']).where('people.mood', '=', 'happy').execute()
  const name: string = rows[0]!.name
  const total: string = rows[0]!.total
  const at: Date = rows[0]!.created_at
  await db.insertInto('people').values({ name: 'Ada', tags: ['x'] }).execute()
  await db.insertInto('billing.invoices').values({ person_id: 1, total: 9.5 }).execute()
  const happy = await db.selectFrom('happy_people').select(['id', 'name']).execute()
  return [name, total, at, happy, PostgresDialect]
}
`

const BAD = `import type { Kysely } from 'kysely'
import type { DB } from './db.js'
declare const db: Kysely<DB>
export async function run() {
  await db.selectFrom('persons').selectAll().execute()
  await db.selectFrom('people').select(['nickname']).execute()
  await db.insertInto('people').values({ id: 5, name: 'Ada' }).execute()
  await db.insertInto('people').values({ name: 'Ada', mood: 'angry' }).execute()
}
`

test('keel types gives a DB interface that tsc accepts for good queries and rejects for wrong ones', async () => {
  await withDatabase('postgres', async (database) => {
    await database.conn.exec(SCHEMA)
    const result = await runKeel(['types', '--url', database.url, '--out', join(dir, 'db.ts')], { cwd: dir })
    expect(result.stderr).not.toContain('error[')
    expect(result.code).toBe(0)
  })
  const types = readFileSync(join(dir, 'db.ts'), 'utf8')
  expect(types).toContain("'billing.invoices': BillingInvoices;")
  expect(types).toContain("export type Mood = 'happy' | 'sad';")
  writeFileSync(join(dir, 'good.ts'), GOOD)
  writeFileSync(join(dir, 'bad.ts'), BAD)
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['*.ts'],
    }),
  )
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
  const output = await promisify(execFile)(process.execPath, [tsc, '-p', dir], { cwd: dir }).then(
    () => '',
    (error: { stdout?: string }) => error.stdout ?? String(error),
  )
  const errors = output.split('\n').filter((line) => /error TS\d+/.test(line))
  // good.ts has no error; bad.ts has exactly its four, one per line.
  expect(errors.filter((line) => line.startsWith('good.ts'))).toEqual([])
  expect(errors.map((line) => /^bad\.ts\((\d+),/.exec(line)?.[1])).toEqual(['5', '6', '7', '8'])
}, 400_000)
