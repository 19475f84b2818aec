/**
 * A deploy never touches the wrong database (issue 12, point 2), through the CLI as a user runs it: a config
 * whose `url` turns out empty is error[CONFIG] and creates nothing (never the embedded `.keel/db`), `.env` in
 * the project folder is read, and every command that writes says first which database it writes to, with the
 * password redacted.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readMigrationsDirectory } from '../../src/migrate/directory.js'
import { writeSum } from '../../src/migrate/keel-sum.js'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-target-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let projects = 0
/** A project with one migration and the given keel.config.ts (and .env, if given). */
function project(config: string, env?: string): string {
  const dir = join(root, `p${++projects}`)
  mkdirSync(join(dir, 'migrations', '20261201000000_create_a'), { recursive: true })
  writeFileSync(join(dir, 'migrations', '20261201000000_create_a', 'up.sql'), 'create table a (id int primary key);\n')
  writeFileSync(join(dir, 'migrations', '20261201000000_create_a', 'down.sql'), 'drop table a;\n')
  writeSum(readMigrationsDirectory(join(dir, 'migrations')))
  writeFileSync(join(dir, 'keel.config.ts'), config)
  if (env !== undefined) writeFileSync(join(dir, '.env'), env)
  return dir
}

const UNSET_URL_CONFIG = 'export default { url: process.env.KEEL_TEST_UNSET_URL }\n'

describe.concurrent('a config url that turns out empty', () => {
  // reset runs with the variable set but empty, which is no different.
  for (const args of [['migrate'], ['push'], ['rollback'], ['reset', '--force'], ['status']]) {
    it(`keel ${args.join(' ')} is error[CONFIG] and creates nothing`, async () => {
      const dir = project(UNSET_URL_CONFIG)
      const env: Record<string, string> = args[0] === 'reset' ? { KEEL_TEST_UNSET_URL: '' } : {}
      const result = await runKeel(args, { cwd: dir, env })
      expect(result.stderr).toMatch(/^error\[CONFIG\]: keel\.config\.ts sets `url`, but it is empty/m)
      expect(result.stderr).toMatch(/^hint: .*\.env/m)
      expect(result.code).toBe(2)
      expect(existsSync(join(dir, '.keel'))).toBe(false)
    })
  }

  it('commands that need no database still work (keel new)', async () => {
    const dir = project(UNSET_URL_CONFIG)
    const result = await runKeel(['new', 'add_b'], { cwd: dir })
    expect(result.stderr).not.toContain('error[')
    expect(result.code).toBe(0)
  })

  it('--url still takes precedence', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const dir = project(UNSET_URL_CONFIG)
      const result = await runKeel(['migrate', '--url', url], { cwd: dir })
      expect(result.stderr).not.toContain('error[')
      expect(result.code).toBe(0)
      expect(result.stderr.split('\n')[0]).toBe(`migrating ${url} (from --url)`)
    })
  })

  it('an empty --url (an unset variable in a deploy script) is a usage error', async () => {
    const result = await runKeel(['migrate', '--url', ''], { cwd: project('export default {}\n') })
    expect(result.stderr).toMatch(/^error\[USAGE\]: --url is empty/m)
    expect(result.code).toBe(2)
  })

  it('a DATABASE_URL set but empty (a missing CI secret) is error[CONFIG], not the config or the embedded database', async () => {
    for (const config of [
      'export default {}\n',
      "export default { url: 'postgres://nobody@keel-no-such-host.invalid/x' }\n",
    ]) {
      const dir = project(config)
      const result = await runKeel(['migrate'], { cwd: dir, env: { DATABASE_URL: '' } })
      expect(result.stderr).toMatch(/^error\[CONFIG\]: DATABASE_URL is set but empty/m)
      expect(result.stderr).toMatch(/^hint: .*unset/m)
      expect(result.code).toBe(2)
      expect(existsSync(join(dir, '.keel'))).toBe(false)
    }
  })

  it('a DATABASE_URL set but empty is filled from .env', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const dir = project('export default {}\n', `DATABASE_URL=${url}\n`)
      const result = await runKeel(['migrate', '--dry-run'], { cwd: dir, env: { DATABASE_URL: '' } })
      expect(result.stderr).not.toContain('error[')
      expect(result.stderr.split('\n')[0]).toBe(`dry run: migrating ${url} (from DATABASE_URL)`)
    })
  })

  it('a Prisma datasource reading an unset variable is error[CONFIG] too', async () => {
    const dir = project("export default { schema: 'prisma/schema.prisma' }\n")
    mkdirSync(join(dir, 'prisma'))
    writeFileSync(
      join(dir, 'prisma', 'schema.prisma'),
      'datasource db {\n  provider = "postgresql"\n  url = env("KEEL_TEST_UNSET_URL")\n}\n\nmodel A {\n  id Int @id\n}\n',
    )
    const result = await runKeel(['migrate'], { cwd: dir })
    expect(result.stderr).toMatch(
      /^error\[CONFIG\]: prisma\/schema\.prisma: the datasource reads env\("KEEL_TEST_UNSET_URL"\)/m,
    )
    expect(result.code).toBe(2)
    expect(existsSync(join(dir, '.keel'))).toBe(false)
  })
})

