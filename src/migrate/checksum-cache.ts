import { createHash, randomUUID } from 'node:crypto'
import type { Stats } from 'node:fs'
import { endianness } from 'node:os'
import { join } from 'node:path'
import {
  encodeRecords,
  encodeReport,
  FORMAT,
  isReportForm,
  type Kept,
  type KeptListing,
  type RecordedReport,
  readRecords,
  readReport,
  reportFile,
  STAT_NUMBERS,
} from './checksum-cache-file.js'
import { ListingWalk } from './checksum-cache-listing.js'
import { writeCacheFile } from './checksum-cache-pruning.js'
import type { Directives } from './directives.js'
import type { ListedEntry, ListingCache } from './directory.js'
import { unchangedFolder } from './unchanged-folder.js'

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
export interface ChecksumCache extends ListingCache {
  /**
   * The checksum and directives recorded for `folder` (at the path `dir`) if the folder and each of its recorded files
   * still have their recorded stats. It stats them itself: at 10,000 migrations those 30,000 stats are most of what
   * `keel status` does, and they are compared as numbers, without a string made of each.
   */
  find(folder: string, dir: string): CachedFolder | undefined
  /** Records what was read of `folder`, whose files are `names`, with the stats taken before they were read. */
  record(folder: string, folderStat: Stats, names: readonly string[], stats: readonly Stats[], read: CachedFolder): void
  /**
   * Whether the directory, which has the stat `dirStat`, still has its recorded listing: checkRecorded then matches
   * each folder it checks to the listing's next folder.
   */
  recordedListing(dirStat: Stats): boolean
  /** How many folders the file records. */
  readonly recordedFolders: number
  /**
   * Checks the recorded folders from the `from`th on (each folder's stat and its files', as find does), in the
   * directory whose normalised path ending in a separator is `prefix`, until one differs or `count` were checked:
   * how many were unchanged. Checked from the first on, those are then found by find without their stats again.
   */
  checkRecorded(prefix: string, from: number, count: number): number
  /**
   * When every recorded folder was checked unchanged against the recorded listing, whether keel.sum is in it;
   * undefined otherwise, or when the listing holds anything else (a loose file, a folder without a line).
   */
  recordedSum(): boolean | undefined
  /**
   * Whether the reading after checkRecorded checked every recorded folder found the directory as checked: its listing
   * by the recorded stat, and each recorded folder and nothing else (none statted again). Its folders are then the ones
   * checked, whatever happened to the directory between.
   */
  foundAsChecked(): boolean
  /** The report in the form `form` that `keel status` recorded with these folders (status-snapshot.ts), if any. */
  reportIn(form: string): RecordedReport | undefined
  /**
   * Records the report made from the folders this run found or read, kept when the file records each of them (a
   * folder too recently written to record leaves the file without a report).
   */
  recordReport(report: RecordedReport): void
  /** Writes the cache when it changed (silently: a cache that cannot be written is only a slower next run). */
  save(): void
}

export interface CachedFolder {
  readonly checksum: string
  readonly directives: Directives
}

