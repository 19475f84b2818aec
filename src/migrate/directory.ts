import { type Dirent, readdirSync, readFileSync, type Stats } from 'node:fs'
import { basename, dirname, join, relative, sep } from 'node:path'
import { KeelError } from '../errors.js'
import { type ChecksumFile, migrationChecksum } from './checksum.js'
import { type Directives, parseDirectives } from './directives.js'
import { layoutHint, readMigrationFile } from './migration-file.js'
import { statOrUndefined } from './unchanged-folder.js'

/** The file of a migration's up or down part. */
export type MigrationBody =
  | { readonly kind: 'sql'; readonly file: string; readonly text: string }
  /** A TypeScript/JavaScript module exporting `up(db)` and `down(db)`; loaded only when it runs. */
  | { readonly kind: 'module'; readonly file: string; readonly fn: 'up' | 'down' }

/**
 * What `keel status` needs of a migration folder: its identity, directives and checksum, without its files' text
 * (read-heads.ts reads these from a cache of verified folders when the files are unchanged).
 */
export interface MigrationHead {
  readonly version: string
  readonly name: string
  /** `<version>_<name>`, the folder name and keel.sum key. */
  readonly id: string
  /** Absolute path of the folder. */
  readonly dir: string
  readonly directives: Directives
  /** Checksum of every file of the folder (see checksum.ts), in the current algorithm. */
  readonly checksum: string
}

/** What reading a directory needs of each folder it reads (its order, and two folders with one version refused). */
export type FolderIdentity = Pick<MigrationHead, 'version' | 'id'>

/**
 * A Migration is one folder of the migrations directory: `<14-digit version>_<snake_name>/` with
 * `up.sql` (and `down.sql`), or `migration.ts` exporting `up(db)` / `down(db)`.
 */
export interface Migration extends MigrationHead {
  readonly up: MigrationBody
  /** Undefined for a SQL migration without down.sql; a module's down is checked when it is loaded. */
  readonly down: MigrationBody | undefined
  readonly files: readonly ChecksumFile[]
}

/** The migrations directory as read from disk: whole migrations, or only their heads (read-heads.ts). */
export interface MigrationsDirectory<M extends FolderIdentity = Migration> {
  readonly dir: string
  /** In version order. */
  readonly migrations: readonly M[]
  /** keel.sum's text, or undefined when the file does not exist. */
  readonly sumText: string | undefined
}

export const SUM_FILE = 'keel.sum'
const FOLDER = /^(\d{14})_([a-z0-9]+(?:_[a-z0-9]+)*)$/
const MODULE_FILES = ['migration.ts', 'migration.mts', 'migration.js', 'migration.mjs']
const SQL_FILES = ['up.sql', 'down.sql']

/**
 * Reads and validates a migrations directory. Anything Keel would otherwise have to ignore is an
 * error (a loose file, a misnamed folder, two folders with one version), because an ignored
 * migration is one that silently never runs. Dotfiles are ignored. A missing directory is empty.
 */
export function readMigrationsDirectory(
  dir: string,
  options: { readonly mustExist?: boolean } = {},
): MigrationsDirectory {
  const reading = readingDirectory(dir, options, readMigration)
  for (;;) {
    const step = reading.next()
    if (step.done === true) return step.value
  }
}

/**
 * {@link readMigrationsDirectory}, giving the event loop a turn every {@link FOLDERS_PER_TURN} folders: I/O
 * started before it (a database connecting, a journal query in flight) goes on while the files are read, so that
 * `keel status` waits for the server no longer than the reading takes.
 */
export function readMigrationsDirectoryYielding(
  dir: string,
  options: { readonly mustExist?: boolean } = {},
): Promise<MigrationsDirectory> {
  return readFoldersYielding(dir, options, readMigration)
}

/** An entry of the migrations directory: a Dirent, or one recorded by a {@link ListingCache}. */
export interface ListedEntry {
  readonly name: string
  isFile(): boolean
  isDirectory(): boolean
}

