import { chmodSync, mkdtempSync, readdirSync, rmSync, type Stats } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openChecksumCache, racyMarginMs, writtenRecently } from './checksum-cache.js'

const folder = mkdtempSync(join(tmpdir(), 'keel-checksum-cache-unit-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const NOW = Date.UTC(2025, 11, 7, 12, 0, 0, 0)

/** A stat as the cache reads one: size, times, inode, device. */
function stat(overrides: Partial<Stats> = {}): Stats {
  return { size: 25, mtimeMs: NOW - 60_000.5, ctimeMs: NOW - 60_000.5, ino: 7, dev: 1, ...overrides } as Stats
}

const READ = { checksum: 'n1:abc', directives: { noTransaction: false, lintIgnores: [] } }

/** A cache of `dir` recorded with one folder, saved, and opened again (as the next run would). */
function recordedThenReopened(dir: string, folderStat: Stats, files: Stats[], build = 'b1', cacheFolder = folder) {
  const first = openChecksumCache(() => cacheFolder, dir, build)
  first.record('20260101000000_a', folderStat, ['down.sql', 'up.sql'], files, READ)
  first.save()
  return (reopenBuild = build) => openChecksumCache(() => cacheFolder, dir, reopenBuild)
}

describe('the racy rule', () => {
  it('takes 100 ms on file systems with sub-second times, 3 s where a time is whole seconds', () => {
    expect(racyMarginMs(stat())).toBe(100)
    expect(racyMarginMs(stat({ mtimeMs: NOW - 60_000 }))).toBe(3000)
    expect(racyMarginMs(stat({ ctimeMs: NOW - 2000 }))).toBe(3000)
  })

  it('counts a file as recently written by the later of its mtime and ctime', () => {
    expect(writtenRecently(stat({ mtimeMs: NOW - 99.5, ctimeMs: NOW - 5000.5 }), NOW)).toBe(true)
    expect(writtenRecently(stat({ mtimeMs: NOW - 5000.5, ctimeMs: NOW - 99.5 }), NOW)).toBe(true)
    expect(writtenRecently(stat({ mtimeMs: NOW - 100.5, ctimeMs: NOW - 100.5 }), NOW)).toBe(false)
    expect(writtenRecently(stat({ mtimeMs: NOW - 2000, ctimeMs: NOW - 2000 }), NOW)).toBe(true)
    // A time after the reading started (a clock behind the file system's) is recent.
    expect(writtenRecently(stat({ mtimeMs: NOW + 10_000.5 }), NOW)).toBe(true)
  })
})

describe('openChecksumCache', () => {
  it('finds a folder again only while the folder and each file keep size, mtime, ctime, inode and device', () => {
    const reopen = recordedThenReopened('/project/one', stat({ ino: 3 }), [stat({ ino: 8 }), stat({ ino: 9 })])
    const find = (folderStat: Stats, files: Stats[]) =>
      reopen().find('20260101000000_a', folderStat, (names) => {
        expect(names).toEqual(['down.sql', 'up.sql'])
        return files
      })
    expect(find(stat({ ino: 3 }), [stat({ ino: 8 }), stat({ ino: 9 })])).toEqual(READ)
    for (const changed of [{ size: 26 }, { mtimeMs: NOW - 1.5 }, { ctimeMs: NOW - 1.5 }, { ino: 10 }, { dev: 2 }]) {
      expect(find(stat({ ino: 3 }), [stat({ ino: 8 }), stat({ ino: 9, ...changed })])).toBeUndefined()
    }
    expect(find(stat({ ino: 3, ctimeMs: NOW - 1.5 }), [stat({ ino: 8 }), stat({ ino: 9 })])).toBeUndefined()
  })

  it('does not record a folder with a recently written file', () => {
    const reopen = recordedThenReopened('/project/two', stat(), [stat(), stat({ ctimeMs: Date.now() - 10.5 })])
    expect(reopen().find('20260101000000_a', stat(), () => [stat(), stat()])).toBeUndefined()
  })

  it('keeps what one build recorded from another build', () => {
    const reopen = recordedThenReopened('/project/three', stat(), [stat(), stat()])
    expect(reopen('b1').find('20260101000000_a', stat(), () => [stat(), stat()])).toEqual(READ)
    expect(reopen('b2').find('20260101000000_a', stat(), () => [stat(), stat()])).toBeUndefined()
  })

  it.skipIf(process.platform === 'win32')('ignores a cache file that others can write', () => {
    const own = mkdtempSync(join(folder, 'own-'))
    const reopen = recordedThenReopened('/project/four', stat(), [stat(), stat()], 'b1', own)
    expect(reopen().find('20260101000000_a', stat(), () => [stat(), stat()])).toEqual(READ)
    const files = readdirSync(own)
    expect(files).toHaveLength(1)
    chmodSync(join(own, files[0] as string), 0o620)
    expect(reopen().find('20260101000000_a', stat(), () => [stat(), stat()])).toBeUndefined()
  })
})
