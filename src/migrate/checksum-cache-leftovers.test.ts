/**
 * A process that dies between writing its checksum cache's temporary file and renaming it (killed, out of disk) leaves
 * `checksums-<hash>.<pid>.tmp` (or `checksums-<hash>.report-<form>.<pid>.tmp`) in the user's cache folder, and nothing removed them: the next save that prunes the
 * folder takes the ones whose process is gone or that are older than a minute, and leaves a live writer's alone.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, type Stats, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openChecksumCache } from './checksum-cache.js'

const folder = mkdtempSync(join(tmpdir(), 'keel-checksum-leftovers-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

const OLD = Date.now() - 3_600_000.5
const stat = (ino: number) => ({ size: 25, mtimeMs: OLD, ctimeMs: OLD, ino, dev: 1 }) as Stats
const READ = { checksum: 'n1:abc', directives: { noTransaction: false, lintIgnores: [] } }

/** The pid of a process that has exited (its number not reused yet: the system hands pids out in turn). */
function exitedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(child.stdout)
}

describe('the checksum cache folder', () => {
  it("drops the temporary files of processes that are gone or a minute old, not a live writer's", () => {
    const hash = 'checksums-0123456789abcdef'
    const dead = `${hash}.${exitedPid()}.tmp`
    // The report's file beside the records (checksum-cache-file.ts reportFile) is written the same way.
    const deadReport = `${hash}.report-json.${exitedPid()}.tmp`
    const stale = `${hash}.${process.ppid}.tmp`
    // This process is alive and the file just written: another directory's cache being written.
    const live = `checksums-fedcba9876543210.${process.pid}.tmp`
    const other = 'notes.1.tmp'
    for (const name of [dead, deadReport, stale, live, other]) writeFileSync(join(folder, name), 'half a cache')
    // The parent is alive: its file goes only for its age (a pid reused by another process).
    utimesSync(join(folder, stale), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000))
    const cache = openChecksumCache(() => folder, '/project/leftovers', 'b1')
    cache.record('20260101000000_a', stat(1), ['up.sql'], [stat(2)], READ)
    cache.save()
    const left = readdirSync(folder)
    expect(left).not.toContain(dead)
    expect(left).not.toContain(deadReport)
    expect(left).not.toContain(stale)
    expect(left).toContain(other)
    expect(left).toContain(live)
    expect(left.filter((name) => name.startsWith('checksums-') && !name.endsWith('.tmp'))).toHaveLength(1)
  })
})
