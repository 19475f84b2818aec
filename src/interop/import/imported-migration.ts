/**
 * One migration read out of another tool's folder, in the tool's own order, with its meaning made
 * explicit: the SQL to apply, the SQL that undoes it (when the tool had one), whether it must run outside
 * a transaction, and the key that names it in the tool's own journal table.
 */
export interface ImportedMigration {
  /** The tool's version or position (`1`, `20230101120000`, `1.1`, `0003`), for ordering and messages. */
  readonly version: string
  /** A description to name the Keel migration after. */
  readonly name: string
  readonly up: string
  readonly down?: string
  /** The tool ran it outside a transaction (goose NO TRANSACTION, dbmate transaction:false, ...). */
  readonly noTransaction: boolean
  /** What names it in the tool's journal table (see peer-journal.ts); one token, written URI-encoded. */
  readonly journalKey: string
  /** The tool's journal table when the project named its own (a knexfile's tableName, schemaName). */
  readonly journalTable?: { readonly namespace?: string; readonly table: string }
  /** The files it came from, relative to the imported folder. */
  readonly files: readonly string[]
  /**
   * A moment the tool recorded for it (a timestamp version, drizzle-kit's journal `when`): Keel's version
   * is taken from it when every migration has one.
   */
  readonly at?: Date
  /** What a reviewer should know about the conversion (a repeatable migration made versioned, ...). */
  readonly notes: readonly string[]
}

/** A tool whose migration folders Keel converts. */
export interface MigrationFormat {
  readonly tool: string
  /** One line for `--help` and for the list of supported tools. */
  readonly describe: string
  /** Asynchronous where the format asks the dialects (which Prisma providers, which drizzle-kit dialects Keel reads). */
  read(dir: string): readonly ImportedMigration[] | Promise<readonly ImportedMigration[]>
}

/** What converting a folder of code migrations needs besides the folder. */
export interface ImportContext {
  /**
   * The project's database URL: code migrations run on a scratch database of its dialect created beside it
   * (a temporary database on the same server, in-memory SQLite, PGlite); without one, PGlite.
   */
  readonly near?: string
}

/**
 * A tool whose migrations are code (knex's `up(knex)`/`down(knex)`): converted by running them, in order,
 * on a scratch database and keeping the SQL the tool sent.
 */
export interface CodeMigrationFormat {
  readonly tool: string
  readonly describe: string
  convert(dir: string, context: ImportContext): Promise<readonly ImportedMigration[]>
}
