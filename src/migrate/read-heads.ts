import { readdirSync, readFileSync, type Stats } from 'node:fs'
import { join, sep } from 'node:path'
import { type ChecksumCache, NO_CHECKSUM_CACHE } from './checksum-cache.js'
import {
  type MigrationHead,
  type MigrationsDirectory,
  readFoldersYielding,
  readMigration,
  readMigrationsDirectoryYielding,
  SUM_FILE,
} from './directory.js'
import { statOrUndefined } from './unchanged-folder.js'

/**
 * The migrations directory as `keel status` needs it: each folder's head (identity, directives, checksum), from the
 * checksum cache when neither the folder nor any of its files changed since a run read it (checksum-cache.ts), else
 * read whole as readMigrationsDirectory reads it, with the same errors. Gives the event loop a turn as
 * readMigrationsDirectoryYielding does. The cache is written at the end when it changed, unless `save` is false (the
 * caller then saves it, when it has recorded its report: status-snapshot.ts).
 */
export async function readMigrationHeadsYielding(
  dir: string,
  cache: ChecksumCache,
  { save = true }: { readonly save?: boolean } = {},
): Promise<MigrationsDirectory<MigrationHead>> {
  // Without a cache (none to be had, or KEEL_CHECKSUM_CACHE=0), the stats would only add to reading every folder.
  if (cache === NO_CHECKSUM_CACHE) return readMigrationsDirectoryYielding(dir)
  // The directory's listing too comes from the cache while the directory's own stat is unchanged.
  const directory = await readFoldersYielding(dir, { listing: cache }, (prefix, folder) =>
    readHead(prefix, folder, cache),
  )
  if (save) cache.save()
  return directory
}

/** Folders checked between two turns of the event loop, as readFoldersYielding reads them. */
const FOLDERS_PER_TURN = 50

/**
 * keel.sum as {@link recordedDirectory} found it: its text (undefined when there is none), or `sumUnchanged` when it
 * still had the stat it was recorded with, and was not read.
 */
export type RecordedSum = { readonly sumText: string | undefined } | { readonly sumUnchanged: true }

/**
 * Whether the directory `dir` is the one the checksum cache recorded: its listing, and every recorded folder and its
 * files unchanged (the cache's stats), checked without making a head or an entry for any; then keel.sum: unchanged
 * when it has the stat numbers `sumStat` (recorded with the report: status-snapshot.ts), else its text (undefined when
 * there is none). What a reading of it would give is then what the cache records, and a report made from them is the
 * report recorded with them. Gives the event loop a turn as readMigrationHeadsYielding does. The folders checked
 * unchanged are not statted again by a reading after it.
 */
export async function recordedDirectory(
  dir: string,
  cache: ChecksumCache,
  sumStat?: readonly number[],
): Promise<RecordedSum | undefined> {
  const dirStat = statOrUndefined(dir)
  if (dirStat?.isDirectory() !== true || !cache.recordedListing(dirStat)) return undefined
  const prefix = join(dir, '_').slice(0, -1)
  for (let from = 0; from < cache.recordedFolders; from += FOLDERS_PER_TURN) {
    if (
      cache.checkRecorded(prefix, from, FOLDERS_PER_TURN) < Math.min(FOLDERS_PER_TURN, cache.recordedFolders - from)
    ) {
      return undefined
    }
    await new Promise((resolve) => setImmediate(resolve))
  }
  const sum = cache.recordedSum()
  if (sum === undefined) return undefined
  if (!sum) return { sumText: undefined }
  const path = join(dir, SUM_FILE)
  // Its stat as a folder's file is checked (checksum-cache.ts): a write changes its ctime, a replacement its inode.
  // At 10,000 migrations keel.sum is 890 kB, which reading and hashing took longer than all else but the stats.
  if (sumStat !== undefined) {
    const stat = statOrUndefined(path)
    if (stat?.isFile() === true && sameStat(stat, sumStat)) return { sumUnchanged: true }
  }
  try {
    return { sumText: readFileSync(path, 'utf8') }
  } catch {
    return undefined
  }
}

/** The numbers of `stat` that the checksum cache compares (checksum-cache-file.ts STAT_NUMBERS), in its order. */
export function statNumbers(stat: Stats): number[] {
  return [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, stat.dev]
}

function sameStat(stat: Stats, numbers: readonly number[]): boolean {
  const now = statNumbers(stat)
  return now.length === numbers.length && now.every((n, i) => n === numbers[i])
}

function readHead(prefix: string, folder: string, cache: ChecksumCache): MigrationHead {
  const dir = `${prefix}${folder}`
  // The folder's stat and its files': the folder's times change whenever a file is added, removed or renamed in it.
  const cached = cache.find(folder, dir)
  if (cached !== undefined) {
    return {
      version: folder.slice(0, 14),
      name: folder.slice(15),
      id: folder,
      dir,
      checksum: cached.checksum,
      directives: cached.directives,
    }
  }
  // Statted before anything is read, so that a write after the stat leaves the recorded stat behind.
  const folderStat = statOrUndefined(dir)
  const names = folderStat?.isDirectory() === true ? listFiles(dir) : undefined
  const stats = names === undefined ? undefined : statFiles(dir, names)
  const migration = readMigration(prefix, folder)
  // Recorded only when the folder read holds the files that were statted (none added or removed between).
  if (folderStat !== undefined && names !== undefined && stats !== undefined && sameNames(migration, names)) {
    cache.record(folder, folderStat, names, stats, { checksum: migration.checksum, directives: migration.directives })
  }
  return migration
}

function sameNames(migration: { readonly files: readonly { readonly name: string }[] }, names: readonly string[]) {
  return migration.files.length === names.length && migration.files.every((file, i) => file.name === names[i])
}

/** The folder's file names in name order without dotfiles, as readMigration lists them; undefined when unreadable. */
function listFiles(dir: string): string[] | undefined {
  try {
    const names: string[] = []
    for (const name of readdirSync(dir)) if (!name.startsWith('.')) names.push(name)
    return names.sort()
  } catch {
    return undefined
  }
}

/** Each file's stat; undefined when one is not a regular file or cannot be statted (the folder is then read whole). */
function statFiles(dir: string, names: readonly string[]): Stats[] | undefined {
  const stats: Stats[] = []
  for (const name of names) {
    const stat = statOrUndefined(`${dir}${sep}${name}`)
    if (stat === undefined || !stat.isFile()) return undefined
    stats.push(stat)
  }
  return stats
}
