/**
 * bin/keel.js runs `keel status` and `keel --help` from dist/cli-bundle.cjs (`keel migrate` from dist/migrate-bundle.cjs),
 * which scripts/build-bundle.mjs makes from
 * dist/ after tsc. A tsc build alone after it (`tsc -p tsconfig.build.json`, `tsc --watch`) leaves the bundle as it
 * was: status must then run dist/'s modules, the code just compiled, not the bundle's older copy of it.
 *
 * A package of its own in a temporary folder: bin/ as it is, and a dist/ whose bundle and modules each say which ran.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { TEST_CACHE_HOME } from '../support/cli.js'

const BIN = join(import.meta.dirname, '../../bin')
const root = mkdtempSync(join(tmpdir(), 'keel-stale-bundle-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function installed(): string {
  const dir = mkdtempSync(join(root, 'package-'))
  mkdirSync(join(dir, 'bin'))
  for (const file of ['keel.js', 'code-cache.js', 'package.json']) copyFileSync(join(BIN, file), join(dir, 'bin', file))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'keel', version: '0.0.0', type: 'module' }))
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true })
  writeFileSync(
    join(dir, 'dist', 'cli-bundle.cjs'),
    "exports.main = async () => { process.stdout.write('bundle\\n'); return 0 }\n",
  )
  writeFileSync(
    join(dir, 'dist', 'migrate-bundle.cjs'),
    "exports.main = async () => { process.stdout.write('migrate bundle\\n'); return 0 }\n",
  )
  writeFileSync(
    join(dir, 'dist', 'cli', 'main.js'),
    "export async function main() { process.stdout.write('modules\\n'); return 0 }\n",
  )
  return dir
}

/** What `keel status` (or another command) ran: a bundle or dist/'s modules. */
function statusRan(dir: string, command = 'status'): string {
  const run = spawnSync(process.execPath, [join(dir, 'bin', 'keel.js'), command], {
    cwd: dir,
    env: { ...process.env, KEEL_CODE_CACHE: '0', XDG_CACHE_HOME: TEST_CACHE_HOME },
    encoding: 'utf8',
  })
  expect(run.status, run.stderr).toBe(0)
  return run.stdout.trim()
}

/** Sets a file's modification time, `seconds` from now. */
function touch(file: string, seconds: number): void {
  const at = Date.now() / 1000 + seconds
  utimesSync(file, at, at)
}

describe('keel status after a build of dist/', () => {
  it('runs from the bundle when it was made after tsc built dist/, or there is no .tsbuildinfo (a package)', () => {
    const dir = installed()
    expect(statusRan(dir)).toBe('bundle')
    expect(statusRan(dir, 'migrate')).toBe('migrate bundle')
    expect(statusRan(dir, 'lint')).toBe('modules')
    writeFileSync(join(dir, 'dist', '.tsbuildinfo'), '{}')
    touch(join(dir, 'dist', '.tsbuildinfo'), -60)
    expect(statusRan(dir)).toBe('bundle')
    expect(statusRan(dir, 'migrate')).toBe('migrate bundle')
  })

  it("runs dist/'s modules when tsc built dist/ again after the bundle was made", () => {
    const dir = installed()
    writeFileSync(join(dir, 'dist', '.tsbuildinfo'), '{}')
    touch(join(dir, 'dist', 'cli-bundle.cjs'), -60)
    touch(join(dir, 'dist', 'migrate-bundle.cjs'), -60)
    expect(statusRan(dir)).toBe('modules')
    expect(statusRan(dir, 'migrate')).toBe('modules')
  })

  it("runs dist/'s modules when there is no bundle", () => {
    const dir = installed()
    rmSync(join(dir, 'dist', 'cli-bundle.cjs'))
    expect(statusRan(dir)).toBe('modules')
  })
})
