import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { useProject, withPgliteDir } from './project.js'
import { assertBuilt, spawnKeel } from './spawn.js'

// PGlite is PostgreSQL inside one process: two processes on one directory would each run a server over the
// same files. Opening the directory is therefore the lock, and a second runner waits like it does on a server
// (two `keel migrate` at once: the shared suite test/support/suites/concurrency.ts, which runs on PGlite too).
const project = useProject()
beforeAll(() => assertBuilt())

const args = (url: string, ...rest: string[]) => [...rest, '--config', project.config, '--url', url]

/**
 * Waits until the lock file exists and names `holder`: `keel migrate` opens the directory first for its lint step
 * ("keel lint") and then for its run ("keel-run migrate ..."), so the runner holds it only from the second.
 */
async function waitForFile(file: string, holder = ''): Promise<void> {
  const held = () => {
    try {
      return readFileSync(file, 'utf8').includes(holder)
    } catch {
      return false // not there yet, or released between two looks
    }
  }
  // Up to 45 s: under CI's load one PGlite start alone took over 10 s, and migrate starts two before its run.
  for (let i = 0; i < 1800 && !held(); i++) await new Promise((r) => setTimeout(r, 25))
  if (!held()) throw new Error(`${file} never appeared${holder ? ` naming ${holder}` : ''}`)
}

describe('keel processes on one PGlite directory', () => {
  it('a command that does not wait says who holds the directory; a dead holder is taken over', async () => {
    await withPgliteDir(async (url) => {
      project.add('20260101000000_slow', { 'up.sql': 'create table t (n int);\nselect pg_sleep(1.5);\n' })
      const lockFile = join(url.slice('pglite:'.length), 'keel.lock')
      const running = spawnKeel(project.root, args(url, 'migrate'))
      await waitForFile(lockFile, 'keel-run migrate')
      const status = spawnKeel(project.root, args(url, 'status'))
      const busy = await status.done
      expect(busy.code).toBe(1)
      expect(busy.stderr).toMatch(/^error\[LOCK_TIMEOUT\]: the embedded database .* is in use by "keel-run migrate /m)
      expect((await running.done).code).toBe(0)

      // A runner killed with SIGKILL leaves its file behind; its pid is gone, so the next command takes over.
      const dead = spawnSync(process.execPath, ['-e', 'process.pid'])
      writeFileSync(
        lockFile,
        `${JSON.stringify({ pid: dead.pid, host: hostname(), applicationName: 'keel-run migrate x', since: new Date().toISOString() })}\n`,
      )
      const after = await spawnKeel(project.root, args(url, 'status', '--json')).done
      expect(after.code, after.stderr).toBe(0)
      expect(JSON.parse(after.stdout).migrations.map((m: { state: string }) => m.state)).toEqual(['applied'])
      expect(existsSync(lockFile)).toBe(false)
    })
  }, 120_000)
})
