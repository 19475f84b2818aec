import { type Stats, statSync } from 'node:fs'
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
 * `folder TAB file names joined by / TAB checksum TAB directives` (checksum-cache.ts).
 */
export function unchangedFolder(dir: string, line: string, numbers: Float64Array, at: number): boolean {
  const same = (s: Stats | undefined, a: number): boolean =>
    s !== undefined &&
    s.size === numbers[a] &&
    s.mtimeMs === numbers[a + 1] &&
    s.ctimeMs === numbers[a + 2] &&
    s.ino === numbers[a + 3] &&
    s.dev === numbers[a + 4]
  const folder = statOrUndefined(dir)
  if (folder === undefined || !folder.isDirectory() || !same(folder, at)) return false
  const namesAt = line.indexOf('\t') + 1
  const namesEnd = line.indexOf('\t', namesAt)
  if (namesAt === 0 || namesEnd === -1) return false
  // Each file named in the line in turn: the first that differs ends the check.
  for (let start = namesAt, next = at + 5; start <= namesEnd; next += 5) {
    let end = line.indexOf('/', start)
    if (end === -1 || end > namesEnd) end = namesEnd
    const file = statOrUndefined(`${dir}${sep}${line.slice(start, end)}`)
    if (file === undefined || !file.isFile() || !same(file, next)) return false
    start = end + 1
  }
  return true
}
