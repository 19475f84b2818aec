import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openChecksumCache, racyMarginMs, writtenRecently } from './checksum-cache.js'

const folder = mkdtempSync(join(tmpdir(), 'keel-checksum-cache-unit-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const NOW = Date.UTC(2025, 11, 7, 12, 0, 0, 0)

/** A stat as the racy rule reads one: its times. */
function stat(overrides: Partial<Stats> = {}): Stats {
  return { size: 25, mtimeMs: NOW - 60_000.5, ctimeMs: NOW - 60_000.5, ino: 7, dev: 1, ...overrides } as Stats
}

const READ = { checksum: 'n1:abc', directives: { noTransaction: false, lintIgnores: [] } }
const FOLDER = '20260101000000_a'

let projects = 0

/**
 * A migrations directory with one folder of up.sql and down.sql, its files settled (no longer recently written, so
 * that the cache records them), recorded by one run and saved. Returns the folder's path and how the next run opens
 * the cache.
 */
async function recordedProject(build = 'b1', cacheFolder = folder, read = READ) {
  const migrations = join(folder, `project-${projects++}`)
  const dir = join(migrations, FOLDER)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'up.sql'), 'create table a (id int);\n')
  writeFileSync(join(dir, 'down.sql'), 'drop table a;\n')
  const paths = [dir, join(dir, 'down.sql'), join(dir, 'up.sql')]
  while (paths.some((path) => writtenRecently(statSync(path), Date.now()))) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const first = openChecksumCache(() => cacheFolder, migrations, build)
  const [folderStat, ...files] = paths.map((path) => statSync(path))
  first.record(FOLDER, folderStat as Stats, ['down.sql', 'up.sql'], files, read)
  first.save()
  const reopen = (reopenBuild = build) => openChecksumCache(() => cacheFolder, migrations, reopenBuild)
  return { dir, reopen, find: () => reopen().find(FOLDER, dir) }
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
  it('finds an unchanged folder again, and keeps it for the run after', async () => {
    const project = await recordedProject()
    expect(project.find()).toEqual(READ)
    // A run that found every folder writes nothing, and the next finds them again.
    expect(project.find()).toEqual(READ)
  })

  it('finds each folder whatever the order it is asked for in, and no folder it has no line for', async () => {
    const migrations = join(folder, 'order')
    const folders = ['20260101000000_a', '20260102000000_b', '20260103000000_c']
    const paths = folders.flatMap((name) => {
      const dir = join(migrations, name)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'up.sql'), `-- ${name}\n`)
      return [dir, join(dir, 'up.sql')]
    })
    while (paths.some((path) => writtenRecently(statSync(path), Date.now()))) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const first = openChecksumCache(() => folder, migrations, 'b1')
    for (const name of folders) {
      const read = { ...READ, checksum: `n1:${name}` }
      first.record(
        name,
        statSync(join(migrations, name)),
        ['up.sql'],
        [statSync(join(migrations, name, 'up.sql'))],
        read,
      )
    }
    first.save()
    const cache = openChecksumCache(() => folder, migrations, 'b1')
    const found = (name: string) => cache.find(name, join(migrations, name))?.checksum
    expect(['20260102000000_b', '20260103000000_c', '20260100000000_new', '20260101000000_a'].map(found)).toEqual([
      'n1:20260102000000_b',
      'n1:20260103000000_c',
      undefined,
      'n1:20260101000000_a',
    ])
  })

  it('keeps directives other than the default', async () => {
    const read = { checksum: 'n1:def', directives: { noTransaction: true, phase: 'expand' as const, lintIgnores: [] } }
    const project = await recordedProject('b1', folder, read)
    expect(project.find()).toEqual(read)
  })

  it.skipIf(process.platform === 'win32')(
    'does not find a folder whose file was rewritten with its size and mtime kept (only ctime differs)',
    async () => {
      const project = await recordedProject()
      const up = join(project.dir, 'up.sql')
      const before = statSync(up)
      // touch -r keeps the nanoseconds, which utimes from JavaScript's milliseconds would not.
      const reference = join(project.dir, '..', 'mtime-reference')
      writeFileSync(reference, '')
      execFileSync('touch', ['-r', up, reference])
      writeFileSync(up, 'create table a (id i64);\n')
      execFileSync('touch', ['-r', reference, up])
      const after = statSync(up)
      expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino])
      expect(project.find()).toBeUndefined()
    },
  )

  it('does not find a folder whose file changed size, mtime or inode, or that gained or lost a file', async () => {
    const edits: ((dir: string) => void)[] = [
      (dir) => writeFileSync(join(dir, 'up.sql'), 'create table a (id int, b int);\n'),
      (dir) => utimesSync(join(dir, 'down.sql'), new Date(NOW), new Date(NOW)),
      (dir) => {
        // An editor's save: a new file renamed over the old one (another inode; the folder's times change too).
        writeFileSync(join(dir, 'up.sql.new'), 'create table a (id int);\n')
        renameSync(join(dir, 'up.sql.new'), join(dir, 'up.sql'))
      },
      (dir) => writeFileSync(join(dir, 'notes.txt'), 'why\n'),
      (dir) => unlinkSync(join(dir, 'down.sql')),
      (dir) => chmodSync(join(dir, 'up.sql'), 0o600),
    ]
    for (const edit of edits) {
      const project = await recordedProject()
      expect(project.find()).toEqual(READ)
      edit(project.dir)
      expect(project.find()).toBeUndefined()
    }
  })

  it('does not record a folder with a recently written file', () => {
    const migrations = join(folder, 'recent')
    const dir = join(migrations, FOLDER)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'up.sql'), 'create table a (id int);\n')
    const first = openChecksumCache(() => folder, migrations, 'b1')
    first.record(FOLDER, statSync(dir), ['up.sql'], [statSync(join(dir, 'up.sql'))], READ)
    first.save()
    expect(openChecksumCache(() => folder, migrations, 'b1').find(FOLDER, dir)).toBeUndefined()
  })

  it('keeps what one build recorded from another build', async () => {
    const project = await recordedProject()
    expect(project.reopen('b1').find(FOLDER, project.dir)).toEqual(READ)
    expect(project.reopen('b2').find(FOLDER, project.dir)).toBeUndefined()
  })

  it('reads nothing from a damaged cache file', async () => {
    const own = mkdtempSync(join(folder, 'damaged-'))
    const project = await recordedProject('b1', own)
    const [file] = readdirSync(own)
    const path = join(own, file as string)
    const whole = readFileSync(path)
    truncateSync(path, whole.length - 8)
    expect(project.find()).toBeUndefined()
    writeFileSync(path, whole)
    expect(project.find()).toEqual(READ)
    // Another folder's name in the line: not this folder's record.
    writeFileSync(path, whole.toString('latin1').replace(FOLDER, '20260101000000_b'), 'latin1')
    expect(project.find()).toBeUndefined()
  })

  it.skipIf(process.platform === 'win32')('ignores a cache file that others can write', async () => {
    const own = mkdtempSync(join(folder, 'own-'))
    const project = await recordedProject('b1', own)
    expect(project.find()).toEqual(READ)
    const files = readdirSync(own)
    expect(files).toHaveLength(1)
    chmodSync(join(own, files[0] as string), 0o620)
    expect(project.find()).toBeUndefined()
  })
})
