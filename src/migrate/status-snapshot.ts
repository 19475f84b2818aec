import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { redactUrl } from '../db/redact-url.js'
import { holdsSecret } from '../db/secrets.js'
import { type ChecksumCache, NO_CHECKSUM_CACHE, writtenRecently } from './checksum-cache.js'
import { type MigrationHead, SUM_FILE } from './directory.js'
import type { DigestedSummaries, Journal, JournalSummary } from './journal.js'
import { recordedDirectory, statNumbers } from './read-heads.js'
import {
  type ReadStatusOptions,
  readDirectory,
  readStatusInputs,
  type StatusReport,
  statusReport,
} from './read-status.js'
import { statOrUndefined } from './unchanged-folder.js'

/** A status report as `keel status` prints it: its text (after the line naming the database) and exit code. */
export interface RenderedStatus {
  readonly text: string
  readonly code: number
}

interface JournalRead {
  readonly journal: Journal
  readonly exists: boolean
  /** Undefined when the journal does not exist, or its dialect has no digest (JournalHooks.listWithDigest). */
  readonly digested: DigestedSummaries | undefined
}

/**
 * `keel status`'s report, rendered by `render` in the form `form` (colours or not), or the one rendered last time
 * when nothing it was made from changed: the checksum cache found every folder as it recorded them (their stats, and
 * the directory's listing: checksum-cache.ts), keel.sum has the same digest, and the journal's server computed the
 * same digest of every row's summary (JournalHooks.listWithDigest, which sends the rows only when it differs). keel.sum
 * is the same when it has the stat recorded with the report (checked as a folder's files are), else when its text has
 * the same digest. The report is a
 * function of those alone, so the one printed then is the one these would make: at 10,000 applied migrations, the
 * 10,000 rows, states and lines are then neither sent, parsed nor made. A row another runner wrote meanwhile, an
 * edited file the cache sees, a folder added or removed, keel.sum rewritten, or another form: the report is made again
 * and recorded beside the cache for the next run. Nothing is recorded for a journal read whole (MySQL, SQLite), nor
 * for a database that does not exist.
 */
export async function readRenderedStatus(
  options: ReadStatusOptions & { readonly checksumCache: ChecksumCache },
  form: string,
  render: (report: StatusReport<MigrationHead>) => RenderedStatus,
): Promise<RenderedStatus> {
  const cache = options.checksumCache
  const recorded = cache.reportIn(form)
  const known = recorded?.form === form ? recorded.journal : undefined
  // Without a cache to record the report in, the rows are read as readStatus reads them, without a digest.
  const digests = cache !== NO_CHECKSUM_CACHE
  const readJournal = async (journal: Journal): Promise<JournalRead> => {
    const exists = await journal.exists()
    return { journal, exists, digested: exists && digests ? await journal.digestedSummaries(known) : undefined }
  }
  // With a report recorded, the directory is first checked against the cache, statting its folders and files alone.
  const readFolders = async () =>
    known === undefined ? undefined : await recordedDirectory(options.migrationsDir, cache, recorded?.sumStat)
  return readStatusInputs(options, readFolders, readJournal, async (asRecorded, read) => {
    // The server sends no rows only when its digest is the recorded one.
    const sameJournal = read?.digested !== undefined && read.digested.summaries === undefined
    if (recorded !== undefined && asRecorded !== undefined && sameJournal) {
      const sameSum = 'sumUnchanged' in asRecorded || sumDigest(asRecorded.sumText) === recorded.sum
      if (sameSum) return { text: recorded.text, code: recorded.code }
    }
    // The folders and keel.sum (by its stat) as recorded, the journal not: keel.sum's verdict on them is the recorded
    // one, if the reading below finds the folders checked (foundAsChecked). At 10,000 migrations, parsing keel.sum
    // and checking it against every folder again was ~8% of such a run.
    const knownSum =
      recorded?.sumProblems !== undefined && asRecorded !== undefined && 'sumUnchanged' in asRecorded
        ? { ...recorded, sumProblems: recorded.sumProblems }
        : undefined
    // keel.sum's stat before its text is read (as a folder's: checksum-cache.ts), so that a write between the two
    // leaves the recorded stat behind; not kept when it was written too recently to tell a later write by.
    const startedAt = Date.now()
    const sumStat = knownSum === undefined ? statOrUndefined(join(options.migrationsDir, SUM_FILE)) : undefined
    // The folders checked unchanged are found without their stats again.
    const directory = await readDirectory(options)
    const verdict = knownSum !== undefined && cache.foundAsChecked() ? knownSum : undefined
    let entries: readonly JournalSummary[] = []
    let digest: string | undefined
    if (read?.exists === true) {
      if (read.digested === undefined) entries = await read.journal.listSummaries()
      else {
        // The journal is the recorded one but the folders or keel.sum are not: its rows, with their digest again
        // (of the same snapshot as the rows, which may have changed since the first).
        const digested =
          read.digested.summaries === undefined ? await read.journal.digestedSummaries(undefined) : read.digested
        if (digested?.summaries === undefined) entries = await read.journal.listSummaries()
        else [entries, digest] = [digested.summaries, digested.digest]
      }
    }
    const report = statusReport(directory, entries, read?.exists === true, verdict?.sumProblems)
    const rendered = render(report)
    // Not recorded when the text holds a password this run knows outside the text (its URL's, PGPASSWORD): the
    // printing scrubs it, and a run with another URL, which does not, would print the scrubbed text again.
    if (digest !== undefined && !holdsSecret(rendered.text)) {
      // Passwords redacted as the printing redacts them (which does it again, to the same text): a URL in a row's
      // error is kept in the cache file as `keel status` shows it.
      const text = redactUrl(rendered.text)
      const made = { journal: digest, form, code: rendered.code, text }
      if (verdict !== undefined) {
        // keel.sum as checked: its recorded digest, stat and verdict stay what they were.
        const { sum, sumStat: recordedStat, sumProblems } = verdict
        cache.recordReport({
          ...made,
          sum,
          sumProblems,
          ...(recordedStat === undefined ? {} : { sumStat: recordedStat }),
        })
      } else {
        const settled =
          directory.sumText !== undefined && sumStat?.isFile() === true && !writtenRecently(sumStat, startedAt)
        const sumProblems = report.problems.filter((p) => p.code === 'SUM_MISMATCH').map((p) => p.message)
        // Not kept when the printing would redact a message (a URL in a line of keel.sum): made again each time.
        const kept = sumProblems.every((m) => redactUrl(m) === m) ? { sumProblems } : {}
        const recorded = { ...made, sum: sumDigest(directory.sumText), ...kept }
        cache.recordReport(settled ? { ...recorded, sumStat: statNumbers(sumStat) } : recorded)
      }
    }
    return rendered
  })
}

/** keel.sum's digest for a recorded report: its text's SHA-256, or `none` without a keel.sum. */
export function sumDigest(sumText: string | undefined): string {
  return sumText === undefined ? 'none' : createHash('sha256').update(sumText).digest('hex')
}
