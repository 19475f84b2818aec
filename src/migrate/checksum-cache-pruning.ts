import { readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isProcessAlive } from '../process-alive.js'

/** At most this many directories' caches are kept; the least recently written go first. */
const MAX_CACHES = 100

/**
 * Writes a cache file (the records, or the report beside them: checksum-cache-file.ts) whole or not at all (a
 * temporary file renamed over it), then drops the oldest caches beyond MAX_CACHES. Whether it was written.
 */
export function writeCacheFile(folder: string, file: string, bytes: Buffer): boolean {
  const temporary = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(temporary, bytes, { mode: 0o600, flag: 'wx' })
    renameSync(temporary, file)
  } catch {
    try {
      unlinkSync(temporary)
    } catch {}
    return false
  }
  try {
    pruneCaches(folder)
  } catch {}
  return true
}

function pruneCaches(folder: string): void {
  const names = readdirSync(folder)
  pruneLeftovers(folder, names)
  const caches = names
    .filter((name) => /^checksums-[0-9a-f]{16}$/.test(name))
    .map((name) => ({ path: join(folder, name), written: statSync(join(folder, name)).mtimeMs }))
  if (caches.length <= MAX_CACHES) return
  caches.sort((a, b) => b.written - a.written)
  for (const old of caches.slice(MAX_CACHES)) {
    unlinkSync(old.path)
    // Its reports too, one per form (checksum-cache-file.ts reportFile).
    const reports = `${old.path.slice(folder.length + 1)}.report-`
    for (const name of names) {
      if (!name.startsWith(reports) || name.endsWith('.tmp')) continue
      try {
        unlinkSync(join(folder, name))
      } catch {}
    }
  }
}

/** A temporary file older than this is a leftover even if its pid is alive again (another process reusing it). */
const LEFTOVER_AGE_MS = 60_000

/**
 * Removes the temporary files that writers which died between writing and renaming left (`<cache>.<pid>.tmp`): those
 * of a process that is gone, and any older than a minute, a write taking milliseconds. A live writer's stays.
 */
function pruneLeftovers(folder: string, names: readonly string[]): void {
  for (const name of names) {
    const pid = /^checksums-[0-9a-f]{16}(?:\.report-[a-z]+)?\.(\d+)\.tmp$/.exec(name)?.[1]
    if (pid === undefined) continue
    const path = join(folder, name)
    try {
      if (isProcessAlive(Number(pid)) && Date.now() - statSync(path).mtimeMs < LEFTOVER_AGE_MS) continue
      unlinkSync(path)
    } catch {
      // gone already (its writer renamed it, or another run removed it)
    }
  }
}