/** No cache: every folder read whole (no cache folder, KEEL_CHECKSUM_CACHE=0). */
export const NO_CHECKSUM_CACHE: ChecksumCache = {
  findListing: () => undefined,
  recordListing: () => {},
  find: () => undefined,
  record: () => {},
  recordedListing: () => false,
  recordedSum: () => undefined,
  foundAsChecked: () => false,
  recordedFolders: 0,
  checkRecorded: () => 0,
  reportIn: () => undefined,
  recordReport: () => {},
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
  const header = `${FORMAT} ${endianness()}\n${build}\t${migrationsDir}\n`
  const recorded = readRecords(file, header)
  const kept = new Map<string, Kept>()
  // The clock when the reading starts, before any file is statted: what "recently written" is measured from.
  const startedAt = Date.now()
  let changed = false
  let keptListing: KeptListing | undefined
  // Whether the reading found the directory's listing by its recorded stat (findListing).
  let listingFound = false
  // Folders asked for: a report is kept only when each of them is (found or recorded).
  let asked = 0
  let report: RecordedReport | undefined
  // The recorded folders checked unchanged by checkRecorded, from the first on.
  let checked = 0
  let walk: ListingWalk | undefined
  // The lines are in the directory's order as it was, and status asks in its order as it is: each folder is
  // usually the line after the one before, and a map of every folder is made only when one is not.
  let next = 0
  let byFolder: Map<string, number> | undefined
  const lineOf = (folder: string): number | undefined => {
    const line = recorded.lines[next]
    let index: number | undefined = next
    if (line === undefined || !isLineOf(line, folder)) {
      byFolder ??= new Map(recorded.lines.map((l, i) => [l.slice(0, l.indexOf('\t')), i]))
      index = byFolder.get(folder)
    }
    if (index !== undefined) next = index + 1
    return index
  }
  /** Whether the folder of the `index`th line, at the path `dir`, and its files have their recorded stats. */
  const unchangedAt = (index: number, dir: string): boolean =>
    unchangedFolder(
      dir,
      recorded.lines[index] as string,
      recorded.fieldsAt[index * 3] as number,
      (recorded.fieldsAt[index * 3 + 1] as number) - 1,
      recorded.numbers,
      recorded.numbersAt[index] as number,
    )
  return {
    find(folder, dir) {
      asked++
      const index = lineOf(folder)
      if (index === undefined) return undefined
      const line = recorded.lines[index] as string
      if (index >= checked && !unchangedAt(index, dir)) return undefined
      const checksumAt = recorded.fieldsAt[index * 3 + 1] as number
      const directivesAt = recorded.fieldsAt[index * 3 + 2] as number
      const directives = line.slice(directivesAt)
      let cached: CachedFolder
      try {
        cached = {
          checksum: line.slice(checksumAt, directivesAt - 1),
          directives: directives === '' ? NO_DIRECTIVES : (JSON.parse(directives) as Directives),
        }
      } catch {
        return undefined
      }
      kept.set(folder, index)
      return cached
    },
    findListing(dirStat) {
      if (recorded.listing === '' || !sameStat(dirStat, recorded.numbers, 0)) return undefined
      keptListing = { line: recorded.listing, numbers: recorded.numbers.subarray(0, STAT_NUMBERS) }
      listingFound = true
      return listedEntries(recorded.listing)
    },
    recordListing(dirStat, entries) {
      changed = true
      keptListing = writtenRecently(dirStat, startedAt) ? undefined : listingToKeep(dirStat, entries)
    },
    record(folder, folderStat, names, stats, read) {
      changed = true
      if (writtenRecently(folderStat, startedAt) || stats.some((stat) => writtenRecently(stat, startedAt))) return
      const directives = isDefault(read.directives) ? '' : JSON.stringify(read.directives)
      const numbers: number[] = []
      for (const stat of [folderStat, ...stats]) numbers.push(stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, stat.dev)
      kept.set(folder, { line: [folder, names.join('/'), read.checksum, directives].join('\t'), numbers })
    },
    recordedListing(dirStat) {
      if (recorded.listing === '' || !sameStat(dirStat, recorded.numbers, 0)) return false
      walk = new ListingWalk(recorded.listing)
      return true
    },
    recordedFolders: recorded.lines.length,
    checkRecorded(prefix, from, count) {
      const end = Math.min(from + count, recorded.lines.length)
      let at = from
      // Checked against the listing in the order of the lines: only from where the last check ended.
      if (walk === undefined || from !== checked) return 0
      for (; at < end; at++) {
        const folder = (recorded.lines[at] as string).slice(0, (recorded.fieldsAt[at * 3] as number) - 1)
        if (!walk.nextIs(folder) || !unchangedAt(at, `${prefix}${folder}`)) break
      }
      checked = at
      return at - from
    },
    recordedSum: () => (walk !== undefined && checked === recorded.lines.length && walk.atEnd() ? walk.sum : undefined),
    foundAsChecked: () =>
      listingFound &&
      !changed &&
      checked === recorded.lines.length &&
      asked === recorded.lines.length &&
      kept.size === asked,
    reportIn(form) {
      if (recorded.token === '' || !isReportForm(form)) return undefined
      const report = readReport(reportFile(file, form), `${header}${recorded.token}\n`)
      return report?.form === form ? report : undefined
    },
    recordReport(made) {
      // A form that cannot name a file is not recorded.
      report = isReportForm(made.form) ? made : undefined
    },
    save() {
      // The report only beside every folder it was made from, and the listing they were found by.
      const whole = keptListing !== undefined && kept.size === asked
      const writeReport = (token: string) =>
        writeCacheFile(
          cacheFolder,
          reportFile(file, (report as RecordedReport).form),
          encodeReport(header, token, report as RecordedReport),
        )
      // Every folder checked unchanged (checkRecorded) and none read, or every one found again and none recorded (a
      // folder gone from the directory is dropped with the rest of what was not found again): the records are as they
      // should be, and a report made now is written beside them alone.
      const same =
        !changed &&
        ((asked === 0 && checked === recorded.lines.length) ||
          (kept.size === recorded.lines.length && (keptListing !== undefined) === (recorded.listing !== '')))
      if (same) {
        if (report !== undefined && whole && recorded.token !== '') writeReport(recorded.token)
        return
      }
      // Nothing to keep, and nothing kept before: a directory of new files makes no cache file until they settle.
      if (kept.size === 0 && recorded.lines.length === 0) return
      // A token of their own: the report recorded beside the records before is set aside with them.
      const token = randomUUID()
      const written = writeCacheFile(cacheFolder, file, encodeRecords(header, token, keptListing, kept, recorded))
      if (written && report !== undefined && whole) writeReport(token)
    },
  }
}

