/**
 * The checksum cache as `keel status` uses it (readMigrationHeadsYielding), on real files: a cache file of an older
 * format is set aside whole and written again, and an edit of a file a migration links to is seen. POSIX only (touch
 * -r, symbolic links).
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
import { endianness, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openChecksumCache, writtenRecently } from './checksum-cache.js'
import { FORMAT, type Records, readRecords } from './checksum-cache-file.js'
import { readMigrationsDirectory } from './directory.js'
import { readMigrationHeadsYielding } from './read-heads.js'

const root = mkdtempSync(join(tmpdir(), 'keel-checksum-cache-heads-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const BUILD = 'b1'

/** A migrations directory of two folders, its files settled (old enough for the cache to record them). */
async function project(linkTarget = false) {
  const base = mkdtempSync(join(root, 'project-'))
  const migrations = join(base, 'migrations')
  const cacheFolder = join(base, 'cache')
  mkdirSync(cacheFolder)
  const a = join(migrations, '20260101000000_a')
  const b = join(migrations, '20260102000000_b')
  mkdirSync(a, { recursive: true })
  mkdirSync(b)
  writeFileSync(join(a, 'up.sql'), 'create table a (id int);\n')
  writeFileSync(join(a, 'down.sql'), 'drop table a;\n')
  // b's up.sql may be a link to a file outside the directory: its target's edits count, as without the cache.
  const target = join(base, 'shared.sql')
  writeFileSync(linkTarget ? target : join(b, 'up.sql'), 'create table b (id int);\n')
  if (linkTarget) symlinkSync(target, join(b, 'up.sql'))
  const paths = [migrations, a, b, join(a, 'up.sql'), join(a, 'down.sql'), join(b, 'up.sql')]
  while (paths.some((path) => writtenRecently(statSync(path), Date.now()))) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const checksums = async () =>
    (
      await readMigrationHeadsYielding(
        migrations,
        openChecksumCache(() => cacheFolder, migrations, BUILD),
      )
    ).migrations.map((m) => m.checksum)
  const fresh = () => readMigrationsDirectory(migrations).migrations.map((m) => m.checksum)
  const cacheFile = () => {
    const names = readdirSync(cacheFolder).filter((name) => name.startsWith('checksums-'))
    expect(names).toHaveLength(1)
    return join(cacheFolder, names[0] as string)
  }
  const records = () => readRecords(cacheFile(), `${FORMAT} ${endianness()}\n${BUILD}\t${migrations}\n`)
  return { migrations, a, target, checksums, fresh, cacheFile, records }
}

/**
 * A file as format 5 wrote it (removed with the stat snapshot): format 6's, with a fourth count, the snapshot digest's
 * length, and the digest after the numbers.
 */
function formatFive(records: Records, migrations: string, digest: Buffer): Buffer {
  const text = `${records.listing}\n${records.lines.map((line) => `${line}\n`).join('')}`
  const counts = [records.lines.length, Buffer.byteLength(text), records.numbers.length, digest.length]
  const prefix = `keel checksum cache 5 ${endianness()}\n${BUILD}\t${migrations}\n${counts.join('\t')}\n`
  const numbersStart = Math.ceil(Buffer.byteLength(prefix + text) / 8) * 8
  const numbersEnd = numbersStart + records.numbers.length * 8
  const bytes = Buffer.alloc(numbersEnd + digest.length, ' ')
  bytes.write(prefix + text, 0, 'utf8')
  Buffer.from(records.numbers.buffer, records.numbers.byteOffset, records.numbers.length * 8).copy(bytes, numbersStart)
  digest.copy(bytes, numbersEnd)
  return bytes
}

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

describe.skipIf(process.platform === 'win32')('the checksum cache read by readMigrationHeadsYielding', () => {
  // Each format-5 file records a wrong checksum for a folder whose stats are unchanged: read as this format's, it
  // would be taken. With a digest or without one (a run that recorded no snapshot), it is set aside whole.
  it.each([0, 32])('sets aside a format-5 file (a %i-byte snapshot digest) and writes its own', async (digestBytes) => {
    const p = await project()
    const checksums = p.fresh()
    expect(await p.checksums()).toEqual(checksums)
    const recorded = p.records()
    expect(recorded.lines).toHaveLength(2)
    const wrong = recorded.lines.map((line) => {
      const fields = line.split('\t')
      fields[2] = 'n1:written-by-format-5'
      return fields.join('\t')
    })
    writeFileSync(p.cacheFile(), formatFive({ ...recorded, lines: wrong }, p.migrations, Buffer.alloc(digestBytes, 7)))

    expect(await p.checksums()).toEqual(checksums)
    expect(readFileSync(p.cacheFile(), 'latin1').startsWith(`${FORMAT} `)).toBe(true)
    expect(p.records().lines).toEqual(recorded.lines)
    // The run after finds every folder in it, and so writes none (a write renames a new file over it).
    const written = statSync(p.cacheFile()).ino
    expect(await p.checksums()).toEqual(checksums)
    expect(statSync(p.cacheFile()).ino).toBe(written)
  })

  it('reads again a migration whose linked file was edited with its size and mtime kept', async () => {
    const p = await project(true)
    const before = p.fresh()
    expect(await p.checksums()).toEqual(before)
    expect(p.records().lines.map((line) => line.split('\t')[0])).toEqual(['20260101000000_a', '20260102000000_b'])
    expect(await p.checksums()).toEqual(before)

    rewriteKeepingMtime(p.target, 'create table b (id i64);\n')
    const edited = p.fresh()
    expect(edited).not.toEqual(before)
    expect(await p.checksums()).toEqual(edited)
  })
})
