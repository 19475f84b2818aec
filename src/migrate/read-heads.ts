import { readdirSync, type Stats } from 'node:fs'
import { sep } from 'node:path'
import { type ChecksumCache, NO_CHECKSUM_CACHE } from './checksum-cache.js'
import {
  type MigrationHead,
  type MigrationsDirectory,
  readFoldersYielding,
  readMigration,
  readMigrationsDirectoryYielding,
} from './directory.js'
import { statOrUndefined } from './unchanged-folder.js'

/**
 * The migrations directory as `keel status` needs it: each folder's head (identity, directives, checksum), from the
 * checksum cache when neither the folder nor any of its files changed since a run read it (checksum-cache.ts), else
 * read whole as readMigrationsDirectory reads it, with the same errors. Gives the event loop a turn as
 * readMigrationsDirectoryYielding does. The cache is written at the end when it changed.
 */
export async function readMigrationHeadsYielding(
  dir: string,
  cache: ChecksumCache,
): Promise<MigrationsDirectory<MigrationHead>> {
  // Without a cache (none to be had, or KEEL_CHECKSUM_CACHE=0), the stats would only add to reading every folder.
  if (cache === NO_CHECKSUM_CACHE) return readMigrationsDirectoryYielding(dir)
  // The directory's listing too comes from the cache while the directory's own stat is unchanged.
  const directory = await readFoldersYielding(dir, { listing: cache }, (prefix, folder) =>
    readHead(prefix, folder, cache),
  )
  cache.save()
  return directory
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
