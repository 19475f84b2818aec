import { constants, type Dirent, readFileSync, statSync } from 'node:fs'
import { KeelError } from '../errors.js'

/**
 * Above this a migration file is refused. A file is parsed and sent a piece at a time (dialect/postgres/parse-sql.ts,
 * statement-batch.ts), so memory is a few times the file's size rather than the 47 times of a whole-file
 * parse tree; but the text is held whole (for its checksum, statement hashes and code frames), and a data
 * dump this large belongs in COPY or a script that streams it.
 */
export const MAX_MIGRATION_FILE_BYTES = 256 * 1024 * 1024

/**
 * Reads one file of a migration folder, refusing what would otherwise be read wrong: something that is not a
 * file (an `up.sql/` directory), a file too large to apply, and a NUL byte, at which the SQL parser stops and
 * the rest of the file would silently never run while the checksum covers it.
 */
export function readMigrationFile(path: string, shown: string, entry?: Dirent): string {
  const text = entry?.isFile() === true ? readRegularFile(path) : undefined
  return checkedText(text ?? readCheckedFile(path, shown), shown)
}

/**
 * Reads and checks a file as readMigrationFile does, with a stat first: what it is (a directory, a FIFO) and how
 * large, before a byte of it is read.
 */
function readCheckedFile(path: string, shown: string): string {
  let size: number
  try {
    const stat = statSync(path)
    if (!stat.isFile()) {
      throw new KeelError(
        'MIGRATIONS_DIR',
        `${shown}: is ${stat.isDirectory() ? 'a directory' : 'not a regular file'}, not a file`,
        layoutHint,
      )
    }
    size = stat.size
  } catch (error) {
    if (error instanceof KeelError) throw error
    throw new KeelError('MIGRATIONS_DIR', `${shown}: cannot be read (${(error as Error).message})`, layoutHint, {
      cause: error,
    })
  }
  if (size > MAX_MIGRATION_FILE_BYTES) {
    throw new KeelError(
      'MIGRATIONS_DIR',
      `${shown}: is ${(size / 1024 / 1024).toFixed(1)} MB; migration files are limited to ${MAX_MIGRATION_FILE_BYTES / 1024 / 1024} MB`,
      'Load bulk data with COPY (or a TypeScript migration that streams it), and keep the SQL file to schema changes.',
    )
  }
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new KeelError('MIGRATIONS_DIR', `${shown}: cannot be read (${(error as Error).message})`, layoutHint, {
      cause: error,
    })
  }
}

/** Node's file system flags may be a number, as open(2) takes them (its types say a string). */
const NONBLOCKING_READ = (constants.O_RDONLY | constants.O_NONBLOCK) as unknown as string

/**
 * The text of a file that readdir reported as a regular file, read in one call: Node's readFileSync opens, sizes,
 * reads and closes in native code, where open, read and close from JavaScript cost several times its instructions
 * (a thousand migrations' two thousand files on every `keel status`). Undefined when anything fails (the file was
 * replaced by a directory since the readdir, say) or the text may be over the limit: the caller then reads it with a
 * stat first, which refuses what is not a file or too large, and explains any error. A file over the limit is thus
 * read once before it is refused (up to Node's 2 GiB and V8's longest string; larger ones are refused unread).
 * O_NONBLOCK: a FIFO put in the file's place since the readdir cannot block the open.
 */
function readRegularFile(path: string): string | undefined {
  try {
    const text = readFileSync(path, { encoding: 'utf8', flag: NONBLOCKING_READ })
    // UTF-8 spends at most three bytes on a UTF-16 code unit: a text this short came from a file under the limit.
    return text.length * 3 <= MAX_MIGRATION_FILE_BYTES ? text : undefined
  } catch {
    return undefined
  }
}

/** Refuses a text with a NUL byte, at which the SQL parser would stop while the checksum covers the rest. */
function checkedText(text: string, shown: string): string {
  const nul = text.indexOf('\0')
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length
    throw new KeelError(
      'MIGRATIONS_DIR',
      `${shown}:${line}: holds a NUL byte; PostgreSQL would stop reading the file there`,
      'Remove the NUL byte (a binary or UTF-16 file saved by mistake?) and save the file as UTF-8 text.',
    )
  }
  return text
}

export const layoutHint =
  'A migration folder holds up.sql and down.sql, or one migration.ts exporting up(db) and down(db).'
