import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/** A file of an imported folder: its path relative to the folder (with `/`), its name and its text. */
export interface FolderFile {
  readonly path: string
  readonly name: string
  readonly text: string
}

/** Every file under `dir` (recursively when asked), in natural order of their paths (`2_x` before `10_x`). */
export function folderFiles(dir: string, options: { readonly recursive?: boolean } = {}): FolderFile[] {
  return readdirSync(dir, { withFileTypes: true, recursive: options.recursive === true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/')
      return { path, name: entry.name, text: readFileSync(join(entry.parentPath, entry.name), 'utf8') }
    })
    .sort((a, b) => naturalCompare(a.path, b.path))
}

/** Compares strings with runs of digits compared as numbers. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true })
}

/** A timestamp version (YYYYMMDDhhmmss, 14 digits) as a date, when it is a real one. */
export function timestampOf(version: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(version)
  if (!match) return undefined
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as [number, number, number, number, number, number]
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : undefined
}

/** Trims blank lines around a migration's text and ends it with one newline (empty stays empty). */
export function tidySql(text: string): string {
  const trimmed = text.replace(/^\s*\n/, '').replace(/\s+$/, '')
  return trimmed === '' ? '' : `${trimmed}\n`
}
