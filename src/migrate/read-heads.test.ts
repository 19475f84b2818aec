import { execFileSync } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openChecksumCache, writtenRecently } from './checksum-cache.js'
import { readMigrationsDirectory } from './directory.js'
import { readMigrationHeadsYielding, recordedDirectory, statNumbers } from './read-heads.js'

const root = mkdtempSync(join(tmpdir(), 'keel-read-heads-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function addFolder(migrations: string, name: string): void {
  mkdirSync(join(migrations, name), { recursive: true })
  writeFileSync(join(migrations, name, 'up.sql'), `create table ${name.slice(15)} (id int);\n`)
  writeFileSync(join(migrations, name, 'down.sql'), `drop table ${name.slice(15)};\n`)
}

/** The checksum cache's records file in `cacheFolder` (its report files beside it are `<file>.report-<form>`). */
function recordsFile(cacheFolder: string): string {
  const files = readdirSync(cacheFolder).filter((name) => /^checksums-[0-9a-f]{16}$/.test(name))
  expect(files).toHaveLength(1)
  return join(cacheFolder, files[0] as string)
}

/** Waits until nothing under `dir` counts as recently written, so that the cache records it. */
async function settled(dir: string): Promise<void> {
  const paths = [dir, ...readdirSync(dir, { recursive: true }).map((p) => join(dir, String(p)))]
  while (paths.some((path) => writtenRecently(statSync(path), Date.now()))) {
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('readMigrationHeadsYielding with a warm cache', () => {
  it('reads the directory as readMigrationsDirectory does, and sees a folder added or removed', async () => {
    const migrations = join(root, 'project', 'migrations')
    const cacheFolder = mkdtempSync(join(root, 'cache-'))
    addFolder(migrations, '20260101000000_a')
    addFolder(migrations, '20260102000000_b')
    writeFileSync(join(migrations, 'keel.sum'), 'total n1:x\n')
    await settled(migrations)
    const heads = async () => {
      const directory = await readMigrationHeadsYielding(
        migrations,
        openChecksumCache(() => cacheFolder, migrations, 'b1'),
      )
      return { ids: directory.migrations.map((m) => `${m.id} ${m.checksum}`), sumText: directory.sumText }
    }
    const whole = () => {
      const directory = readMigrationsDirectory(migrations)
      return { ids: directory.migrations.map((m) => `${m.id} ${m.checksum}`), sumText: directory.sumText }
    }
    expect(await heads()).toEqual(whole())
    // Cached now (folders and listing): the same.
    const listed = () =>
      openChecksumCache(() => cacheFolder, migrations, 'b1')
        .findListing(statSync(migrations))
        ?.map((e) => `${e.isDirectory() ? 'd' : e.isFile() ? 'f' : 'o'} ${e.name}`)
    expect(listed()).toEqual(['d 20260101000000_a', 'd 20260102000000_b', 'f keel.sum'])
    expect(await heads()).toEqual(whole())

    addFolder(migrations, '20260103000000_c')
    expect(listed()).toBeUndefined()
    expect(await heads()).toEqual(whole())
    expect((await heads()).ids).toHaveLength(3)
    await settled(migrations)
    expect(await heads()).toEqual(whole())

    rmSync(join(migrations, '20260101000000_a'), { recursive: true })
    expect((await heads()).ids.map((line) => line.split(' ')[0])).toEqual(['20260102000000_b', '20260103000000_c'])

    // A loose file is refused as it is without the cache.
    writeFileSync(join(migrations, 'notes.txt'), 'why\n')
    await expect(heads()).rejects.toThrow('not a migration folder')
  })
})

describe('a report recorded beside the cache', () => {
  const REPORT = {
    journal: 'j1',
    sum: 's1',
    form: 'plain',
    code: 0,
    text: "  a line: it's é 😀\n2 migrations: 2 applied.",
  }

  it('is kept with every folder it was made from, and the directory is then found as recorded until it changes', async () => {
    const migrations = join(root, 'reported', 'migrations')
    const cacheFolder = mkdtempSync(join(root, 'cache-'))
    addFolder(migrations, '20260101000000_a')
    addFolder(migrations, '20260102000000_b')
    writeFileSync(join(migrations, 'keel.sum'), 'total n1:x\n')
    const open = () => openChecksumCache(() => cacheFolder, migrations, 'b1')
    const readAndRecord = async () => {
      const cache = open()
      await readMigrationHeadsYielding(migrations, cache, { save: false })
      cache.recordReport(REPORT)
      cache.save()
    }
    await settled(migrations)
    await readAndRecord()
    expect(open().reportIn('plain')).toEqual(REPORT)
    expect(await recordedDirectory(migrations, open())).toEqual({ sumText: 'total n1:x\n' })
    // Found as recorded: the run writes nothing, and the report stays.
    const found = open()
    expect(await recordedDirectory(migrations, found)).toBeDefined()
    found.save()
    expect(open().reportIn('plain')).toEqual(REPORT)

    // A file edited (its size): not as recorded, and a reading finds the other folder without its stats again.
    writeFileSync(join(migrations, '20260102000000_b', 'up.sql'), 'create table b (id bigint);\n')
    expect(await recordedDirectory(migrations, open())).toBeUndefined()
    await settled(migrations)
    await readAndRecord()
    expect(await recordedDirectory(migrations, open())).toBeDefined()
    // A folder added, then a loose file: not as recorded.
    addFolder(migrations, '20260103000000_c')
    expect(await recordedDirectory(migrations, open())).toBeUndefined()
    rmSync(join(migrations, '20260103000000_c'), { recursive: true })
    await settled(migrations)
    await readAndRecord()
    writeFileSync(join(migrations, 'notes.txt'), 'why\n')
    expect(await recordedDirectory(migrations, open())).toBeUndefined()
    rmSync(join(migrations, 'notes.txt'))
    await settled(migrations)
    await readAndRecord()
    expect(await recordedDirectory(migrations, open())).toBeDefined()
    // Another build's file, or a damaged one, records nothing.
    expect(openChecksumCache(() => cacheFolder, migrations, 'b2').reportIn('plain')).toBeUndefined()
    const file = recordsFile(cacheFolder)
    truncateSync(file, statSync(file).size - 1)
    expect(open().reportIn('plain')).toBeUndefined()
    expect(await recordedDirectory(migrations, open())).toBeUndefined()
  })

  it('is written alone when the records have not changed, and read only beside the records it was made with', async () => {
    const migrations = join(root, 'apart', 'migrations')
    const cacheFolder = mkdtempSync(join(root, 'cache-'))
    addFolder(migrations, '20260101000000_a')
    addFolder(migrations, '20260102000000_b')
    await settled(migrations)
    const open = () => openChecksumCache(() => cacheFolder, migrations, 'b1')
    const readAndRecord = async (report?: typeof REPORT) => {
      const cache = open()
      await readMigrationHeadsYielding(migrations, cache, { save: false })
      if (report !== undefined) cache.recordReport(report)
      cache.save()
    }
    await readAndRecord(REPORT)
    const file = recordsFile(cacheFolder)
    const records = readFileSync(file)
    const { ino } = statSync(file)
    // Another report (as after the journal changed) over the same folders: the records file is left as it was.
    const next = { ...REPORT, journal: 'j2', text: 'another report' }
    await readAndRecord(next)
    expect(open().reportIn('plain')).toEqual(next)
    expect(statSync(file).ino).toBe(ino)
    expect(readFileSync(file).equals(records)).toBe(true)

    // The records written again without a report (a folder too recently written to record): the report file left
    // beside them was made with the records before, and is not read with these.
    const report = readFileSync(`${file}.report-plain`)
    writeFileSync(join(migrations, '20260102000000_b', 'up.sql'), 'create table b (id bigint);\n')
    await readAndRecord()
    expect(readFileSync(`${file}.report-plain`).equals(report)).toBe(true)
    expect(open().reportIn('plain')).toBeUndefined()
    // Nor is it when put back beside records written again since.
    await settled(migrations)
    await readAndRecord(REPORT)
    expect(open().reportIn('plain')).toEqual(REPORT)
    writeFileSync(join(migrations, '20260101000000_a', 'up.sql'), 'create table a (id bigint);\n')
    await settled(migrations)
    await readAndRecord()
    writeFileSync(`${file}.report-plain`, report, { mode: 0o600 })
    expect(open().reportIn('plain')).toBeUndefined()
  })

  it('keeps a report per form beside the same records, each set aside with them', async () => {
    const migrations = join(root, 'forms', 'migrations')
    const cacheFolder = mkdtempSync(join(root, 'cache-'))
    addFolder(migrations, '20260101000000_a')
    await settled(migrations)
    const open = () => openChecksumCache(() => cacheFolder, migrations, 'b1')
    const readAndRecord = async (report: typeof REPORT) => {
      const cache = open()
      await readMigrationHeadsYielding(migrations, cache, { save: false })
      cache.recordReport(report)
      cache.save()
    }
    const json = { ...REPORT, form: 'json', text: '{}' }
    await readAndRecord(REPORT)
    await readAndRecord(json)
    expect(open().reportIn('plain')).toEqual(REPORT)
    expect(open().reportIn('json')).toEqual(json)
    expect(open().reportIn('colour')).toBeUndefined()
    // A form that cannot name a file is not recorded, and the others stay.
    await readAndRecord({ ...REPORT, form: '../x' })
    expect(open().reportIn('../x')).toBeUndefined()
    expect(
      readdirSync(cacheFolder)
        .filter((name) => name.includes('.report'))
        .sort(),
    ).toEqual([
      `${recordsFile(cacheFolder).slice(cacheFolder.length + 1)}.report-json`,
      `${recordsFile(cacheFolder).slice(cacheFolder.length + 1)}.report-plain`,
    ])
    // The records written again: neither report is read beside them.
    writeFileSync(join(migrations, '20260101000000_a', 'up.sql'), 'create table a (id bigint);\n')
    await settled(migrations)
    const cache = open()
    await readMigrationHeadsYielding(migrations, cache)
    expect(open().reportIn('plain')).toBeUndefined()
    expect(open().reportIn('json')).toBeUndefined()
  })

  it("keeps keel.sum's verdict with it, and says whether a reading after the check found the folders checked", async () => {
    const migrations = join(root, 'verdict', 'migrations')
    const cacheFolder = mkdtempSync(join(root, 'cache-'))
    addFolder(migrations, '20260101000000_a')
    addFolder(migrations, '20260102000000_b')
    await settled(migrations)
    const open = () => openChecksumCache(() => cacheFolder, migrations, 'b1')
    // Messages with a tab, a newline and characters past ASCII, which the report's first line must carry whole.
    const sumProblems = ['keel.sum:2: not a keel.sum line: a\tb', 'é 😀\nnext', '']
    const first = open()
    expect(first.foundAsChecked(), 'nothing checked').toBe(false)
    await readMigrationHeadsYielding(migrations, first, { save: false })
    first.recordReport({ ...REPORT, sumProblems })
    first.save()
    expect(open().reportIn('plain')).toEqual({ ...REPORT, sumProblems })

    // Checked as recorded, then read: found as checked.
    const checkedThenRead = async () => {
      const cache = open()
      expect(await recordedDirectory(migrations, cache)).toBeDefined()
      await readMigrationHeadsYielding(migrations, cache, { save: false })
      return cache.foundAsChecked()
    }
    expect(await checkedThenRead()).toBe(true)
    // Read without a check (its folders statted again): not.
    const unchecked = open()
    await readMigrationHeadsYielding(migrations, unchecked, { save: false })
    expect(unchecked.foundAsChecked()).toBe(false)
    // A folder added between the check and the reading: the reading lists the directory again, not as checked.
    const cache = open()
    expect(await recordedDirectory(migrations, cache)).toBeDefined()
    addFolder(migrations, '20260103000000_c')
    await readMigrationHeadsYielding(migrations, cache, { save: false })
    expect(cache.foundAsChecked()).toBe(false)
  })

  it('finds keel.sum unchanged by the stat recorded with it, and reads it when that stat is not its own', async () => {
    const migrations = join(root, 'sum-stat', 'migrations')
    const cacheFolder = mkdtempSync(join(root, 'cache-'))
    addFolder(migrations, '20260101000000_a')
    const sum = join(migrations, 'keel.sum')
    writeFileSync(sum, 'total n1:x\n')
    await settled(migrations)
    const open = () => openChecksumCache(() => cacheFolder, migrations, 'b1')
    const cache = open()
    await readMigrationHeadsYielding(migrations, cache, { save: false })
    const sumStat = statNumbers(statSync(sum))
    cache.recordReport({ ...REPORT, sumStat })
    cache.save()
    expect(open().reportIn('plain')).toEqual({ ...REPORT, sumStat })
    expect(await recordedDirectory(migrations, open(), open().reportIn('plain')?.sumStat)).toEqual({
      sumUnchanged: true,
    })
    // Without a recorded stat it is read.
    expect(await recordedDirectory(migrations, open())).toEqual({ sumText: 'total n1:x\n' })

    // Rewritten in place with its size and mtime put back: its ctime tells, and it is read.
    const reference = join(root, 'sum-stat', 'mtime-reference')
    writeFileSync(reference, '')
    execFileSync('touch', ['-r', sum, reference])
    writeFileSync(sum, 'total n1:y\n')
    execFileSync('touch', ['-r', reference, sum])
    expect(statSync(sum).mtimeMs).toBe(sumStat[1])
    expect(await recordedDirectory(migrations, open(), sumStat)).toEqual({ sumText: 'total n1:y\n' })
    // Replaced by another file (an editor's save) with the recorded size and mtime: the directory's own stat tells
    // first (the directory is then not as recorded), and keel.sum's inode.
    writeFileSync(`${sum}.new`, 'total n1:x\n')
    utimesSync(`${sum}.new`, new Date(sumStat[1] as number), new Date(sumStat[1] as number))
    execFileSync('mv', [`${sum}.new`, sum])
    expect(statSync(sum).ino).not.toBe(sumStat[3])
    expect(await recordedDirectory(migrations, open(), sumStat)).toBeUndefined()
  })
})
