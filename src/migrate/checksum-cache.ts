import { createHash } from 'node:crypto'
import {
  lstatSync,
  readdirSync,
  readFileSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import type { Directives } from './directives.js'

/**
 * A cache of verified migration folders, as git's index caches its files' hashes: for each folder, what stat says of
 * it and of each of its files (size, mtime, ctime, inode, device), their names, and the checksum and directives read
 * from them then. While the folder and every file have the same stat, the folder is taken as read: `keel status` at
 * 1,000 migrations then stats 3,000 paths instead of listing 1,000 folders and reading, normalising and hashing
 * 2,000 files.
 *
 * It never makes Keel take an edited file as unchanged:
 * - a write changes the file's ctime (POSIX; no call sets it back), and a file replaced (an editor's save, a
 *   checkout) has another inode, so an edit that keeps size and mtime (`touch -d`) is still seen;
 * - a file written within the file system's timestamp granularity of being read could be written again without its
 *   times changing ("racy git"): a file whose mtime or ctime is not older than {@link racyMarginMs} before the
 *   reading started is not recorded, and is read again next time;
 * - the stat is taken before the file is read: a write between the two leaves a recorded stat older than the file,
 *   which the next run does not find again;
 * - a file added to, removed from or renamed in a folder changes the folder's mtime and ctime: a miss.
 *
 * What it can trust is the user's own: the file lives in their cache folder (bin/code-cache.js: theirs, writable
 * by them alone), and is used only when it is theirs and writable by them alone too. One file per migrations
 * directory (its path hashed), kept for this build of Keel: another version (or build) reads its folders again, since
 * what it validates and how it reads directives may differ.
 */
export interface ChecksumCache {
  /**
   * The checksum and directives recorded for `folder` if the folder (`folderStat`) and each of its files (statted by
   * `statFiles`, given their names) still have their stats.
   */
  find(
    folder: string,
    folderStat: Stats,
    statFiles: (names: readonly string[]) => readonly Stats[] | undefined,
  ): CachedFolder | undefined
  /** Records what was read of `folder`, whose files are `names`, with the stats taken before they were read. */
  record(folder: string, folderStat: Stats, names: readonly string[], stats: readonly Stats[], read: CachedFolder): void
  /** Writes the cache when it changed (silently: a cache that cannot be written is only a slower next run). */
  save(): void
}

export interface CachedFolder {
  readonly checksum: string
  readonly directives: Directives
}

const FORMAT = 'keel checksum cache 1'

/** No cache: every folder read whole (no cache folder, KEEL_CHECKSUM_CACHE=0). */
export const NO_CHECKSUM_CACHE: ChecksumCache = {
  find: () => undefined,
  record: () => {},
  save: () => {},
}

/**
 * The cache of `migrationsDir` in the folder `cacheFolderOf` gives (bin/code-cache.js's keelCacheFolder), for this build
 * of Keel (`build`: its version and build stamp). Empty when there is none yet, or when it is not this user's alone or
 * not for this build. The folder is asked for only when the cache is on: keelCacheFolder makes it when missing, and
 * KEEL_CHECKSUM_CACHE=0 must leave the user's cache directory alone.
 */
export function openChecksumCache(
  cacheFolderOf: () => string | undefined,
  migrationsDir: string,
  build: string,
): ChecksumCache {
  if (process.env.KEEL_CHECKSUM_CACHE === '0') return NO_CHECKSUM_CACHE
  const cacheFolder = cacheFolderOf()
  if (cacheFolder === undefined) return NO_CHECKSUM_CACHE
  const file = join(cacheFolder, `checksums-${createHash('sha256').update(migrationsDir).digest('hex').slice(0, 16)}`)
  const header = `${FORMAT}\n${build}\t${migrationsDir}\n`
  const recorded = readRecords(file, header)
  const kept = new Map<string, string>()
  // The clock when the reading starts, before any file is statted: what "recently written" is measured from.
  const startedAt = Date.now()
  let changed = false
  return {
    find(folder, folderStat, statFiles) {
      const line = recorded.get(folder)
      if (line === undefined) return undefined
      const fields = line.split('\t')
      if (fields.length !== 6 || fields[1] !== statsKey([folderStat])) return undefined
      const stats = statFiles((fields[2] as string).split('/'))
      if (stats === undefined || fields[3] !== statsKey(stats)) return undefined
      const [, , , , checksum = '', directives = ''] = fields
      try {
        const cached = {
          checksum,
          directives: directives === '' ? noDirectives() : (JSON.parse(directives) as Directives),
        }
        kept.set(folder, line)
        return cached
      } catch {
        return undefined
      }
    },
    record(folder, folderStat, names, stats, read) {
      changed = true
      if (writtenRecently(folderStat, startedAt) || stats.some((stat) => writtenRecently(stat, startedAt))) return
      const directives = isDefault(read.directives) ? '' : JSON.stringify(read.directives)
      kept.set(
        folder,
        [folder, statsKey([folderStat]), names.join('/'), statsKey(stats), read.checksum, directives].join('\t'),
      )
    },
    save() {
      // Folders gone from the directory are dropped with the rest of what was not found again.
      if (!changed && kept.size === recorded.size) return
      // Nothing to keep, and nothing kept before: a directory of new files makes no cache file until they settle.
      if (kept.size === 0 && recorded.size === 0) return
      writeRecords(cacheFolder, file, header, kept)
    },
  }
}

/**
 * Whether a file was written too recently for its stat to prove it unchanged later: its mtime or ctime is within
 * {@link racyMarginMs} of the time the reading started (or after it).
 */
export function writtenRecently(stat: Pick<Stats, 'mtimeMs' | 'ctimeMs'>, startedAt: number): boolean {
  return Math.max(stat.mtimeMs, stat.ctimeMs) >= startedAt - racyMarginMs(stat)
}

/**
 * How long after a write a second write may leave a file's times as they were. File systems with sub-second
 * times (ext4, XFS, btrfs, APFS, NTFS) stamp them from a clock that advances every few milliseconds at most;
 * FAT keeps mtime to two seconds, HFS+ to one, and their times are whole seconds. A time that falls on a whole
 * second by chance (1 in 1,000) only makes its file read again.
 */
export function racyMarginMs(stat: Pick<Stats, 'mtimeMs' | 'ctimeMs'>): number {
  return stat.mtimeMs % 1000 !== 0 && stat.ctimeMs % 1000 !== 0 ? 100 : 3000
}

/** What the cache compares of a folder's files: one field, each file's size, mtime, ctime, inode and device. */
function statsKey(stats: readonly Stats[]): string {
  let key = ''
  for (const s of stats) key += `${key === '' ? '' : ';'}${s.size},${s.mtimeMs},${s.ctimeMs},${s.ino},${s.dev}`
  return key
}

function noDirectives(): Directives {
  return { noTransaction: false, lintIgnores: [] }
}

function isDefault(directives: Directives): boolean {
  return Object.keys(directives).length === 2 && !directives.noTransaction && directives.lintIgnores.length === 0
}

/** The cache's lines by folder, if `file` is this user's alone and was written with `header`; else none. */
function readRecords(file: string, header: string): Map<string, string> {
  const records = new Map<string, string>()
  let text: string
  try {
    if (!ownedByUserAlone(lstatSync(file))) return records
    text = readFileSync(file, 'utf8')
  } catch {
    return records
  }
  if (!text.startsWith(header)) return records
  for (const line of text.slice(header.length).split('\n')) {
    const tab = line.indexOf('\t')
    if (tab > 0) records.set(line.slice(0, tab), line)
  }
  return records
}

/** Whether a file is a regular file of this user's that no one else can write (POSIX; on Windows, any file). */
function ownedByUserAlone(stat: Stats): boolean {
  if (!stat.isFile()) return false
  if (process.platform === 'win32') return true
  return stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0
}

/** At most this many directories' caches are kept; the least recently written go first. */
const MAX_CACHES = 100

/** Writes the cache whole or not at all (a temporary file renamed over it), then drops the oldest beyond MAX_CACHES. */
function writeRecords(folder: string, file: string, header: string, records: ReadonlyMap<string, string>): void {
  const temporary = `${file}.${process.pid}.tmp`
  try {
    let text = header
    for (const line of records.values()) text += `${line}\n`
    writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' })
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
      if (isAlive(Number(pid)) && Date.now() - statSync(path).mtimeMs < LEFTOVER_AGE_MS) continue
      unlinkSync(path)
    } catch {
      // gone already (its writer renamed it, or another run removed it)
    }
  }
}

/** Whether a process of that id runs (signal 0 checks without sending; EPERM: it runs, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
