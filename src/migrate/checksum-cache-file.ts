import { isAscii } from 'node:buffer'
import { lstatSync, readFileSync, type Stats } from 'node:fs'

/**
 * The checksum cache's file (checksum-cache.ts): three text lines (this format and the machine's byte order; the
 * build and the migrations directory; the number of folders, the text's length in bytes, the number of stat numbers
 * and this writing's token, tab-separated), the directory's listing as one line (each entry's kind, d, f or o, and name, joined by /; empty when none
 * is recorded), a line per folder (`folder TAB file names joined by / TAB checksum TAB directives as JSON, empty for
 * none`), spaces up to a multiple of 8 bytes, then the stat numbers as float64: {@link STAT_NUMBERS} of the directory
 * (zeros without a listing), then for each folder in its line's order as many of the folder and of each file.
 * Numbers rather than text: a run that finds every folder unchanged compares them as they are, where text would make
 * it format 60,000 times in a string (or parse them) at 10,000 migrations.
 *
 * The report `keel status` printed for these folders ({@link RecordedReport}) is in a file of its own beside it, one
 * per form of the report ({@link reportFile}: `keel status` and `keel status --json` run in turn each find their own):
 * the same two header lines, the token of the records it was made beside, then a line of its
 * journal digest, keel.sum's digest, keel.sum's stat numbers (comma-separated; empty for none), its form, exit
 * code and keel.sum's verdict (its problems' messages as a JSON array with every character past ASCII escaped; empty
 * for none recorded), tab-separated, then the report's text. A report is read only beside the records whose token it names: records
 * written again (another run's, or this run's when the report could not be written after them) set it aside. Apart, a
 * status after the journal changed (a migrate, another runner) writes its report alone, where it wrote the records
 * too (3.2 MB at 10,000 migrations) that had not changed.
 *
 * Format 11 keeps a report file per form, where format 10 kept one (a form replaced another's). Format 10 adds keel.sum's verdict to format 9's report. Format 9 moves format 8's report to a file of its own. Format 8 added keel.sum's stat to format 7's report. Format
 * 7 added the report to format 6 (which was format 3's layout again: formats 4 and 5 ended with a stat snapshot,
 * removed). The format in the header, compared whole, sets a file of another aside: its folders are read again.
 */
export const FORMAT = 'keel checksum cache 11'

/** The file of the report in the form `form` (a word of lowercase letters) recorded beside the records in `file`. */
export function reportFile(file: string, form: string): string {
  return `${file}.report-${form}`
}

/** Whether `form` can name a report's file (see reportFile). */
export function isReportForm(form: string): boolean {
  return /^[a-z]+$/.test(form)
}

/** What the cache compares of a stat, in this order: size, mtime, ctime, inode, device. */
export const STAT_NUMBERS = 5

/**
 * What `keel status` printed when the directory was the one whose folders the file records (status-snapshot.ts): it
 * is printed again while the folders, keel.sum, the journal (by the digest its server computes) and the form are the
 * same.
 */
export interface RecordedReport {
  /** The journal's digest as its server computed it (JournalHooks.listWithDigest). */
  readonly journal: string
  /** keel.sum's digest (status-snapshot.ts sumDigest). */
  readonly sum: string
  /**
   * keel.sum's {@link STAT_NUMBERS} stat numbers, taken before the text `sum` is the digest of was read; none when
   * there is no keel.sum or it was written too recently to trust its stat (checksum-cache.ts writtenRecently). While
   * keel.sum has this stat, its digest is `sum` without reading it, as a folder's checksum is while it has its stats.
   */
  readonly sumStat?: readonly number[]
  /**
   * keel.sum's verdict on the recorded folders: its SUM_MISMATCH problems' messages (none when it matches them), the
   * same while the folders and keel.sum are (read-status.ts sumProblemMessages). None recorded when a message holds
   * what the printing would redact (a URL), which the file does not keep.
   */
  readonly sumProblems?: readonly string[]
  /** The report's form (colours or not). */
  readonly form: string
  readonly code: number
  /** The report's text after its first line (which names the database, from this run's options). */
  readonly text: string
}

/** The cache as read: the folders' lines (in the directory's order when it was written) and their stat numbers. */
export interface Records {
  /** The directory's listing line (see FORMAT); its stat is numbers[0..5). */
  readonly listing: string
  readonly lines: readonly string[]
  /** Where each folder's stat numbers start in `numbers`. */
  readonly numbersAt: Int32Array
  /**
   * Where the fields of each folder's line start: its file names, checksum and directives at [3i], [3i + 1] and
   * [3i + 2] (the folder's name ends a character before its names). Found once as the lines are checked, rather than
   * searched for again by each use: at 10,000 folders, ~50,000 searches fewer.
   */
  readonly fieldsAt: Int32Array
  readonly numbers: Float64Array
  /** What names this writing of the records: a report is read beside the records of its token alone. */
  readonly token: string
}

