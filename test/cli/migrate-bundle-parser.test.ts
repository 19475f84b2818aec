/**
 * dist/migrate-bundle.cjs holds libpg_query's JavaScript (scripts/build-bundle.mjs), so that V8's code cache covers
 * it, while its WebAssembly stays in the installed package. A package of its own in a temporary folder, laid out as
 * an install is: bin/ and dist/ as built, and a node_modules whose libpg-query is a copy (no .wasm in dist/), marked
 * to record when its own JavaScript loads. With the version bundled installed, the bundled copy runs and finds the
 * .wasm in the package's folder; with another version installed (an upgrade within package.json's range, whose glue
 * may not match its .wasm), the installed package runs instead.
 */
import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { KEEL_NODE_FLAGS, withoutDatabaseUrl } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const REPO = join(import.meta.dirname, '../..')
const root = mkdtempSync(join(tmpdir(), 'keel-migrate-bundle-parser-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** An installed Keel whose libpg-query says `version` (the real one when undefined); its marker file. */
function installed(version: string | undefined): { dir: string; marker: string } {
  const dir = mkdtempSync(join(root, 'package-'))
  cpSync(join(REPO, 'bin'), join(dir, 'bin'), { recursive: true })
  cpSync(join(REPO, 'package.json'), join(dir, 'package.json'))
  // dist/ as a package has it: no .tsbuildinfo, so bin/keel.js runs migrate from the bundle.
  cpSync(join(REPO, 'dist'), join(dir, 'dist'), { recursive: true, filter: (from) => !from.includes('.tsbuildinfo') })
  const modules = join(dir, 'node_modules')
  mkdirSync(modules)
  for (const name of readdirSync(join(REPO, 'node_modules'))) {
    if (name !== 'libpg-query' && !name.startsWith('.'))
      symlinkSync(join(REPO, 'node_modules', name), join(modules, name))
  }
  const parser = join(modules, 'libpg-query')
  cpSync(join(REPO, 'node_modules', 'libpg-query'), parser, { recursive: true })
  const marker = join(dir, 'installed-parser-loaded')
  const entry = join(parser, 'wasm', 'index.cjs')
  writeFileSync(
    entry,
    `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'loaded');\n${readFileSync(entry, 'utf8')}`,
  )
  if (version !== undefined) {
    const manifest = join(parser, 'package.json')
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), version }))
  }
  const migration = join(dir, 'project', 'migrations', '20260101000000_things')
  mkdirSync(migration, { recursive: true })
  writeFileSync(join(migration, 'up.sql'), 'create table things (id bigint primary key, name text not null);\n')
  writeFileSync(join(migration, 'down.sql'), 'drop table things;\n')
  return { dir, marker }
}

function keel(dir: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [...KEEL_NODE_FLAGS, join(dir, 'bin', 'keel.js'), ...args], {
    cwd: join(dir, 'project'),
    env: { ...withoutDatabaseUrl(process.env), NO_COLOR: '1', KEEL_CODE_CACHE: '0' },
    encoding: 'utf8',
  })
}

async function migrateWith(version: string | undefined): Promise<boolean> {
  const { dir, marker } = installed(version)
  expect(keel(dir, ['sum', '--rehash']).status).toBe(0)
  // The sum command runs from dist/'s modules, which load the installed package: only migrate's load counts.
  rmSync(marker, { force: true })
  return withDatabase('postgres', async (db) => {
    const run = keel(dir, ['migrate', '--url', db.url])
    expect(run.status, run.stderr).toBe(0)
    const rows = await db.conn.query<{ found: string | null }>("select to_regclass('public.things')::text as found")
    expect(rows[0]?.found).toBe('things')
    return existsSync(marker)
  })
}

describe("keel migrate's bundled parser", () => {
  it("runs the bundled copy with the installed package's .wasm when the versions match", async () => {
    expect(await migrateWith(undefined)).toBe(false)
  })

  it('runs the installed package when its version is not the one bundled', async () => {
    expect(await migrateWith('18.99.0')).toBe(true)
  })
})
