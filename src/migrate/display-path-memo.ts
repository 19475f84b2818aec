import { isAbsolute, relative, sep } from 'node:path'
import { displayPath } from './directory.js'

/** The last migrations directory asked about, and its path relative to the working directory then. */
let last: { readonly cwd: string; readonly dir: string; readonly rel: string } | undefined

/**
 * {@link displayPath} of a migration's file (`<migrations dir>/<folder>/up.sql`), with the directory's relative path
 * worked out once per run rather than once per file: path.relative resolves and normalises both whole paths, and
 * `keel migrate` asked it twice for each pending migration (its parse, its lint), 800 times at 400 files. The same
 * answer: the file's last two segments are plain names, so from the directory or above it, its relative path is the
 * directory's plus them.
 */
export function migrationFilePath(file: string): string {
  const end = file.lastIndexOf(sep)
  const cut = end > 0 ? file.lastIndexOf(sep, end - 1) : -1
  const rest = file.slice(cut + 1)
  const plain = rest.split(sep).every((segment) => segment !== '' && segment !== '.' && segment !== '..')
  if (cut <= 0 || !isAbsolute(file) || !plain) return displayPath(file)
  const dir = file.slice(0, cut)
  const cwd = process.cwd()
  if (last?.dir !== dir || last.cwd !== cwd) last = { cwd, dir, rel: relative(cwd, dir) }
  // Outside the directory, the working directory may be inside the file's folder: displayPath tells.
  if (last.rel.startsWith('..')) return displayPath(file)
  const rel = last.rel === '' ? rest : `${last.rel}${sep}${rest}`
  return rel.startsWith('..') ? file : rel
}