/** The directory's listing to write: its line (see FORMAT) and the directory's stat numbers. */
export interface KeptListing {
  readonly line: string
  readonly numbers: readonly number[] | Float64Array
}

/** A folder to write: found again (its index in what was read), or read and recorded by this run. */
export type Kept = number | { readonly line: string; readonly numbers: readonly number[] }

export const NO_RECORDS: Records = {
  listing: '',
  lines: [],
  numbersAt: new Int32Array(0),
  fieldsAt: new Int32Array(0),
  numbers: new Float64Array(STAT_NUMBERS),
  token: '',
}

/** What `file` records, if it is this user's alone and was written with `header` whole; else nothing. */
export function readRecords(file: string, header: string): Records {
  const bytes = readOwnFile(file)
  if (bytes === undefined) return NO_RECORDS
  const head = Buffer.from(header)
  if (bytes.length < head.length || !bytes.subarray(0, head.length).equals(head)) return NO_RECORDS
  const countsEnd = bytes.indexOf(10, head.length)
  if (countsEnd === -1) return NO_RECORDS
  const fields = bytes.toString('latin1', head.length, countsEnd).split('\t')
  const token = fields.pop() ?? ''
  const counts = fields.map(Number)
  const [count, textBytes, numberCount] = counts
  if (count === undefined || textBytes === undefined || numberCount === undefined || counts.length !== 3)
    return NO_RECORDS
  if (!counts.every((n) => Number.isSafeInteger(n) && n >= 0) || !/^[0-9a-f-]{36}$/.test(token)) return NO_RECORDS
  const textEnd = countsEnd + 1 + textBytes
  const numbersStart = aligned(textEnd)
  const numbersEnd = numbersStart + numberCount * 8
  if (numbersEnd !== bytes.length) return NO_RECORDS
  const all = text(bytes, countsEnd + 1, textEnd)
  const listingEnd = all.indexOf('\n')
  if (listingEnd === -1) return NO_RECORDS
  const listing = all.slice(0, listingEnd)
  const lines = all.slice(listingEnd + 1).split('\n')
  lines.pop()
  if (lines.length !== count) return NO_RECORDS
  const numbersAt = new Int32Array(count)
  const fieldsAt = new Int32Array(count * 3)
  let at = STAT_NUMBERS
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const namesAt = line.indexOf('\t') + 1
    const checksumAt = line.indexOf('\t', namesAt) + 1
    const directivesAt = line.indexOf('\t', checksumAt) + 1
    if (namesAt === 0 || checksumAt === 0 || directivesAt === 0) return NO_RECORDS
    fieldsAt[i * 3] = namesAt
    fieldsAt[i * 3 + 1] = checksumAt
    fieldsAt[i * 3 + 2] = directivesAt
    numbersAt[i] = at
    // The folder's own stat, then one for each file name.
    at += STAT_NUMBERS * 2
    for (
      let slash = line.indexOf('/', namesAt);
      slash !== -1 && slash < checksumAt;
      slash = line.indexOf('/', slash + 1)
    )
      at += STAT_NUMBERS
  }
  if (at !== numberCount) return NO_RECORDS
  // A Float64Array must start at a multiple of 8 in its buffer: readFileSync's own is one (a small file's may not be).
  const start = bytes.byteOffset + numbersStart
  const numbers =
    start % 8 === 0
      ? new Float64Array(bytes.buffer, start, numberCount)
      : new Float64Array(bytes.buffer.slice(start, start + numberCount * 8))
  return {
    listing,
    lines,
    numbersAt,
    fieldsAt,
    numbers,
    token,
  }
}

/**
 * The report in `file` if it is this user's alone and starts with `head` (the records' header and token); none when
 * there is none, or it is not whole (see FORMAT).
 */
export function readReport(file: string, head: string): RecordedReport | undefined {
  const bytes = readOwnFile(file)
  if (bytes === undefined) return undefined
  const start = Buffer.byteLength(head)
  if (bytes.length <= start || bytes.toString('utf8', 0, start) !== head) return undefined
  const headEnd = bytes.indexOf(10, start)
  if (headEnd === -1) return undefined
  const [journal, sum, stat, form, code, verdict, ...rest] = bytes.toString('latin1', start, headEnd).split('\t')
  if (journal === undefined || sum === undefined || stat === undefined || form === undefined || code === undefined) {
    return undefined
  }
  if (verdict === undefined || rest.length > 0 || !/^[01]$/.test(code)) return undefined
  const sumStat = stat === '' ? undefined : stat.split(',').map(Number)
  if (sumStat !== undefined && (sumStat.length !== STAT_NUMBERS || !sumStat.every(Number.isFinite))) return undefined
  const sumProblems = verdict === '' ? undefined : readVerdict(verdict)
  if (sumProblems === null) return undefined
  const report = { journal, sum, form, code: Number(code), text: text(bytes, headEnd + 1, bytes.length) }
  return {
    ...report,
    ...(sumStat === undefined ? {} : { sumStat }),
    ...(sumProblems === undefined ? {} : { sumProblems }),
  }
}

