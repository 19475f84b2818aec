import { createHash } from 'node:crypto'
import { KeelError } from '../errors.js'

/**
 * The checksum algorithm in use. Every stored checksum starts with its algorithm id (`n1:<hex>`), so
 * that a later algorithm can be introduced while journals written with this one are still verified
 * with this one.
 *
 * n1: sha256 over each file's name and normalised text (see {@link normaliseText}), files in name order.
 */
export const CHECKSUM_ALGORITHM = 'n1'

/** A file that belongs to a migration, by its name inside the migration folder. */
export interface ChecksumFile {
  readonly name: string
  readonly text: string
}

/**
 * Normalises text so that checksums survive what editors and checkouts do without changing meaning:
 * a byte-order mark, CRLF or CR line endings, trailing whitespace on a line, and blank lines at the
 * end of the file. Everything else (indentation, blank lines between statements, case) counts.
 */
export function normaliseText(text: string): string {
  if (!NEEDS_LINE_PASS.test(text)) return withoutFinalNewlines(text)
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v]+$/, ''))
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines.join('\n')
}

/**
 * What makes the line-by-line pass of normaliseText necessary: a byte-order mark, a CR, or whitespace
 * at the end of a line. Text without any (the usual case) only loses its final newlines, which are
 * then its trailing blank lines.
 */
const NEEDS_LINE_PASS = /^\uFEFF|\r|[ \t\f\v](?:\n|$)/

function withoutFinalNewlines(text: string): string {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--
  return end === text.length ? text : text.slice(0, end)
}

/** The checksum of one migration: every file of its folder, in name order. */
export function migrationChecksum(files: readonly ChecksumFile[], algorithm = CHECKSUM_ALGORITHM): string {
  requireKnownAlgorithm(algorithm)
  const hash = createHash('sha256')
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(file.name)
    hash.update('\0')
    hash.update(normaliseText(file.text))
    hash.update('\0')
  }
  return `${algorithm}:${hash.digest('hex')}`
}

/**
 * Whether `stored` (from keel.sum or the journal) is the checksum of `files`, in the algorithm `stored`
 * names. `current`, the files' checksum in the current algorithm when already computed, spares hashing
 * them again.
 */
export function checksumMatches(stored: string, files: readonly ChecksumFile[], current?: string): boolean {
  if (current !== undefined && algorithmOf(stored) === CHECKSUM_ALGORITHM) return stored === current
  return migrationChecksum(files, algorithmOf(stored)) === stored
}

/**
 * The hash of one statement, as the journal records it for each completed statement of a migration,
 * so that a resumed migration can prove the statements it skips are the ones that ran.
 */
export function statementHash(sql: string): string {
  return `${CHECKSUM_ALGORITHM}:${createHash('sha256').update(normaliseText(sql).trim()).digest('hex')}`
}

/** The hash over a list of `id checksum` lines: keel.sum's total. */
export function totalChecksum(entries: readonly { readonly id: string; readonly checksum: string }[]): string {
  const hash = createHash('sha256')
  for (const entry of entries) hash.update(`${entry.id} ${entry.checksum}\n`)
  return `${CHECKSUM_ALGORITHM}:${hash.digest('hex')}`
}

/** The algorithm id at the start of a stored checksum. */
export function algorithmOf(checksum: string): string {
  const colon = checksum.indexOf(':')
  return colon === -1 ? '' : checksum.slice(0, colon)
}

function requireKnownAlgorithm(algorithm: string): void {
  if (algorithm !== CHECKSUM_ALGORITHM) {
    throw new KeelError(
      'MIGRATIONS_DIR',
      `unknown checksum algorithm "${algorithm}" (this Keel knows ${CHECKSUM_ALGORITHM})`,
      'The checksum was written by a newer Keel; upgrade Keel.',
    )
  }
}
