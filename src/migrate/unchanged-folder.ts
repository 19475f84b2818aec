import { constants, type Stats, statSync } from 'node:fs'
import { sep } from 'node:path'

/** The stat of `path`, or undefined when it cannot be statted (gone, unreadable) rather than an error. */
export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false })
  } catch {
    return undefined
  }
}

/**
 * Whether the migration folder `dir` and each file its checksum cache line names still have the stats recorded for
 * them: five numbers each (size, mtime, ctime, inode, device) from `numbers[at]`, the folder's first. The line is
 * `folder TAB file names joined by / TAB checksum TAB directives` (checksum-cache.ts); its file names are from
 * `namesAt` to `namesEnd`.
 */
export function unchangedFolder(
  dir: string,
  line: string,
  namesAt: number,
  namesEnd: number,
  numbers: Float64Array,
  at: number,
): boolean {
  if (!hasRecordedStat(dir, constants.S_IFDIR, numbers, at)) return false
  // Each file named in the line in turn: the first that differs ends the check.
  for (let start = namesAt, next = at + 5; start <= namesEnd; next += 5) {
    let end = line.indexOf('/', start)
    if (end === -1 || end > namesEnd) end = namesEnd
    if (!hasRecordedStat(`${dir}${sep}${line.slice(start, end)}`, constants.S_IFREG, numbers, next)) return false
    start = end + 1
  }
  return true
}

/**
 * Whether `path` is of the type `type` (constants.S_IFDIR or S_IFREG) and has the stat numbers the checksum cache
 * recorded at `numbers[at]` (checksum-cache-file.ts STAT_NUMBERS: size, mtime, ctime, inode, device); false when it
 * cannot be statted.
 *
 * Why not fs.statSync alone: on Node 20 it makes a Stats object and four Dates for each path, and at 10,000 migrations
 * `keel status` checks 30,000 paths: ~9,800 instructions a stat, against ~2,400 for the stat system call and Node's
 * binding under statSync, which hands the numbers over in a Float64Array it reuses (callgrind: 220M of the 514M
 * instructions of a status that finds everything unchanged). That binding (process.binding('fs')) is not a public
 * API, so it is trusted only after it gave, for the first path checked, every number fs.statSync gives of it: a
 * binding that is missing, throws, or lays its numbers out otherwise is never used, and each path is then statted by
 * fs.statSync. Not on Windows, where fs.statSync first makes the path a namespaced one.
 */
export function hasRecordedStat(path: string, type: number, numbers: Float64Array, at: number): boolean {
  if (binding === undefined) binding = verifiedBinding(path)
  if (binding === undefined || binding === null) {
    const stat = statOrUndefined(path)
    return (
      stat !== undefined &&
      (stat.mode & constants.S_IFMT) === type &&
      stat.size === numbers[at] &&
      stat.mtimeMs === numbers[at + 1] &&
      stat.ctimeMs === numbers[at + 2] &&
      stat.ino === numbers[at + 3] &&
      stat.dev === numbers[at + 4]
    )
  }
  let raw: Float64Array | undefined
  try {
    raw = binding(path, false, undefined, false)
  } catch {
    // Not a directory on the way, no permission: as statOrUndefined, a path that cannot be statted.
    return false
  }
  return (
    raw !== undefined &&
    ((raw[MODE] as number) & constants.S_IFMT) === type &&
    raw[SIZE] === numbers[at] &&
    msOf(raw, MTIME) === numbers[at + 1] &&
    msOf(raw, CTIME) === numbers[at + 2] &&
    raw[INO] === numbers[at + 3] &&
    raw[DEV] === numbers[at + 4]
  )
}

/** fs.statSync's binding: the numbers of `path`'s stat, undefined when it does not exist; throws on other errors. */
type BindingStat = (path: string, bigint: false, request: undefined, throwIfNoEntry: false) => Float64Array | undefined

/** The binding once verified; null when it is not to be used; undefined until a path could be statted to verify it. */
let binding: BindingStat | null | undefined

/** Where Node 20 puts each number in the binding's array (lib/internal/fs/utils.js getStatsFromBinding). */
const [DEV, MODE, NLINK, UID, GID, RDEV, BLKSIZE, INO, SIZE, BLOCKS, ATIME, MTIME, CTIME, BIRTHTIME] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16,
]

/** The binding's call in fs.statSync's source, as Node 20.20 has it. */
const STAT_SYNC_CALL =
  /binding\.stat\(\s*pathModule\.toNamespacedPath\(path\),\s*options\.bigint,\s*undefined,\s*options\.throwIfNoEntry,?\s*\)/

/** A time in milliseconds from its seconds and nanoseconds at `at`, as Node makes Stats' (msFromTimeSpec). */
function msOf(raw: Float64Array, at: number): number {
  return (raw[at] as number) * 1000 + (raw[at + 1] as number) / 1e6
}

/**
 * The binding, if for `path` it gives each number fs.statSync gives; null otherwise; undefined when `path` cannot be
 * statted (the next path verifies it).
 */
function verifiedBinding(path: string): BindingStat | null | undefined {
  // Not in @types/node: deprecated in the documentation (DEP0111), and kept in Node for the modules that use it.
  const node = process as unknown as {
    binding?: (name: string) => { stat?: unknown }
    noDeprecation: boolean | undefined
  }
  if (process.platform === 'win32' || typeof node.binding !== 'function') return null
  try {
    // Under --pending-deprecation, process.binding itself warns (DEP0111): the warning is not the user's concern.
    const noDeprecation = node.noDeprecation
    let stat: unknown
    try {
      node.noDeprecation = true
      stat = node.binding('fs').stat
    } finally {
      node.noDeprecation = noDeprecation
    }
    // Called as this Node's own statSync calls it, where throwIfNoEntry is the fourth argument: Node 20 releases
    // before its fs errors moved to C++ took an object there, which a missing file's error is written to.
    if (typeof stat !== 'function' || !STAT_SYNC_CALL.test(statSync.toString())) return null
    const expected = statOrUndefined(path)
    if (expected === undefined) return undefined
    const raw = (stat as BindingStat)(path, false, undefined, false)
    if (!(raw instanceof Float64Array)) return null
    const same =
      raw[DEV] === expected.dev &&
      raw[MODE] === expected.mode &&
      raw[NLINK] === expected.nlink &&
      raw[UID] === expected.uid &&
      raw[GID] === expected.gid &&
      raw[RDEV] === expected.rdev &&
      raw[BLKSIZE] === expected.blksize &&
      raw[INO] === expected.ino &&
      raw[SIZE] === expected.size &&
      raw[BLOCKS] === expected.blocks &&
      msOf(raw, ATIME) === expected.atimeMs &&
      msOf(raw, MTIME) === expected.mtimeMs &&
      msOf(raw, CTIME) === expected.ctimeMs &&
      msOf(raw, BIRTHTIME) === expected.birthtimeMs
    return same ? (stat as BindingStat) : null
  } catch {
    return null
  }
}
