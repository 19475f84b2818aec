import crypto, { createHash } from 'node:crypto'
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
  const parts: string[] = []
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    parts.push(file.name, '\0', normaliseText(file.text), '\0')
  }
  // The same bytes as one update per part, hashed at once: a migrations directory hashes a thousand folders on
  // every `keel status`, and a Hash object per folder cost more than the hashing (see sha256Hex).
  return `${algorithm}:${sha256Hex(parts.join(''))}`
}

const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash

/**
 * sha256 of a text's UTF-8 bytes, in hex: crypto.hash where Node has it (20.12 and later), else a Hash object. The
 * runner hashes every statement and every folder of a run; one-shot hashing spares a native object each.
 */
function sha256Hex(text: string): string {
  return oneShotHash === undefined
    ? createHash('sha256').update(text).digest('hex')
    : oneShotHash('sha256', text, 'hex')
}

/**
 * Whether `stored` (from keel.sum or the journal) is the checksum of `files`, in the algorithm `stored`
 * names. `current`, the files' checksum in the current algorithm when already computed, spares hashing
 * them again. Without `files` (a migration's head, read-heads.ts) only a checksum in the current algorithm can
 * be checked: one in an algorithm this Keel does not know is refused as before (MIGRATIONS_DIR); when Keel
 * comes to know a second algorithm, a head must be read whole to check a checksum in it.
 */
export function checksumMatches(stored: string, files: readonly ChecksumFile[] | undefined, current?: string): boolean {
  if (current !== undefined && algorithmOf(stored) === CHECKSUM_ALGORITHM) return stored === current
  if (files === undefined) {
    requireKnownAlgorithm(algorithmOf(stored))
    throw new Error(`a migration's head cannot be checked against a ${algorithmOf(stored)} checksum: read it whole`)
  }
  return migrationChecksum(files, algorithmOf(stored)) === stored
}

/**
 * The hash of one statement, as the journal records it for each completed statement of a migration,
 * so that a resumed migration can prove the statements it skips are the ones that ran.
 */
export function statementHash(sql: string): string {
  return `${CHECKSUM_ALGORITHM}:${sha256Hex(normaliseText(sql).trim())}`
}

/** The start of a chained statement hash (see {@link chainStatementHashes}). */
export const STATEMENT_CHAIN = 'chain:'

/**
 * The chained hashes of a migration's statements, one per statement: the k-th covers statements 1..k
 * (`chain:n1:<hex>`, each the sha256 of the one before and the statement's own hash). The journal keeps
 * only the one of its last completed statement, so that the row of a no-transaction migration stays the
 * same size however far it has got: a list of every completed statement's hash, written again after each
 * statement, made a file of many statements quadratic.
 *
 * @example
 * ```ts
 * const chains = chainStatementHashes(statements.map((s) => s.hash))
 * committedStatementsProof(chains, 2) // [chains[1]], the proof of statements 1 and 2
 * ```
 */
export function chainStatementHashes(hashes: readonly string[]): readonly string[] {
  const chains: string[] = []
  let previous = ''
  for (const hash of hashes) {
    previous = `${STATEMENT_CHAIN}${CHECKSUM_ALGORITHM}:${sha256Hex(`${previous}\n${hash}`)}`
    chains.push(previous)
  }
  return chains
}

/** What a journal row records of the first `n` statements (statement_hashes): their chained hash, if any. */
export function committedStatementsProof(chains: readonly string[], n: number): readonly string[] {
  if (n === 0) return []
  const chain = chains[n - 1]
  if (chain === undefined) throw new Error(`no chained hash for statement ${n} of ${chains.length}`)
  return [chain]
}

/**
 * Which of the first statements of a migration differ from the ones a journal row recorded as committed:
 * `hashes` are the current hashes of as many statements as the row counts. The 0-based index of the first
 * that differs, `'some'` when the row's chained hash can only tell that one of them does, or undefined when
 * they are all as they ran. A row written before the chain lists each statement's hash.
 */
export function changedStatement(recorded: readonly string[], hashes: readonly string[]): number | 'some' | undefined {
  const [only] = recorded
  if (recorded.length === 1 && only?.startsWith(STATEMENT_CHAIN)) {
    return chainStatementHashes(hashes).at(-1) === only ? undefined : 'some'
  }
  for (const [i, hash] of hashes.entries()) if (recorded[i] !== hash) return i
  return recorded.length === hashes.length ? undefined : 'some'
}

/** The hash over a list of `id checksum` lines: keel.sum's total. */
export function totalChecksum(entries: readonly { readonly id: string; readonly checksum: string }[]): string {
  // One text hashed at once: the same bytes as one update per line, without a thousand calls into the Hash object.
  let text = ''
  for (const entry of entries) text += `${entry.id} ${entry.checksum}\n`
  return `${CHECKSUM_ALGORITHM}:${sha256Hex(text)}`
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
