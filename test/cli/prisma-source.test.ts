/** A Prisma schema through the real CLI: read as a source, its datasource URL used, its syntax errors reported. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'
import { POSTGRES_URL } from '../support/databases.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-prisma-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const FIXTURES = join(import.meta.dirname, '../fixtures/interop/prisma')

describe.concurrent('keel with a Prisma schema', () => {
  it('diffs an empty database to the brief schema (PGlite, no server)', async () => {
    cpSync(join(FIXTURES, 'brief.prisma'), join(dir, 'brief.prisma'))
    const result = await runKeel(['diff', '--from', 'pglite:memory', '--to', 'brief.prisma', '--unsafe'], { cwd: dir })
    expect(result.stderr).not.toContain('error[')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('CREATE TABLE public."_PostToTag"')
    expect(result.stdout).toContain('posts_author_id_fkey')
    expect(result.stdout).toMatch(/ON DELETE RESTRICT/i)
  }, 180_000)

  it('reports a syntax error with the parser line, exit 2', async () => {
    const file = join(dir, 'bad.prisma')
    writeFileSync(
      file,
      'datasource db {\n  provider = "postgresql"\n}\n\nmodel User {\n  id Int @id @default(autoincrement()\n}\n',
    )
    const result = await runKeel(['diff', '--from', 'pglite:memory', '--to', 'bad.prisma'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^error\[PRISMA_SCHEMA\]: bad\.prisma:6(:\d+)?: syntax error/m)
    expect(result.stderr).toMatch(/^hint: /m)
  })

  it('connects to the URL the datasource names with env(...)', async () => {
    const project = join(dir, 'project')
    mkdirSync(join(project, 'prisma'), { recursive: true })
    writeFileSync(
      join(project, 'prisma', 'schema.prisma'),
      'datasource db {\n  provider = "postgresql"\n  url = env("APP_DB_URL")\n}\n\nmodel A {\n  id Int @id\n}\n',
    )
    writeFileSync(join(project, 'keel.config.ts'), "export default { schema: 'prisma/schema.prisma' }\n")
    const url = POSTGRES_URL.replace(/\/[^/]*$/, '/keel_no_such_database_prisma')
    const result = await runKeel(['status'], { cwd: project, env: { APP_DB_URL: url } })
    // The database in that URL does not exist: the error names it, which shows that the URL was used.
    expect(result.stderr).toContain('error[DATABASE_NOT_FOUND]')
    expect(result.stderr).toContain('keel_no_such_database_prisma')
  })
})