/** Whether `stat` has the size, times, inode and device recorded at `numbers[at]`. */
function sameStat(stat: Stats, numbers: Float64Array, at: number): boolean {
  return (
    stat.size === numbers[at] &&
    stat.mtimeMs === numbers[at + 1] &&
    stat.ctimeMs === numbers[at + 2] &&
    stat.ino === numbers[at + 3] &&
    stat.dev === numbers[at + 4]
  )
}

/** The listing to record; none when a name cannot be kept in the line (a newline or a tab in it). */
function listingToKeep(dirStat: Stats, entries: readonly ListedEntry[]): KeptListing | undefined {
  let line = ''
  for (const entry of entries) {
    if (entry.name.includes('\n') || entry.name.includes('\t')) return undefined
    const kind = entry.isDirectory() ? 'd' : entry.isFile() ? 'f' : 'o'
    line += `${line === '' ? '' : '/'}${kind}${entry.name}`
  }
  // An empty directory records nothing: an empty line is "no listing".
  if (line === '') return undefined
  return { line, numbers: [dirStat.size, dirStat.mtimeMs, dirStat.ctimeMs, dirStat.ino, dirStat.dev] }
}

/** A recorded entry: its name and what it was (d: a directory, f: a file, o: anything else). */
class RecordedEntry implements ListedEntry {
  constructor(
    readonly name: string,
    private readonly kind: string,
  ) {}
  isFile(): boolean {
    return this.kind === 'f'
  }
  isDirectory(): boolean {
    return this.kind === 'd'
  }
}

function listedEntries(line: string): ListedEntry[] {
  const entries: ListedEntry[] = []
  for (let start = 0; start < line.length; ) {
    let end = line.indexOf('/', start)
    if (end === -1) end = line.length
    entries.push(new RecordedEntry(line.slice(start + 1, end), line[start] as string))
    start = end + 1
  }
  return entries
}

/** Whether `line` is the cache line of `folder` (it starts with the name and a tab). */
function isLineOf(line: string, folder: string): boolean {
  return line.length > folder.length && line.charCodeAt(folder.length) === 9 && line.startsWith(folder)
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

/**
 * The directives of a migration without any, shared by every folder found with none (nearly all of them: at 10,000
 * migrations, 20,000 objects fewer to make and collect). Directives are read-only data.
 */
const NO_DIRECTIVES: Directives = Object.freeze({ noTransaction: false, lintIgnores: Object.freeze([]) })

function isDefault(directives: Directives): boolean {
  return Object.keys(directives).length === 2 && !directives.noTransaction && directives.lintIgnores.length === 0
}
