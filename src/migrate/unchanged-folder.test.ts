import { execFileSync } from 'node:child_process'
import { constants, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { hasRecordedStat } from './unchanged-folder.js'

const folder = mkdtempSync(join(tmpdir(), 'keel-unchanged-folder-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** The numbers the checksum cache records of `path` (checksum-cache.ts record), as fs.statSync gives them. */
function recorded(path: string): Float64Array {
  const stat = statSync(path)
  return new Float64Array([stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, stat.dev])
}

describe('hasRecordedStat', () => {
  it('finds a file and a directory with the numbers fs.statSync gave, each of its own type only', () => {
    const dir = mkdtempSync(join(folder, 'same-'))
    const file = join(dir, 'up.sql')
    writeFileSync(file, 'create table a (id int);\n')
    // Twice each: the first path checked decides how every later one is statted.
    for (let i = 0; i < 2; i++) {
      expect(hasRecordedStat(dir, constants.S_IFDIR, recorded(dir), 0)).toBe(true)
      expect(hasRecordedStat(file, constants.S_IFREG, recorded(file), 0)).toBe(true)
      expect(hasRecordedStat(dir, constants.S_IFREG, recorded(dir), 0)).toBe(false)
      expect(hasRecordedStat(file, constants.S_IFDIR, recorded(file), 0)).toBe(false)
    }
    // At an offset in the numbers, as a folder's files follow the folder's.
    const both = new Float64Array([...recorded(dir), ...recorded(file)])
    expect(hasRecordedStat(file, constants.S_IFREG, both, 5)).toBe(true)
    expect(hasRecordedStat(file, constants.S_IFREG, both, 0)).toBe(false)
  })

  it('tells each of the five numbers apart', () => {
    const file = join(mkdtempSync(join(folder, 'numbers-')), 'up.sql')
    writeFileSync(file, 'create table a (id int);\n')
    for (let at = 0; at < 5; at++) {
      const numbers = recorded(file)
      numbers[at] = (numbers[at] as number) + 1
      expect(hasRecordedStat(file, constants.S_IFREG, numbers, 0)).toBe(false)
    }
  })

  it.skipIf(process.platform === 'win32')('sees a file rewritten in place with its size and mtime kept', () => {
    const dir = mkdtempSync(join(folder, 'in-place-'))
    const file = join(dir, 'up.sql')
    writeFileSync(file, 'create table a (id int);\n')
    const before = recorded(file)
    expect(hasRecordedStat(file, constants.S_IFREG, before, 0)).toBe(true)
    // touch -r keeps the nanoseconds, which utimes from JavaScript's milliseconds would not.
    const reference = join(dir, 'reference')
    writeFileSync(reference, '')
    execFileSync('touch', ['-r', file, reference])
    writeFileSync(file, 'create table a (id i64);\n')
    execFileSync('touch', ['-r', reference, file])
    const after = recorded(file)
    expect([after[0], after[1], after[3], after[4]]).toEqual([before[0], before[1], before[3], before[4]])
    expect(hasRecordedStat(file, constants.S_IFREG, before, 0)).toBe(false)
  })

  it('finds nothing at a path that cannot be statted', () => {
    const dir = mkdtempSync(join(folder, 'gone-'))
    const file = join(dir, 'up.sql')
    writeFileSync(file, 'create table a (id int);\n')
    const numbers = recorded(file)
    rmSync(file)
    expect(hasRecordedStat(file, constants.S_IFREG, numbers, 0)).toBe(false)
    // A file where a folder was (ENOTDIR, an error rather than "no such entry").
    writeFileSync(join(dir, 'plain'), '')
    expect(hasRecordedStat(join(dir, 'plain', 'up.sql'), constants.S_IFREG, numbers, 0)).toBe(false)
  })
})
