import { readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isProcessAlive } from '../process-alive.js'

/** At most this many directories' caches are kept; the least recently written go first. */
const MAX_CACHES = 100

/** Writes the cache whole or not at all (a temporary file renamed over it), then drops the oldest beyond MAX_CACHES. */
export function writeRecords(folder: string, file: string, bytes: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(temporary, bytes, { mode: 0o600, flag: 'wx' })
    renameSync(temporary, file)
    pruneCaches(folder)
  } catch {
    try {
      unlinkSync(temporary)
    } catch {}
  }
}

function pruneCaches(folder: string): void {
  const names = readdirSync(folder)
  pruneLeftovers(folder, names)
  const caches = names
    .filter((name) => /^checksums-[0-9a-f]{16}$/.test(name))
    .map((name) => ({ path: join(folder, name), written: statSync(join(folder, name)).mtimeMs }))
  if (caches.length <= MAX_CACHES) return
  caches.sort((a, b) => b.written - a.written)
  for (const old of caches.slice(MAX_CACHES)) unlinkSync(old.path)
}

/** A temporary file older than this is a leftover even if its pid is alive again (another process reusing it). */
const LEFTOVER_AGE_MS = 60_000

/**
 * Removes the temporary files that writers which died between writing and renaming left (`<cache>.<pid>.tmp`): those
 * of a process that is gone, and any older than a minute, a write taking milliseconds. A live writer's stays.
 */
function pruneLeftovers(folder: string, names: readonly string[]): void {
  for (const name of names) {
    const pid = /^checksums-[0-9a-f]{16}\.(\d+)\.tmp$/.exec(name)?.[1]
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