/** A recorded keel.sum verdict (see FORMAT), or null when it is not an array of strings. */
function readVerdict(json: string): readonly string[] | null {
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) && value.every((m) => typeof m === 'string') ? value : null
  } catch {
    return null
  }
}

/**
 * The UTF-8 text of `bytes` from `start` to `end`, decoded as Latin-1 when it is ASCII alone (the same characters):
 * V8 then copies the bytes as they are, and splits the string in under half the time (10,000 lines: 0.5 against 1.3 ms).
 */
function text(bytes: Buffer, start: number, end: number): string {
  return isAscii(bytes.subarray(start, end)) ? bytes.toString('latin1', start, end) : bytes.toString('utf8', start, end)
}

/**
 * A report file's bytes, beside the records written with `header` and `token` (see FORMAT); its first line's fields
 * are hex digests, numbers and words, without tabs or newlines. A number's text is the shortest that reads back as
 * the same number.
 */
export function encodeReport(header: string, token: string, report: RecordedReport): Buffer {
  // JSON escapes a tab and a newline in a message; the rest past ASCII too, as the line is read as Latin-1.
  const verdict =
    report.sumProblems === undefined
      ? ''
      : JSON.stringify(report.sumProblems).replace(
          /[^\x20-\x7e]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        )
  const head = [report.journal, report.sum, report.sumStat?.join(',') ?? '', report.form, report.code, verdict]
  return Buffer.from(`${header}${token}\n${head.join('\t')}\n${report.text}`, 'utf8')
}

/** The cache file's bytes: `header`, the counts and `token`, each kept folder's line, their stat numbers (see FORMAT). */
export function encodeRecords(
  header: string,
  token: string,
  listing: KeptListing | undefined,
  kept: ReadonlyMap<string, Kept>,
  recorded: Records,
): Buffer {
  let text = `${listing?.line ?? ''}\n`
  const parts: (readonly number[] | Float64Array)[] = [listing?.numbers ?? new Float64Array(STAT_NUMBERS)]
  let numberCount = STAT_NUMBERS
  for (const entry of kept.values()) {
    if (typeof entry === 'number') {
      const start = recorded.numbersAt[entry] as number
      const end =
        entry + 1 < recorded.numbersAt.length ? (recorded.numbersAt[entry + 1] as number) : recorded.numbers.length
      text += `${recorded.lines[entry]}\n`
      parts.push(recorded.numbers.subarray(start, end))
      numberCount += end - start
    } else {
      text += `${entry.line}\n`
      parts.push(entry.numbers)
      numberCount += entry.numbers.length
    }
  }
  const textBytes = Buffer.byteLength(text)
  const prefix = `${header}${kept.size}\t${textBytes}\t${numberCount}\t${token}\n`
  const prefixBytes = Buffer.byteLength(prefix)
  const numbersStart = aligned(prefixBytes + textBytes)
  const numbersEnd = numbersStart + numberCount * 8
  // Buffer.alloc's memory is its own (never pooled), so numbersStart, a multiple of 8, is one in it too.
  const bytes = Buffer.alloc(numbersEnd, ' ')
  bytes.write(prefix + text, 0, 'utf8')
  // In this machine's byte order, as the reading takes them (the header names the order).
  const numbers = new Float64Array(bytes.buffer, bytes.byteOffset + numbersStart, numberCount)
  let offset = 0
  for (const part of parts) {
    numbers.set(part, offset)
    offset += part.length
  }
  return bytes
}

function aligned(offset: number): number {
  return Math.ceil(offset / 8) * 8
}

/** Whether a file is a regular file of this user's that no one else can write (POSIX; on Windows, any file). */
/** `file`'s bytes, when it is there and this user's alone (see ownedByUserAlone); else undefined. */
function readOwnFile(file: string): Buffer | undefined {
  try {
    return ownedByUserAlone(lstatSync(file)) ? readFileSync(file) : undefined
  } catch {
    return undefined
  }
}

function ownedByUserAlone(stat: Stats): boolean {
  if (!stat.isFile()) return false
  if (process.platform === 'win32') return true
  return stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0
}