describe.concurrent('.env in the project folder', () => {
  it('supplies the variable the config reads; the first line names the database, redacted', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const withPassword = url.replace('://postgres@', '://postgres:s3cret-pw@')
      expect(withPassword).toContain('s3cret-pw')
      const dir = project(UNSET_URL_CONFIG, `# the app's settings\nKEEL_TEST_UNSET_URL="${withPassword}"\n`)
      const result = await runKeel(['migrate'], { cwd: dir })
      expect(result.stderr).not.toContain('error[')
      expect(result.code).toBe(0)
      const first = result.stderr.split('\n')[0]
      expect(first).toBe(`migrating ${url.replace('://postgres@', '://postgres:***@')} (from the config)`)
      expect(result.stdout + result.stderr).not.toContain('s3cret-pw')
      expect(existsSync(join(dir, '.keel'))).toBe(false)
      const rolled = await runKeel(['rollback'], { cwd: dir })
      expect(rolled.code).toBe(0)
      expect(rolled.stderr.split('\n')[0]).toMatch(/^rolling back postgres:\/\/postgres:\*\*\*@.* \(from the config\)$/)
    })
  })

  it('never overrides a variable set in the environment', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const dir = project('export default {}\n', 'DATABASE_URL=postgres://nobody@keel-no-such-host.invalid/x\n')
      const result = await runKeel(['migrate', '--dry-run'], { cwd: dir, env: { DATABASE_URL: url } })
      expect(result.stderr).not.toContain('error[')
      expect(result.stderr.split('\n')[0]).toBe(`dry run: migrating ${url} (from DATABASE_URL)`)
    })
  })
})

describe.concurrent('the first line of a writing command', () => {
  it('comes before anything else, and says when it is the embedded database and why', async () => {
    const dir = project('export default {}\n')
    // Without --force reset refuses before it opens anything: its first line still names the database.
    const reset = await runKeel(['reset'], { cwd: dir })
    expect(reset.stderr.split('\n')[0]).toBe(
      'resetting the embedded database in .keel/db (no --url, DATABASE_URL or url in the config)',
    )
    expect(reset.code).toBe(2)
    writeFileSync(join(dir, 'schema.sql'), 'create table a (id int primary key);\n')
    await withDatabase('postgres', async ({ url }) => {
      const push = await runKeel(['push', '--dry-run', '--schema', 'schema.sql', '--url', url], { cwd: dir })
      expect(push.stderr.split('\n')[0]).toBe(`dry run: pushing to ${url} (from --url)`)
      expect(push.code, push.stderr).toBe(0)
    })
  })
})
