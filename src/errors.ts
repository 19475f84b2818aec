/**
 * The one table of error codes. Each code has the exit status the CLI uses and a default hint.
 * Exit 2: bad usage, configuration or input. Exit 1: the command ran and hit a problem.
 */
export const errorCodes = {
  USAGE: { exit: 2, hint: 'Run `keel --help` for the commands and their flags.' },
  CONFIG: { exit: 2, hint: 'Check keel.config.ts.' },
  BAD_URL: {
    exit: 2,
    hint: 'Use postgres://user@host:port/db, pglite:DIR, pglite:memory, a .sql or .ts file, or a migrations directory.',
  },
  UNKNOWN_SOURCE: {
    exit: 2,
    hint: 'A source is a database URL, pglite:DIR, pglite:memory, a .sql file, a .ts module, a .prisma file or folder, a .json schema (keel inspect --format json), or a migrations directory.',
  },
  SOURCE_NOT_FOUND: { exit: 2, hint: 'Check the path.' },
  CONNECTION_REFUSED: { exit: 2, hint: 'Is the server running, and are the host and port right?' },
  CONNECT_TIMEOUT: {
    exit: 2,
    hint: 'Are the host and port those of a PostgreSQL server? If it is only slow, raise connect_timeout in the URL (seconds) or PGCONNECT_TIMEOUT.',
  },
  CONNECTION_LOST: {
    exit: 1,
    hint: 'The connection to the server dropped (a restart, a network cut, a killed session); `keel status` shows where things stand, and `keel migrate` resumes.',
  },
  HOST_NOT_FOUND: { exit: 2, hint: 'Check the host name in the URL.' },
  AUTH_FAILED: { exit: 2, hint: 'Check the user name and password in the URL (or PGPASSWORD).' },
  DATABASE_NOT_FOUND: { exit: 2, hint: 'Create the database first, or check its name in the URL.' },
  NO_PROJECT: {
    exit: 2,
    hint: 'Run `keel init` to start a project here, or pass --url (or --config) to work on an existing one.',
  },
  NO_DATABASE: {
    exit: 2,
    hint: '`keel migrate` or `keel push` creates it; or pass --url to read another database.',
  },
  SCRATCH_DATABASE: {
    exit: 2,
    hint: "Set `devUrl` in keel.config.ts to a server where Keel may create temporary databases, or devUrl: 'pglite:memory' to use the embedded PostgreSQL.",
  },
  SQL_SYNTAX: { exit: 2, hint: 'Fix the SQL at the line shown.' },
  SQL_ERROR: { exit: 2, hint: 'Fix the SQL at the line shown.' },
  SCHEMA_MODULE: {
    exit: 2,
    hint: 'A schema module exports tables built with `keel/schema` (as named exports or a `schema` object).',
  },
  IMPORT_SOURCE: {
    exit: 2,
    hint: 'Check the folder given to `keel import` and its --from tool (`keel import --help` lists the layouts).',
  },
  SCHEMA_JSON: {
    exit: 2,
    hint: 'A .json source is a schema as `keel inspect --format json` prints it: an object with tables, views, enums, sequences, namespaces and extensions.',
  },
  PRISMA_SCHEMA: {
    exit: 2,
    hint: 'Fix the Prisma schema at the place shown (`prisma validate` checks it the same way).',
  },
  UNSUPPORTED: { exit: 2, hint: 'This is not supported yet; see the README for what Keel covers.' },
  AMBIGUOUS_RENAME: {
    exit: 2,
    hint: 'Add a rename hint (`.renamedFrom(...)` or `-- keel:renamed-from old`), or pass --accept-data-loss to drop and add.',
  },
  DATA_LOSS: { exit: 1, hint: 'Review the drops above; pass --accept-data-loss to apply them.' },
  APPLY_FAILED: { exit: 1, hint: 'Nothing was committed; fix the cause and run the command again.' },
  DRIFT: { exit: 1, hint: 'Run `keel diff` to see the difference.' },
  DATABASE_ERROR: { exit: 1, hint: "The message is the database server's own; fix what it names and run again." },
  INTERNAL: { exit: 1, hint: 'This is a bug in Keel; run again with KEEL_DEBUG=1 and report the stack trace.' },
  // versioned migrations
  MIGRATIONS_DIR: { exit: 2, hint: 'Check the migrations directory layout (see the README).' },
  CHECKSUM_MISMATCH: {
    exit: 1,
    hint: 'An applied migration was edited. Restore it, or, if the database already holds what the edited file says, record that with `keel resolve VERSION --applied`.',
  },
  SUM_MISMATCH: {
    exit: 1,
    hint: 'keel.sum does not match the directory (a merge or an edit). Review, then run `keel sum --rehash`.',
  },
  MISSING_MIGRATION: {
    exit: 1,
    hint: 'A migration recorded as applied has no file. Restore it from version control.',
  },
  OUT_OF_ORDER: {
    exit: 1,
    hint: 'A pending migration is older than the newest applied one. Review it, then pass --allow-out-of-order.',
  },
  MIGRATION_FAILED: {
    exit: 1,
    hint: 'Fix the cause; `keel migrate` resumes where it stopped, or use `keel resolve`.',
  },
  PARTIAL_MIGRATION: {
    exit: 1,
    hint: 'Fix the cause and run `keel migrate` to resume, or record a decision with `keel resolve`.',
  },
  LOCK_TIMEOUT: {
    exit: 1,
    hint: 'Another runner holds the migration lock; wait for it, or raise --lock-wait.',
  },
  BACKFILL_NO_KEY: {
    exit: 2,
    hint: 'Give the table a primary key (or a unique index over NOT NULL columns) first: a backfill walks the table in key ranges.',
  },
  DOMAIN_IN_USE: {
    exit: 2,
    hint: 'Give the new type a domain of another name instead (create it beside the old one, and move the columns to it in the schema: Keel changes their type online), then drop the old domain in a later change; or move what uses the domain off it in a migration of its own first.',
  },
  PARTITION_KEY_TYPE: {
    exit: 2,
    hint: "Keep the column's type, or move the rows to a new table: create a partitioned table beside it with the new type (under another name, with its partitions), copy the rows over in batches while the application writes to both (or during a maintenance window), switch the application to it, and drop the old one; a later migration can rename the new one to the old name.",
  },
  SYNC_NAME_TAKEN: {
    exit: 1,
    hint: 'Rename your function or trigger: Keel names the ones that keep old and new columns in step <table>_keel_sync. If it is what an earlier keel push left (stopped before its contract, by a Keel that did not mark it), drop it (DROP FUNCTION ... CASCADE drops its triggers) and push again.',
  },
  BACKFILL_CHANGED: {
    exit: 1,
    hint: 'Put the old backfill hint back and run `keel push` to finish (then change the values with an UPDATE), or drop the half-filled column and push again to fill every row with the new hint.',
  },
  UNSAFE_MIGRATION: {
    exit: 1,
    hint: 'Make the migration online-safe (each finding says how), suppress a reviewed finding with `-- keel:lint-ignore RULE reason`, or pass --allow-unsafe.',
  },
  SPLIT_RUN: {
    exit: 2,
    hint: 'Make the two changes apart: first the one whose step runs outside a transaction, then the other (change the schema in two steps, with `keel generate` or `keel push` after each).',
  },
  NO_ONLINE_FORM: {
    exit: 1,
    hint: 'Pass --allow-unsafe to write it anyway, marked `-- keel:lint-ignore RULE reason` so that `keel migrate` runs it knowingly, or change the schema so that it is not needed.',
  },
  INTERRUPTED: {
    exit: 1,
    hint: 'What was applied stays applied, each migration whole with its journal row; run `keel migrate` again to apply the rest.',
  },
  NOTHING_TO_DO: { exit: 1, hint: 'The schema and the migrations already agree.' },
  MIGRATION_APPLIED: { exit: 1, hint: 'Write a new migration that changes what it did.' },
  NO_DOWN: { exit: 1, hint: 'Write a down.sql for this migration to make it reversible.' },
  MIGRATION_SQL: {
    exit: 2,
    hint: 'Keel wraps each migration in a transaction: remove BEGIN/COMMIT, or start the file with `-- keel:no-transaction` to run statements one by one.',
  },
  UNSAFE_RESET: { exit: 2, hint: 'Pass --force to reset a database on a non-local host (twice: --force --force).' },
} as const satisfies Record<string, { readonly exit: 1 | 2; readonly hint: string }>