/**
 * The directory's entries as a run listed them, trusted while the directory keeps the stat it had then: adding,
 * removing or renaming an entry changes the directory's mtime and ctime (checksum-cache.ts keeps one).
 */
export interface ListingCache {
  /** The entries recorded for the directory, in name order, if it still has the stat `dirStat`. */
  findListing(dirStat: Stats): readonly ListedEntry[] | undefined
  /** Records the directory's entries (in name order), listed after it was statted (`dirStat`). */
  recordListing(dirStat: Stats, entries: readonly ListedEntry[]): void
}

interface ReadingOptions {
  readonly mustExist?: boolean
  /** Where the directory's listing may be found without listing it (keel status: its checksum cache). */
  readonly listing?: ListingCache
}

/** {@link readMigrationsDirectoryYielding} with each folder read by `readFolder`. */
export async function readFoldersYielding<M extends FolderIdentity>(
  dir: string,
  options: ReadingOptions,
  readFolder: FolderReader<M>,
): Promise<MigrationsDirectory<M>> {
  const reading = readingDirectory(dir, options, readFolder)
  for (;;) {
    const step = reading.next()
    if (step.done === true) return step.value
    await new Promise((resolve) => setImmediate(resolve))
  }
}

const FOLDERS_PER_TURN = 50

/**
 * Reads one folder of the directory whose normalised path, ending in a separator, is `prefix`: the whole migration
 * ({@link readMigration}) or only its head.
 */
export type FolderReader<M extends FolderIdentity> = (prefix: string, folder: string) => M

/** The reading of a directory, which pauses (yields) every FOLDERS_PER_TURN folders. */
function* readingDirectory<M extends FolderIdentity>(
  dir: string,
  options: ReadingOptions,
  readFolder: FolderReader<M>,
): Generator<undefined, MigrationsDirectory<M>, undefined> {
  // Statted before it is listed, so that an entry added after the stat leaves a recorded listing behind.
  const dirStat = statOrUndefined(dir)
  if (dirStat === undefined) {
    // `keel migrate` on a mistyped or unmounted directory must not report "nothing to migrate" and succeed.
    if (options.mustExist) {
      throw new KeelError(
        'MIGRATIONS_DIR',
        `the migrations directory ${relative(process.cwd(), dir) || dir} does not exist`,
        'Check `migrations` in keel.config.ts (and the working directory), or create it with `keel new NAME`.',
      )
    }
    return { dir, migrations: [], sumText: undefined }
  }
  if (!dirStat.isDirectory()) throw new KeelError('MIGRATIONS_DIR', `${dir} is not a directory`)
  const migrations: M[] = []
  let sumText: string | undefined
  // The directory's normalised path with a separator at its end, joined once rather than per folder: join() would
  // normalise the whole path again for each of a thousand folders. `_` stands for a folder name (see readMigration).
  const prefix = join(dir, '_').slice(0, -1)
  let entries = options.listing?.findListing(dirStat)
  if (entries === undefined) {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => compare(a.name, b.name))
    options.listing?.recordListing(dirStat, entries)
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue
    if (entry.name === SUM_FILE && entry.isFile()) {
      sumText = readFileSync(join(dir, entry.name), 'utf8')
      continue
    }
    if (!entry.isDirectory()) {
      throw new KeelError(
        'MIGRATIONS_DIR',
        `${relative(process.cwd(), join(dir, entry.name))}: not a migration folder`,
        'Each migration is a folder <14-digit UTC timestamp>_<snake_name>/ with up.sql and down.sql, or migration.ts.',
      )
    }
    migrations.push(readFolder(prefix, entry.name))
    if (migrations.length % FOLDERS_PER_TURN === 0) yield undefined
  }
  for (let i = 1; i < migrations.length; i++) {
    const [a, b] = [migrations[i - 1] as M, migrations[i] as M]
    if (a.version === b.version) {
      throw new KeelError(
        'MIGRATIONS_DIR',
        `two migrations have the version ${a.version}: ${a.id} and ${b.id}`,
        'Give one of them a new version (rename its folder) before it is applied anywhere.',
      )
    }
  }
  return { dir, migrations, sumText }
}

