import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { KeelError } from '../../errors.js'
import { isProcessAlive } from '../../process-alive.js'

/** The file in a PGlite directory that says which process has the database open. */
export const PGLITE_LOCK_FILE = 'keel.lock'

/** Who holds a PGlite directory: the shape of a runner lock holder, so that messages read alike. */
export interface PgliteHolder {
  readonly pid: number
  readonly applicationName: string
  readonly since: Date | undefined
}

export interface PgliteLockOptions {
  /** Shown to processes that find the directory taken. */
  readonly applicationName: string
  /** How long to wait for another process to let go. 0: fail at once. */
  readonly waitMs: number
  /** Called while waiting (first at once, then about every 5 seconds). */
  readonly onWait?: (holder: PgliteHolder | undefined, waitedMs: number) => void
}

interface LockRecord {
  readonly pid: number
  readonly host: string
  readonly applicationName: string
  readonly since: string
}

/** Directories this process holds, with how many of its connections use each (re-entrant within a process). */
const held = new Map<string, { count: number; file: string }>()
let exitHookInstalled = false

/**
 * Takes a PGlite directory for this process. PGlite is PostgreSQL in one process: two processes on one
 * directory each run their own server over the same files, so both "apply" a migration and the files end
 * up corrupt. The lock is a file holding the owner's pid; one left by a process that died (same host, pid
 * gone) is taken over. Returns the release function.
 */
export async function lockPgliteDir(dir: string, options: PgliteLockOptions): Promise<() => void> {
  const key = realpathSync(dir)
  const mine = held.get(key)
  if (mine !== undefined) {
    mine.count++
    return releaser(key)
  }
  const file = join(key, PGLITE_LOCK_FILE)
  const started = Date.now()
  let lastReport = Number.NEGATIVE_INFINITY
  let takeovers = 0
  for (;;) {
    if (tryCreate(file, options.applicationName)) break
    const holder = readHolder(file)
    if (holder === 'stale') {
      // A dead owner's file that cannot be removed would otherwise be retried forever.
      if (++takeovers > 20) throw inUse(dir, file, undefined, Date.now() - started, options.waitMs)
      // Another process may be taking it over right now: give it a moment before looking again.
      if (takeovers > 1) await new Promise((resolve) => setTimeout(resolve, 10))
      continue
    }
    const waited = Date.now() - started
    if (waited >= options.waitMs) throw inUse(dir, file, holder, waited, options.waitMs)
    if (options.onWait !== undefined && Date.now() - lastReport >= 5000) {
      lastReport = Date.now()
      options.onWait(holder === undefined ? undefined : holderOf(holder), waited)
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, options.waitMs - waited)))
  }
  held.set(key, { count: 1, file })
  installExitHook()
  return releaser(key)
}

function tryCreate(file: string, applicationName: string): boolean {
  let fd: number
  try {
    fd = openSync(file, 'wx')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  const record: LockRecord = { pid: process.pid, host: hostname(), applicationName, since: new Date().toISOString() }
  try {
    writeSync(fd, `${JSON.stringify(record)}\n`)
  } finally {
    closeSync(fd)
  }
  return true
}

/**
 * The record in an existing lock file; 'stale' after removing one whose process is gone; undefined when
 * it cannot be read (being written just now, or not Keel's), which counts as held.
 */
function readHolder(file: string): LockRecord | 'stale' | undefined {
  let text: string
  let inode: number
  try {
    inode = statSync(file).ino
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'stale'
    throw error
  }
  const record = parseRecord(text)
  if (record === undefined || record.host !== hostname() || isProcessAlive(record.pid)) return record
  removeStale(file, inode, text)
  return 'stale'
}

/**
 * Removes a dead owner's lock file, atomically with respect to other processes doing the same. Reading it,
 * judging it dead and unlinking it are three steps; two processes interleaving them used to let the slower
 * one unlink the lock the faster one had just created (4 of 40 racing trials ended with two holders). Only
 * the process that creates the takeover directory (mkdir is atomic) may unlink, and only the very file
 * (inode and text) it judged dead; everyone else waits and looks again.
 */
function removeStale(file: string, inode: number, text: string): void {
  const mutex = `${file}.takeover`
  try {
    mkdirSync(mutex)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    // Held by a process that died inside this function (microseconds wide): free it after a while.
    try {
      if (Date.now() - statSync(mutex).mtimeMs > 10_000) rmdirSync(mutex)
    } catch {
      // Freed by another process meanwhile.
    }
    return
  }
  try {
    // Both: a new file may reuse the inode number of the one just unlinked (tmpfs does at once).
    if (statSync(file).ino === inode && readFileSync(file, 'utf8') === text) unlinkSync(file)
  } catch {
    // Gone already.
  } finally {
    rmdirSync(mutex)
  }
}

function parseRecord(text: string): LockRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockRecord>
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined
    return {
      pid: value.pid,
      host: value.host,
      applicationName: typeof value.applicationName === 'string' ? value.applicationName : '',
      since: typeof value.since === 'string' ? value.since : '',
    }
  } catch {
    return undefined
  }
}

function holderOf(record: LockRecord): PgliteHolder {
  const since = record.since === '' ? undefined : new Date(record.since)
  return {
    pid: record.pid,
    applicationName: record.applicationName,
    since: since === undefined || Number.isNaN(since.getTime()) ? undefined : since,
  }
}

function inUse(dir: string, file: string, holder: LockRecord | undefined, waited: number, waitMs: number): KeelError {
  const who =
    holder === undefined
      ? 'another process'
      : `${holder.applicationName === '' ? 'a process' : `"${holder.applicationName}"`} (pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}) since ${holder.since}`
  const after = waitMs > 0 ? `gave up after ${(waited / 1000).toFixed(1)}s: ` : ''
  return new KeelError(
    'LOCK_TIMEOUT',
    `${after}the embedded database ${dir} is in use by ${who}`,
    `PGlite serves one process at a time: wait for it to finish and run the command again. If no such process runs, delete ${file}.`,
  )
}

function releaser(key: string): () => void {
  let released = false
  return () => {
    if (released) return
    released = true
    const entry = held.get(key)
    if (entry === undefined) return
    entry.count--
    if (entry.count > 0) return
    held.delete(key)
    removeIfMine(entry.file)
  }
}

function removeIfMine(file: string): void {
  try {
    if (parseRecord(readFileSync(file, 'utf8'))?.pid === process.pid) unlinkSync(file)
  } catch {
    // Already gone.
  }
}

/** A process that ends without closing its connections (an uncaught error, process.exit) still lets go. */
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const entry of held.values()) removeIfMine(entry.file)
    held.clear()
  })
}