export type ErrorCode = keyof typeof errorCodes

/** KeelError carries a stable code, a message naming the object and place, and a hint. */
export class KeelError extends Error {
  override readonly name = 'KeelError'
  /** What to do, then what else went wrong after this error (its notes, see {@link addNote}). */
  declare readonly hint: string
  /** Later failures, in the cleaning up after this one (see {@link addNote}): said after the hint. */
  declare readonly notes: readonly string[]
  readonly #hint: string
  readonly #notes: string[] = []

  constructor(
    readonly code: ErrorCode,
    message: string,
    hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.#hint = hint ?? errorCodes[code].hint
    // Own and enumerable, as `code` is, and read when asked (a note comes later): a getter of the class would live on
    // the prototype, which a spread (`{ ...error }`) and JSON.stringify skip, so a serialised error lost its hint.
    Object.defineProperties(this, {
      hint: { enumerable: true, get: () => [this.#hint, ...this.#notes].filter((part) => part !== '').join(' ') },
      // A copy: the notes grow only through addNote.
      notes: { enumerable: true, get: () => [...this.#notes] },
    })
  }

  /**
   * Records a failure that came after this error, while cleaning up after it (keel.sum not sealed, say), so that
   * this error stays the one reported and the later one is still said, with what to do about it.
   */
  addNote(note: string): void {
    this.#notes.push(note)
  }

  get exitCode(): 1 | 2 {
    return errorCodes[this.code].exit
  }

  /** What JSON.stringify writes: the message too, which Error keeps as an own property that is not enumerable. */
  toJSON(): { name: string; code: ErrorCode; message: string; hint: string; notes: readonly string[] } {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, notes: this.notes }
  }
}

/**
 * `error` as a KeelError, to add a note to: itself, or, for anything else thrown (a bug), error[INTERNAL] with its
 * message and the default hint, the thrown value as its cause (KEEL_DEBUG=1 prints its stack).
 */
export function asKeelError(error: unknown): KeelError {
  if (error instanceof KeelError) return error
  return new KeelError('INTERNAL', error instanceof Error ? error.message : String(error), undefined, { cause: error })
}

export function isKeelError(error: unknown): error is KeelError {
  return error instanceof KeelError
}
