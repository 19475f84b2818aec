/**
 * `keel status` with its checksum cache warm (src/migrate/checksum-cache.ts) still sees a tampered migration: an
 * applied migration's up.sql rewritten with the same size and its mtime put back (`touch -r`, as `touch -d` would),
 * which only the ctime (and, for a replaced file, the inode) tells apart. Also: a file added to a cached folder is
 * refused as without the cache, and the output is the same with and without it. The built CLI on PostgreSQL 15,
 * with its own XDG_CACHE_HOME.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writtenRecently } from '../../../src/migrate/checksum-cache.js'
import { runKeel } from '../../support/cli.js'
import { withDatabase } from '../../support/databases.js'
import { projectsDisposedAfterAll } from './project.js'

const newProject = projectsDisposedAfterAll()
const cacheHome = mkdtempSync(join(tmpdir(), 'keel-checksum-cache-'))
afterAll(() => rmSync(cacheHome, { recursive: true, force: true }))

/** Waits until no file of `dirs` counts as recently written, so that status records them in its cache. */
async function settled(files: readonly string[]): Promise<void> {
  while (files.some((file) => writtenRecently(statSync(file), Date.now()))) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The lines of this run's checksum cache (one file: the only migrations directory it has seen). */
function cachedFolders(): string[] {
  const folder = join(cacheHome, 'keel')
  // The records alone, not the report file beside them (`<records>.report-<form>`).
  const files = readdirSync(folder).filter((name) => /^checksums-[0-9a-f]{16}$/.test(name))
  expect(files).toHaveLength(1)
  // Three lines of header (the third starts with the number of folders), the directory's listing, a line per
  // folder, then binary numbers.
  const lines = readFileSync(join(folder, files[0] as string), 'latin1').split('\n')
  const count = Number(lines[2]?.split('\t')[0])
  return lines.slice(4, 4 + count).map((line) => line.split('\t')[0] as string)
}

describe('keel status with a warm checksum cache', () => {
  it('sees an applied migration rewritten with its size and mtime kept, and a file added to a folder', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const project = newProject()
      const keel = (args: string[], env: Record<string, string> = {}) =>
        runKeel([...args, '--url', url], { cwd: project.root, env: { XDG_CACHE_HOME: cacheHome, ...env } })
      const a = project.add('20260101000000_create_a', {
        'up.sql': 'create table a (id int);\n',
        'down.sql': 'drop table a;\n',
      })
      const b = project.add('20260102000000_create_b', { 'up.sql': 'create table b (id int);\n' })
      expect((await keel(['migrate'])).code).toBe(0)
      await settled([a, join(a, 'up.sql'), join(a, 'down.sql'), b, join(b, 'up.sql')])

      const cold = await keel(['status', '--json'])
      expect(cold.code, cold.stderr).toBe(0)
      expect(cachedFolders()).toEqual(['20260101000000_create_a', '20260102000000_create_b'])
      const warm = await keel(['status', '--json'])
      const uncached = await keel(['status', '--json'], { KEEL_CHECKSUM_CACHE: '0' })
      expect(warm).toEqual(cold)
      expect(uncached).toEqual(cold)
      // The cache's stats through Node's fs binding (unchanged-folder.ts) raise no deprecation of process.binding.
      const strict = await keel(['status', '--json'], { NODE_OPTIONS: '--pending-deprecation' })
      expect(strict).toEqual(cold)

      // Same size, mtime put back to the nanosecond: only ctime says the file was written.
      const upSql = join(a, 'up.sql')
      const before = statSync(upSql)
      const reference = join(project.root, 'mtime-reference')
      writeFileSync(reference, '')
      execFileSync('touch', ['-r', upSql, reference])
      writeFileSync(upSql, 'create table a (id i64);\n')
      execFileSync('touch', ['-r', reference, upSql])
      const after = statSync(upSql)
      expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino])
      // keel.sum told, so that only the journal can tell.
      project.rehash()

      const tampered = await keel(['status', '--json'])
      expect(tampered.code).toBe(1)
      const report = JSON.parse(tampered.stdout)
      expect(report.migrations.map((m: { state: string }) => m.state)).toEqual(['modified', 'applied'])
      expect(report.problems).toEqual([
        { code: 'CHECKSUM_MISMATCH', message: '20260101000000_create_a was edited after it was applied' },
      ])
      expect((await keel(['status'])).stdout).toContain('error[CHECKSUM_MISMATCH]')

      // A file added to a folder whose files are unchanged (and cached).
      writeFileSync(join(b, 'notes.txt'), 'why\n')
      const added = await keel(['status'])
      expect(added.code).toBe(2)
      expect(added.stderr).toContain('error[MIGRATIONS_DIR]: 20260102000000_create_b/notes.txt: unexpected file')
    })
  })
})
