/**
 * Errors a user can act on (issue 12, point 4), through the CLI: each names the file, column or setting to
 * change and exits 2 for bad input, instead of a transpiler's message, an internal error or a step number.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readMigrationsDirectory } from '../../src/migrate/directory.js'
import { writeSum } from '../../src/migrate/keel-sum.js'
import { runKeel } from '../support/cli.js'
import { POSTGRES_URL, withDatabase, withMysqlDatabase } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-actionable-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let folders = 0
/** A project folder holding the given files. */
function folder(files: Record<string, string>): string {
  const dir = join(root, `p${++folders}`)
  mkdirSync(dir)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  return dir
}

const IMPORTS = "import { index, integer, table, text } from 'keel/schema'\n"

describe.concurrent('schema.ts mistakes', () => {
  it('a default PostgreSQL refuses names the schema file and the declaration, exit 2', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const dir = folder({
        'schema.ts': `${IMPORTS}export const t = table('t', { id: integer().primaryKey(), n: integer().default('abc') })\n`,
      })
      const result = await runKeel(['diff', '--to', 'schema.ts', '--url', url], { cwd: dir })
      expect(result.stderr).toMatch(
        /^error\[SCHEMA_MODULE\]: schema\.ts: PostgreSQL refuses the declared schema \(create table public\.t, at `n integer DEFAULT 'abc'`\): invalid input syntax for type integer/m,
      )
      expect(result.stderr).toMatch(/^hint: Fix that declaration in schema\.ts/m)
      expect(result.code).toBe(2)
    })
  })

  it('a default MariaDB refuses names MariaDB, not PostgreSQL, as the database that refused it', async () => {
    await withMysqlDatabase(async ({ url }) => {
      const dir = folder({
        'schema.ts': `${IMPORTS}export const t = table('t', { id: integer().primaryKey(), n: integer().default('abc') })\n`,
      })
      const result = await runKeel(['diff', '--to', 'schema.ts', '--url', url], { cwd: dir })
      expect(result.stderr).toMatch(
        /^error\[SCHEMA_MODULE\]: schema\.ts: MySQL\/MariaDB refuses the declared schema.*Invalid default value for 'n'/m,
      )
      expect(result.stderr).not.toMatch(/PostgreSQL/)
      expect(result.code).toBe(2)
    })
  })

  it('a misspelt column method names the column, the likely method and the methods there are', async () => {
    const dir = folder({
      'schema.ts': `${IMPORTS}export const t = table('t', {\n  id: integer().primaryKey(),\n  name: text().notNul(),\n})\n`,
    })
    const result = await runKeel(['diff', '--from', 'pglite:memory', '--to', 'schema.ts'], { cwd: dir })
    expect(result.stderr).toMatch(
      /^error\[SCHEMA_MODULE\]: schema\.ts:4: column `name`: `\.notNul\(\)` is not a column method; did you mean `\.notNull\(\)`\? \(column methods: .*\bdefault\b/m,
    )
    expect(result.stderr).not.toContain('_schema')
    expect(result.code).toBe(2)
  })

  it('an index on a missing column names it', async () => {
    const dir = folder({
      'schema.ts': `${IMPORTS}export const t = table('t', { id: integer().primaryKey(), name: text() }, () => [index('t_x_idx').on('nmae')])\n`,
    })
    const result = await runKeel(['diff', '--from', 'pglite:memory', '--to', 'schema.ts'], { cwd: dir })
    expect(result.stderr).toMatch(/^error\[SCHEMA_MODULE\]: .*table t: an index names column "nmae"/m)
    expect(result.code).toBe(2)
  })
})

describe.concurrent('databases and history', () => {
  it('a role without CREATEDB is told about devUrl, and devUrl then works', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      const role = `keel_nocreatedb_${randomBytes(4).toString('hex')}`
      await conn.exec(`CREATE ROLE ${role} LOGIN NOCREATEDB`)
      try {
        const asRole = url.replace('://postgres@', `://${role}@`)
        const dir = folder({ 'schema.sql': 'create table a (id int primary key);\n' })
        const refused = await runKeel(['diff', '--to', 'schema.sql', '--url', asRole], { cwd: dir })
        expect(refused.stderr).toMatch(
          /^error\[SCRATCH_DATABASE\]: cannot create a temporary database on .* \(the role lacks CREATEDB\)/m,
        )
        expect(refused.stderr).toMatch(/^hint: Set `devUrl` in keel\.config\.ts .*pglite:memory/m)
        expect(refused.code).toBe(2)
        writeFileSync(join(dir, 'keel.config.ts'), `export default { devUrl: ${JSON.stringify(POSTGRES_URL)} }\n`)
        const ok = await runKeel(['diff', '--to', 'schema.sql', '--url', asRole], { cwd: dir })
        expect(ok.stderr).not.toContain('error[')
        expect(ok.stdout).toContain('CREATE TABLE public.a')
        expect(ok.code).toBe(0)
      } finally {
        await conn.exec(`DROP OWNED BY ${role}; DROP ROLE ${role}`)
      }
    })
  })

  it('migrate after push (relation already exists) suggests keel baseline', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const dir = folder({
        'keel.config.ts': 'export default {}\n',
        'schema.sql': 'create table a (id int primary key);\n',
        'migrations/.keep': '',
      })
      expect((await runKeel(['push', '--schema', 'schema.sql', '--url', url], { cwd: dir })).code).toBe(0)
      // The migration `keel generate` would write (written here: each CLI run costs seconds on a loaded machine).
      mkdirSync(join(dir, 'migrations', '20261201000000_create_a'))
      writeFileSync(
        join(dir, 'migrations', '20261201000000_create_a', 'up.sql'),
        'create table a (id int primary key);\n',
      )
      writeFileSync(join(dir, 'migrations', '20261201000000_create_a', 'down.sql'), 'drop table a;\n')
      writeSum(readMigrationsDirectory(join(dir, 'migrations')))
      const result = await runKeel(['migrate', '--url', url], { cwd: dir })
      expect(result.stderr).toMatch(/^error\[MIGRATION_FAILED\]: .*already exists/m)
      expect(result.stderr).toMatch(/^hint: .*`keel baseline --to VERSION`/m)
      expect(result.code).toBe(1)
    })
  })

  it('reset on the embedded database does not talk about other hosts', async () => {
    const result = await runKeel(['reset'], { cwd: folder({ 'keel.config.ts': 'export default {}\n' }) })
    expect(result.stderr).toMatch(/^error\[UNSAFE_RESET\]/m)
    expect(result.stderr).toMatch(/^hint: Pass --force to drop everything/m)
    expect(result.stderr).not.toMatch(/host|twice/)
    expect(result.code).toBe(2)
  })
})