/** One migration folder, read as {@link readMigrationsDirectory} reads each of its folders. */
export function readMigrationFolder(dir: string): Migration {
  return readMigration(join(dirname(dir), '_').slice(0, -1), basename(dir))
}

/**
 * One folder of the directory whose normalised path, ending in a separator, is `prefix`. The folder's path is the
 * two concatenated once its name is known to be a migration's (digits, letters and underscores only): what
 * join() would return.
 */
export function readMigration(prefix: string, folder: string): Migration {
  return readFolder(prefix, folder, true)
}

/** What replaying a migration on a scratch database uses of it (replay.ts): no checksum, no down. */
export type MigrationToReplay = Omit<Migration, 'checksum' | 'files' | 'down'>

/**
 * The migrations of a directory as replaying them needs them: each folder checked as readMigrationsDirectory checks
 * it, with the same errors, but its down.sql listed and not read, and no checksum made (keel.sum is checked by the
 * commands that rely on it: generate before it replays, check, migrate, status).
 */
export function readMigrationsToReplay(dir: string): readonly MigrationToReplay[] {
  const reading = readingDirectory(dir, {}, (prefix, folder) => readFolder(prefix, folder, false))
  for (;;) {
    const step = reading.next()
    if (step.done === true) return step.value.migrations
  }
}

function readFolder(prefix: string, folder: string, whole: true): Migration
function readFolder(prefix: string, folder: string, whole: false): MigrationToReplay
function readFolder(prefix: string, folder: string, whole: boolean): Migration | MigrationToReplay {
  const match = FOLDER.exec(folder)
  if (!match || !isTimestamp(match[1] as string)) {
    throw new KeelError(
      'MIGRATIONS_DIR',
      `${folder}: a migration folder is named <14-digit UTC timestamp>_<snake_name>, as in 20261124093000_create_users`,
    )
  }
  const dir = `${prefix}${folder}`
  const [, version = '', name = ''] = match
  // One readdir with the entries' types: a regular file is then read without a stat of its own first (see
  // readMigrationFile), which for a directory of a thousand migrations is two thousand system calls fewer.
  const entries = visibleEntries(readdirSync(dir, { withFileTypes: true }))
  const names = entries.map((entry) => entry.name)
  const unknown = names.filter((file) => !SQL_FILES.includes(file) && !MODULE_FILES.includes(file))
  const modules = names.filter((file) => MODULE_FILES.includes(file))
  const where = `${folder}/`
  if (unknown.length > 0) {
    throw new KeelError('MIGRATIONS_DIR', `${where}${unknown[0]}: unexpected file in a migration folder`, layoutHint)
  }
  // `dir` is normalised and the names are plain file names: concatenating is what join() would return,
  // without its normalising pass over each of the thousands of paths of a large directory.
  const pathOf = (file: string) => `${dir}${sep}${file}`
  const files = entries.map((entry) => ({
    name: entry.name,
    // Not whole, a down.sql is not read: only one that is not a regular file is, for readMigrationFile's error.
    text:
      whole || entry.name !== 'down.sql' || !entry.isFile()
        ? readMigrationFile(pathOf(entry.name), `${where}${entry.name}`, entry)
        : '',
  }))
  const checksum = whole ? migrationChecksum(files) : ''
  // Object literals written out rather than `{ ...base, up, down }`: a spread copies property by property in the
  // runtime, and in this cold code (run once per folder, before V8 optimises it) the spread was the largest part of
  // reading a folder apart from the system calls.
  if (modules.length > 0) {
    if (modules.length > 1 || names.some((file) => SQL_FILES.includes(file))) {
      throw new KeelError('MIGRATIONS_DIR', `${where}: has both ${names.join(' and ')}; keep one form`, layoutHint)
    }
    const file = pathOf(modules[0] as string)
    const text = files[0]?.text ?? ''
    const directives = parseDirectives(text, `${where}${modules[0]}`, '//')
    const up: MigrationBody = { kind: 'module', file, fn: 'up' }
    if (!whole) return { version, name, id: folder, dir, up, directives }
    const down: MigrationBody = { kind: 'module', file, fn: 'down' }
    return { version, name, id: folder, dir, checksum, files, up, down, directives }
  }
  const upFile = files.find((file) => file.name === 'up.sql')
  if (upFile === undefined) {
    throw new KeelError('MIGRATIONS_DIR', `${where}: has no up.sql (or migration.ts)`, layoutHint)
  }
  const up: MigrationBody = { kind: 'sql', file: pathOf('up.sql'), text: upFile.text }
  const directives = parseDirectives(upFile.text, `${where}up.sql`)
  if (!whole) return { version, name, id: folder, dir, up, directives }
  const downFile = files.find((file) => file.name === 'down.sql')
  const down: MigrationBody | undefined =
    downFile === undefined ? undefined : { kind: 'sql', file: pathOf('down.sql'), text: downFile.text }
  return { version, name, id: folder, dir, checksum, files, up, down, directives }
}

