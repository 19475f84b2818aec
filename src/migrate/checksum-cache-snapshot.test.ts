/**
 * The checksum cache's stat snapshot (stat-snapshot.ts): recorded by the run after the one that filled the cache
 * (which found every folder unchanged), it lets the next runs take every folder as unchanged from one text taken by
 * another process; an applied migration edited in place with its size and mtime kept, or a file a migration links to
 * edited so, is still read again. Real files, GNU stat (Linux only: elsewhere the cache stats each folder itself).
 */
import { execFileSync } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openChecksumCache, writtenRecently } from './checksum-cache.js'
import { readMigrationsDirectory } from './directory.js'
import { readMigrationHeadsYielding } from './read-heads.js'

const root = mkdtempSync(join(tmpdir(), 'keel-stat-snapshot-'))
// Taken whatever the machine's load (snapshotWorthTaking).
const setting = process.env.KEEL_STAT_SNAPSHOT
process.env.KEEL_STAT_SNAPSHOT = 'always'
afterAll(() => {
  rmSync(root, { recursive: true, force: true })
  if (setting === undefined) delete process.env.KEEL_STAT_SNAPSHOT
  else process.env.KEEL_STAT_SNAPSHOT = setting
})

/** Rewrites `file` with `text` (of the same size) and puts its mtime back to the nanosecond: only ctime tells. */
function rewriteKeepingMtime(file: string, text: string): void {
  const reference = join(root, 'mtime-reference')
  writeFileSync(reference, '')
  execFileSync('touch', ['-r', file, reference])
  const before = statSync(file)
  writeFileSync(file, text)
  execFileSync('touch', ['-r', reference, file])
  const after = statSync(file)
  expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino])
}

async function settled(paths: readonly string[]): Promise<void> {
  while (paths.some((path) => writtenRecently(statSync(path), Date.now()))) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe.skipIf(process.platform !== 'linux')('the stat snapshot of the checksum cache', () => {
  it('is recorded by a run that found every folder unchanged, and misses a file edited in place after it', async () => {
    const project = mkdtempSync(join(root, 'project-'))
    const migrations = join(project, 'migrations')
    const cacheFolder = join(project, 'cache')
    mkdirSync(cacheFolder)
    const a = join(migrations, '20260101000000_a')
    const b = join(migrations, '20260102000000_b')
    mkdirSync(a, { recursive: true })
    mkdirSync(b)
    writeFileSync(join(a, 'up.sql'), 'create table a (id int);\n')
    writeFileSync(join(a, 'down.sql'), 'drop table a;\n')
    // b's up.sql is a link to a file outside the directory: its target's edits count, as they do without the cache.
    const target = join(project, 'shared.sql')
    writeFileSync(target, 'create table b (id int);\n')
    symlinkSync(target, join(b, 'up.sql'))
    await settled([migrations, a, b, join(a, 'up.sql'), join(a, 'down.sql'), target])

    const run = () =>
      readMigrationHeadsYielding(
        migrations,
        openChecksumCache(() => cacheFolder, migrations, 'b1'),
      )
    const checksums = async () => (await run()).migrations.map((m) => m.checksum)
    const fresh = () => readMigrationsDirectory(migrations).migrations.map((m) => m.checksum)
    const cacheFile = () => {
      const [name] = readdirSync(cacheFolder).filter((file) => file.startsWith('checksums-'))
      return readFileSync(join(cacheFolder, name as string))
    }
    // The third line of the file ends with the length of the snapshot's digest: 32 bytes, or 0 for none.
    const snapshotBytes = () => Number(cacheFile().toString('latin1').split('\n')[2]?.split('\t')[3])

    const checksumsBefore = fresh()
    expect(await checksums()).toEqual(checksumsBefore)
    expect(snapshotBytes()).toBe(0)
    expect(await checksums()).toEqual(fresh())
    expect(snapshotBytes()).toBe(32)
    const withSnapshot = cacheFile()
    expect(await checksums()).toEqual(fresh())
    // A run that took every folder from the snapshot writes nothing.
    expect(cacheFile().equals(withSnapshot)).toBe(true)

    rewriteKeepingMtime(join(a, 'up.sql'), 'create table a (id i64);\n')
    const edited = fresh()
    expect(edited).not.toEqual(checksumsBefore)
    expect(await checksums()).toEqual(edited)

    // Settled and run twice again: the cache holds the new file and a new snapshot when the link's target changes.
    await settled([a, join(a, 'up.sql')])
    expect(await checksums()).toEqual(edited)
    expect(await checksums()).toEqual(edited)
    expect(cacheFile().equals(withSnapshot)).toBe(false)
    expect(snapshotBytes()).toBe(32)
    rewriteKeepingMtime(target, 'create table b (id i64);\n')
    const linked = fresh()
    expect(linked).not.toEqual(edited)
    expect(await checksums()).toEqual(linked)
  })
})
