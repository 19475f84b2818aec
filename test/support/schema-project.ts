import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect } from 'vitest'
import { type CliResult, runKeel } from './cli.js'
import { seedPgliteDir } from './pglite-dir.js'

/**
 * A maker of project directories whose schema.sql holds `schema`, named by a keel.config.ts, as a user's project that
 * declares its schema in SQL: the CLI runs in them against the embedded default database. Call it at the top level of
 * a test file: the directories are removed after the file's last test.
 */
export function schemaProjects(prefix: string, schema: string): () => string {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix))
    dirs.push(dir)
    writeFileSync(join(dir, 'schema.sql'), schema)
    writeFileSync(join(dir, 'keel.config.ts'), "export default { schema: 'schema.sql' }\n")
    return dir
  }
}

/** `keel <args>` in `dir`, which must succeed and print no error[...]: its result. */
export async function keelSucceeds(dir: string, args: readonly string[]): Promise<CliResult> {
  const result = await runKeel(args, { cwd: dir })
  expect(result.stderr).not.toContain('error[')
  expect(result.code).toBe(0)
  return result
}

/** `keel diff --exit-code` in `dir`, against `url` (else the project's own database), finds no differences. */
export async function expectNoDifferences(dir: string, url?: string): Promise<void> {
  const diff = await runKeel(['diff', ...(url === undefined ? [] : ['--url', url]), '--exit-code'], { cwd: dir })
  expect(diff.stderr).toContain('no differences')
  expect(diff.code).toBe(0)
}

/** `keel generate init` in `dir`: the up.sql of the one migration it writes. */
export async function generateInit(dir: string): Promise<string> {
  await keelSucceeds(dir, ['generate', 'init'])
  const [version] = readdirSync(join(dir, 'migrations')).filter((name) => name !== 'keel.sum')
  return readFileSync(join(dir, 'migrations', version as string, 'up.sql'), 'utf8')
}

/**
 * `keel migrate` of an initialised, empty PGlite directory (dir/target) with the project's migrations, after which
 * `keel diff` finds nothing there: the directory's URL.
 */
export async function migrateAnotherDirectory(dir: string): Promise<string> {
  // Initialised already: initdb of a fresh directory is init.test.ts's.
  await seedPgliteDir(join(dir, 'target'))
  const target = `pglite:${join(dir, 'target')}`
  await keelSucceeds(dir, ['migrate', '--url', target])
  await expectNoDifferences(dir, target)
  return target
}

/** `keel push` in `dir` to its embedded default database (.keel/db, initialised already), which must succeed. */
export async function pushToDefaultDatabase(dir: string): Promise<CliResult> {
  // Initialised already: initdb of a fresh directory is init.test.ts's.
  await seedPgliteDir(join(dir, '.keel', 'db'))
  return keelSucceeds(dir, ['push'])
}