/**
 * Whether a 14-digit version is a real UTC date and time (YYYYMMDDhhmmss) of a year from 100 on (JavaScript's
 * Date reads the years 0 to 99 as 1900 to 1999, so they were never valid versions). Arithmetic rather than a Date:
 * it runs for each of the thousands of folders of a large directory on every command.
 */
export function isTimestamp(version: string): boolean {
  if (!/^\d{14}$/.test(version)) return false
  const part = (at: number, length: number) => Number(version.slice(at, at + length))
  const [year, month, day] = [part(0, 4), part(4, 2), part(6, 2)]
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false
  return part(8, 2) <= 23 && part(10, 2) <= 59 && part(12, 2) <= 59
}

/** Days in a month (1-12) of the proleptic Gregorian calendar, which Date uses. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** A path for messages: relative to the working directory when that is shorter. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file)
  return rel.startsWith('..') || rel === '' ? file : rel
}

/** The 14-digit UTC version for a moment. */
export function versionAt(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

/**
 * The version for a new migration: now, or one second after the newest existing version when the
 * clock is behind it (versions must strictly increase within a directory).
 */
export function nextVersion(existing: readonly Pick<Migration, 'version'>[], now = new Date()): string {
  const latest = existing.at(-1)?.version
  const candidate = versionAt(now)
  if (latest === undefined || candidate > latest) return candidate
  const y = Number(latest.slice(0, 4))
  const parts = [4, 6, 8, 10, 12].map((at) => Number(latest.slice(at, at + 2)))
  const [mo = 1, d = 1, h = 0, mi = 0, s = 0] = parts
  return versionAt(new Date(Date.UTC(y, mo - 1, d, h, mi, s + 1)))
}

/** Turns free text into a migration name: lower snake case, letters and digits only. */
export function snakeName(text: string): string {
  const name = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  return name.slice(0, 80).replace(/_+$/, '')
}

/**
 * A folder's entries without its dotfiles, in name order. A loop rather than filter and sort with callbacks: it runs
 * for each of a thousand folders, each with two entries.
 */
function visibleEntries(entries: Dirent[]): Dirent[] {
  const visible: Dirent[] = []
  for (const entry of entries) if (!entry.name.startsWith('.')) visible.push(entry)
  if (visible.length === 2) {
    const [a, b] = visible as [Dirent, Dirent]
    return a.name <= b.name ? visible : [b, a]
  }
  return visible.sort((a, b) => compare(a.name, b.name))
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
