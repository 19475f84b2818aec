import type { Stats } from 'node:fs'

/** A stat that gives undefined for a path it cannot stat (gone, unreadable), rather than throwing. */
export type StatOrUndefined = (path: string) => Stats | undefined

/**
 * Whether the migration folder `dir` and each file its checksum cache line names still have the stats recorded for
 * them: five numbers each (size, mtime, ctime, inode, device) from `numbers[at]`, the folder's first. The line is
 * `folder TAB file names joined by / TAB checksum TAB directives` (checksum-cache.ts).
 */
export function unchangedFolder(
  stat: StatOrUndefined,
  dir: string,
  line: string,
  numbers: Float64Array,
  at: number,
  sep: string,
): boolean {
  const same = (s: Stats | undefined, a: number): boolean =>
    s !== undefined &&
    s.size === numbers[a] &&
    s.mtimeMs === numbers[a + 1] &&
    s.ctimeMs === numbers[a + 2] &&
    s.ino === numbers[a + 3] &&
    s.dev === numbers[a + 4]
  const folder = stat(dir)
  if (folder === undefined || !folder.isDirectory() || !same(folder, at)) return false
  const namesAt = line.indexOf('\t') + 1
  const namesEnd = line.indexOf('\t', namesAt)
  if (namesAt === 0 || namesEnd === -1) return false
  // Each file named in the line in turn: the first that differs ends the check.
  for (let start = namesAt, next = at + 5; start <= namesEnd; next += 5) {
    let end = line.indexOf('/', start)
    if (end === -1 || end > namesEnd) end = namesEnd
    const file = stat(`${dir}${sep}${line.slice(start, end)}`)
    if (file === undefined || !file.isFile() || !same(file, next)) return false
    start = end + 1
  }
  return true
}
