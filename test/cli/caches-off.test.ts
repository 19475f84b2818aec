/**
 * KEEL_CODE_CACHE=0 and KEEL_CHECKSUM_CACHE=0 leave the user's cache directory alone: keel status with both made
 * $XDG_CACHE_HOME/keel all the same (a59db85 asked for Keel's cache folder, which keelCacheFolder makes when missing,
 * before it looked at KEEL_CHECKSUM_CACHE), so the runs meant to cache nothing, tests' among them, wrote into it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel } from '../support/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-caches-off-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('keel status with its caches turned off', () => {
  it('makes no folder in the cache directory', async () => {
    const project = join(dir, 'project')
    mkdirSync(join(project, 'migrations', '20260101000000_init'), { recursive: true })
    writeFileSync(join(project, 'migrations', '20260101000000_init', 'up.sql'), 'create table t (id int);\n')
    writeFileSync(join(project, 'keel.config.mjs'), 'export default { migrations: "migrations" }\n')
    const cacheHome = join(dir, 'cache')
    const run = await runKeel(['status', '--url', 'postgres://postgres@127.0.0.1:1/none'], {
      cwd: project,
      env: { XDG_CACHE_HOME: cacheHome, KEEL_CODE_CACHE: '0', KEEL_CHECKSUM_CACHE: '0' },
    })
    expect(run.stderr).toContain('error[CONNECTION_REFUSED]')
    expect(existsSync(cacheHome)).toBe(false)
  })
})
