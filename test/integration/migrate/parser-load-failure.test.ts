import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { Journal } from '../../../src/migrate/journal.js'
import { runKeel } from '../../support/cli.js'
import { withDatabase } from '../../support/databases.js'
import { useProject } from './project.js'
import { assertBuilt } from './spawn.js'

// keel migrate starts loading the SQL parser (libpg_query's WebAssembly) before its first parse (preload-parser.ts).
// When that WebAssembly does not load, the run must end with an error that says so, or not need the parser at all:
// never an unhandled rejection that ends the process wherever the run is, nor a "syntax error" in a migration.
const project = useProject()
beforeAll(() => assertBuilt())

/** A `keel migrate` process in which every WebAssembly module fails to instantiate (a broken install, no memory). */
async function migrateWithoutWebAssembly(url: string) {
  const hook = join(project.root, 'no-webassembly.mjs')
  writeFileSync(
    hook,
    `const fail = () => Promise.reject(new Error('simulated: this WebAssembly does not load'))
WebAssembly.instantiate = fail
WebAssembly.instantiateStreaming = fail
`,
  )
  return runKeel(['migrate', '--config', project.config, '--url', url], {
    cwd: project.root,
    env: { NODE_OPTIONS: `--import ${hook}` },
  })
}

describe('keel migrate when the SQL parser cannot load (postgres)', () => {
  it('a run of a migration.ts, which needs no parser, applies it instead of dying on the preload', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      project.add('20260101000000_module', {
        'migration.ts': `export async function up(db) { await db.exec('create table from_module (id int)') }\n`,
      })
      const run = await migrateWithoutWebAssembly(url)
      expect(run.stderr).not.toContain('RuntimeError')
      expect(run.code, run.stderr).toBe(0)
      const rows = await new Journal(conn, 'public').list()
      expect(rows.map((r) => [r.version, r.status])).toEqual([['20260101000000', 'applied']])
    })
  })

  it('a run of SQL migrations stops before applying anything, naming the parser rather than a syntax error', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      project.add('20260101000000_first', { 'up.sql': 'create table first (id int);\n' })
      const run = await migrateWithoutWebAssembly(url)
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(
        "error[INTERNAL]: could not load the SQL parser (libpg_query's WebAssembly): Aborted(Error: simulated: this WebAssembly does not load)",
      )
      expect(run.stderr).not.toContain('SQL_SYNTAX')
      expect(await conn.query("select to_regclass('first') is null as absent")).toEqual([{ absent: true }])
    })
  })
})
