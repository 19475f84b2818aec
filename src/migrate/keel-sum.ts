import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { assertNever } from '../assert-never.js'
import { KeelError } from '../errors.js'
import { totalChecksum } from './checksum.js'
import { type MigrationHead, type MigrationsDirectory, SUM_FILE } from './directory.js'

/**
 * keel.sum: one line per migration (`<id> <checksum>`) and a total over all of them. Two branches that
 * both add migrations both change the total line, so merging them conflicts in version control or
 * fails here, instead of silently interleaving migrations nobody reviewed together.
 */
export interface KeelSum {
  readonly total: string
  readonly entries: readonly { readonly id: string; readonly checksum: string }[]
}

/** One way the directory and keel.sum disagree. */
export type SumProblem =
  | { readonly kind: 'missing-sum' }
  | { readonly kind: 'conflict-markers'; readonly line: number }
  | { readonly kind: 'malformed'; readonly line: number; readonly text: string }
  /** In the directory but not in keel.sum: added by hand, or by another branch that was merged. */
  | { readonly kind: 'added'; readonly id: string }
  /** In keel.sum but not in the directory: deleted or renamed. */
  | { readonly kind: 'removed'; readonly id: string }
  /** Edited after keel.sum was written. */
  | { readonly kind: 'changed'; readonly id: string }
  /** Every entry agrees but the total does not: keel.sum itself was edited (a hand-resolved merge). */
  | { readonly kind: 'total' }

const HEADER = '# keel.sum: checksums of the migrations in this directory. Do not edit; run `keel sum --rehash`.'

/**
 * The checksum field of a draft: a migration written by `keel new` or `keel generate` (or rolled back) and not
 * applied since. Its person may still edit it, so keel.sum does not pin its content: Knex and golang-migrate users
 * never rehash their own unapplied work. `keel migrate` seals a draft when it applies it (the checksum replaces
 * the word), `keel sum --rehash` seals them all, and `keel check` refuses drafts, so CI stays strict. Two branches
 * that add drafts still both change the total line, and an edit of an applied migration is still caught.
 */
export const DRAFT = 'draft'

/** The keel.sum that describes `migrations` (in version order); the `drafts` get no checksum. */
export function computeSum(migrations: readonly MigrationHead[], drafts: ReadonlySet<string> = new Set()): KeelSum {
  const entries = migrations.map((m) => ({ id: m.id, checksum: drafts.has(m.id) ? DRAFT : m.checksum }))
  return { total: totalChecksum(entries), entries }
}

/** The migrations keel.sum records as drafts. */
export function sumDrafts(directory: MigrationsDirectory): ReadonlySet<string> {
  const parsed = directory.sumText === undefined ? undefined : parseSum(directory.sumText)
  if (parsed === undefined || !('sum' in parsed)) return new Set()
  return new Set(parsed.sum.entries.filter((e) => e.checksum === DRAFT).map((e) => e.id))
}

/** Rewrites keel.sum with the given migrations as drafts again (after a rollback). */
export function markDrafts(directory: MigrationsDirectory, ids: readonly string[]): void {
  if (ids.length === 0) return
  writeSum(directory, new Set([...sumDrafts(directory), ...ids]))
}

/** Rewrites keel.sum with the given drafts sealed (their checksums recorded), keeping the other drafts. */
export function sealDrafts(directory: MigrationsDirectory, ids: readonly string[]): void {
  const drafts = sumDrafts(directory)
  if (!ids.some((id) => drafts.has(id))) return
  writeSum(directory, new Set([...drafts].filter((id) => !ids.includes(id))))
}

export function formatSum(sum: KeelSum): string {
  return [HEADER, `total ${sum.total}`, ...sum.entries.map((e) => `${e.id} ${e.checksum}`), ''].join('\n')
}

/** Writes keel.sum for the directory as it is now. */
export function writeSum(directory: MigrationsDirectory, drafts: ReadonlySet<string> = new Set()): KeelSum {
  const sum = computeSum(directory.migrations, drafts)
  mkdirSync(directory.dir, { recursive: true })
  writeFileSync(join(directory.dir, SUM_FILE), formatSum(sum))
  return sum
}

export type ParsedSum = { readonly sum: KeelSum } | { readonly problem: SumProblem }

export function parseSum(text: string): ParsedSum {
  let total: string | undefined
  const entries: { id: string; checksum: string }[] = []
  const lines = (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text).split('\n')
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string
    // The common line, `<id> <checksum>`: one space inside and no other white space, taken without a regular
    // expression's match or a split (10,000 of them in a long history). Others go the general way.
    const space = raw.indexOf(' ')
    const first = raw.charCodeAt(0)
    if (
      space > 0 &&
      space < raw.length - 1 &&
      raw.indexOf(' ', space + 1) === -1 &&
      first !== HASH &&
      first !== LESS &&
      first !== EQUALS &&
      first !== GREATER &&
      !OTHER_WHITESPACE.test(raw)
    ) {
      const key = raw.slice(0, space)
      if (key === 'total') total = raw.slice(space + 1)
      else entries.push({ id: key, checksum: raw.slice(space + 1) })
      continue
    }
    const line = raw.trim()
    if (/^(<{7}|={7}|>{7})/.test(line)) return { problem: { kind: 'conflict-markers', line: i + 1 } }
    if (line === '' || line.startsWith('#')) continue
    const fields = line.split(/\s+/)
    if (fields.length !== 2) return { problem: { kind: 'malformed', line: i + 1, text: line } }
    const [key = '', value = ''] = fields
    if (key === 'total') total = value
    else entries.push({ id: key, checksum: value })
  }
  if (total === undefined) return { problem: { kind: 'malformed', line: 1, text: 'no total line' } }
  return { sum: { total, entries } }
}

const HASH = '#'.charCodeAt(0)
const LESS = '<'.charCodeAt(0)
const EQUALS = '='.charCodeAt(0)
const GREATER = '>'.charCodeAt(0)
/** White space other than the space character, as \s and trim() know it. */
const OTHER_WHITESPACE = /[^\S ]/

/**
 * Compares keel.sum with the directory and lists every disagreement. An empty directory needs no
 * keel.sum; any other directory without one is reported.
 */
export function verifySum(
  directory: MigrationsDirectory<MigrationHead>,
  /** keel.sum as parseSum read it from `directory.sumText`, when the caller has it already. */
  parsed = directory.sumText === undefined ? undefined : parseSum(directory.sumText),
): readonly SumProblem[] {
  if (parsed === undefined) return directory.migrations.length === 0 ? [] : [{ kind: 'missing-sum' }]
  if ('problem' in parsed) return [parsed.problem]
  const { entries } = parsed.sum
  const problems =
    inIdOrder(entries) && inIdOrder(directory.migrations)
      ? compareInOrder(directory.migrations, entries)
      : compareByLookup(directory.migrations, entries)
  if (problems.length === 0 && totalChecksum(parsed.sum.entries) !== parsed.sum.total) problems.push({ kind: 'total' })
  return problems
}

type SumEntries = KeelSum['entries']

/** Whether each id comes once, in order (keel.sum as keel sum writes it; the directory as it is read). */
function inIdOrder(entries: readonly { readonly id: string }[]): boolean {
  for (let i = 1; i < entries.length; i++)
    if (!((entries[i - 1] as { readonly id: string }).id < (entries[i] as { readonly id: string }).id)) return false
  return true
}

/**
 * The directory's migrations (in id order) against keel.sum's entries in id order, walked together: the problems of
 * {@link compareByLookup}, in its order, without a map and a set of every id.
 */
function compareInOrder(migrations: readonly MigrationHead[], entries: SumEntries): SumProblem[] {
  const problems: SumProblem[] = []
  const removed: SumProblem[] = []
  let e = 0
  for (const m of migrations) {
    while (e < entries.length && (entries[e] as SumEntries[0]).id < m.id) {
      removed.push({ kind: 'removed', id: (entries[e] as SumEntries[0]).id })
      e++
    }
    const entry = entries[e]
    if (entry === undefined || entry.id !== m.id) {
      problems.push({ kind: 'added', id: m.id })
      continue
    }
    if (entry.checksum !== m.checksum && entry.checksum !== DRAFT) problems.push({ kind: 'changed', id: m.id })
    e++
  }
  for (; e < entries.length; e++) removed.push({ kind: 'removed', id: (entries[e] as SumEntries[0]).id })
  return problems.concat(removed)
}

/** Each migration looked up in keel.sum, then each entry of keel.sum in the directory. */
function compareByLookup(migrations: readonly MigrationHead[], entries: SumEntries): SumProblem[] {
  const recorded = new Map(entries.map((e) => [e.id, e.checksum]))
  const present = new Set(migrations.map((m) => m.id))
  const problems: SumProblem[] = []
  for (const m of migrations) {
    const checksum = recorded.get(m.id)
    if (checksum === undefined) problems.push({ kind: 'added', id: m.id })
    else if (checksum !== m.checksum && checksum !== DRAFT) problems.push({ kind: 'changed', id: m.id })
  }
  for (const entry of entries) if (!present.has(entry.id)) problems.push({ kind: 'removed', id: entry.id })
  return problems
}

/** One line per problem, in words a reviewer can act on. */
export function describeSumProblems(problems: readonly SumProblem[], recordedIds: readonly string[] = []): string[] {
  const newest = [...recordedIds].sort().at(-1)
  return problems.map((p) => {
    switch (p.kind) {
      case 'missing-sum':
        return `${SUM_FILE} is missing`
      case 'conflict-markers':
        return `${SUM_FILE}:${p.line}: unresolved merge conflict markers`
      case 'malformed':
        return `${SUM_FILE}:${p.line}: not a keel.sum line: ${p.text}`
      case 'added':
        return newest !== undefined && p.id < newest
          ? `${p.id} is not in ${SUM_FILE} and is older than ${newest}: added on another branch and merged?`
          : `${p.id} is not in ${SUM_FILE}: added or edited by hand, or merged from another branch`
      case 'removed':
        return `${p.id} is in ${SUM_FILE} but not in the directory: deleted or renamed`
      case 'changed':
        return `${p.id} changed since ${SUM_FILE} was written`
      case 'total':
        return `the total in ${SUM_FILE} does not match its entries: the file was edited by hand`
      default:
        return assertNever(p)
    }
  })
}

/** Throws SUM_MISMATCH explaining every disagreement, or returns when keel.sum matches. */
export function assertSumMatches(directory: MigrationsDirectory): void {
  const problems = verifySum(directory)
  if (problems.length === 0) return
  const parsed = directory.sumText === undefined ? undefined : parseSum(directory.sumText)
  const ids = parsed !== undefined && 'sum' in parsed ? parsed.sum.entries.map((e) => e.id) : []
  const lines = describeSumProblems(problems, ids)
  const added = problems.filter((p) => p.kind === 'added').length
  const hint =
    added >= 1 && problems.every((p) => p.kind === 'added')
      ? `Review the ${added === 1 ? 'new migration' : `${added} new migrations`} (their order against the others too), then run \`keel sum --rehash\`.`
      : undefined
  throw new KeelError(
    'SUM_MISMATCH',
    `${SUM_FILE} does not match the migrations directory:\n  ${lines.join('\n  ')}`,
    hint,
  )
}
