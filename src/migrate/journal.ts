import type { Connection } from '../db/connection.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'

/** The journal table's name; its namespace is configurable (config.journalSchema). */
export const JOURNAL_TABLE = 'keel_migrations'

/**
 * A JournalEntry is one row of `keel_migrations`: a migration that was applied, or that stopped
 * half-way (`partial` after an interruption, `failed` after an error), with its progress.
 */
export interface JournalEntry {
  readonly version: string
  readonly name: string
  /** The migration's checksum when it was applied (see checksum.ts). */
  readonly checksum: string
  readonly status: 'applied' | 'partial' | 'failed'
  readonly batch: number
  readonly appliedAt: Date
  readonly durationMs: number
  /** Statements committed so far (all of them once applied). */
  readonly completedStatements: number
  /** Statements in up when the row was last written; undefined for module migrations. */
  readonly totalStatements: number | undefined
  /** Hash of each completed statement, in order, so that a resume can prove what it skips. */
  readonly statementHashes: readonly string[]
  /** The error of a failed migration, or of a failed rollback of an applied one. */
  readonly error: string | undefined
  /** The statement that failed (its file:line and text). */
  readonly failedStatement: string | undefined
  /** Who wrote the row: the runner, `keel baseline`, or a person through `keel resolve`. */
  readonly origin: 'migrate' | 'baseline' | 'resolve'
}

/** The fields a writer provides; applied_at is the database's clock. */
export type JournalWrite = Omit<JournalEntry, 'appliedAt'>

interface Row {
  version: string
  name: string
  checksum: string
  status: JournalEntry['status']
  batch: number
  applied_at: Date | string
  duration_ms: number
  completed_statements: number
  total_statements: number | null
  statement_hashes: readonly string[] | string
  error: string | null
  failed_statement: string | null
  origin: JournalEntry['origin']
}

const COLUMNS =
  'version, name, checksum, status, batch, applied_at, duration_ms, completed_statements, total_statements, statement_hashes, error, failed_statement, origin'

/**
 * The journal of one database: `keel_migrations` in `schema`. Reading never creates anything, so that
 * `keel status` stays read-only; `ensure` creates the table under the runner lock.
 */
export class Journal {
  readonly table: string
  private readonly quoteIdent: (name: string) => string

  constructor(
    readonly conn: Connection,
    readonly schema: string,
  ) {
    this.quoteIdent = runtimeOf(conn.dialect).quoteIdent
    this.table = `${this.quoteIdent(schema)}.${this.quoteIdent(JOURNAL_TABLE)}`
  }

  async exists(): Promise<boolean> {
    const rows = await this.conn.query(
      `select 1 from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and c.relname = $2`,
      [this.schema, JOURNAL_TABLE],
    )
    return rows.length > 0
  }

  /** Creates the namespace and table when missing. Checks first: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists. */
  async ensure(): Promise<void> {
    if (await this.exists()) return
    const namespace = await this.conn.query('select 1 from pg_catalog.pg_namespace where nspname = $1', [this.schema])
    if (namespace.length === 0) await this.conn.exec(`CREATE SCHEMA IF NOT EXISTS ${this.quoteIdent(this.schema)}`)
    await this.conn.exec(`CREATE TABLE IF NOT EXISTS ${this.table} (
  version text PRIMARY KEY CHECK (version ~ '^[0-9]{14}$'),
  name text NOT NULL,
  checksum text NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'partial', 'failed')),
  batch integer NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  duration_ms integer NOT NULL DEFAULT 0,
  completed_statements integer NOT NULL DEFAULT 0,
  total_statements integer,
  statement_hashes jsonb NOT NULL DEFAULT '[]',
  error text,
  failed_statement text,
  origin text NOT NULL DEFAULT 'migrate' CHECK (origin IN ('migrate', 'baseline', 'resolve'))
)`)
  }

  /** Every row in version order; empty when the table does not exist yet. */
  async list(): Promise<readonly JournalEntry[]> {
    return (await this.exists()) ? this.listExisting() : []
  }

  /** Every row in version order, when the caller knows that the table exists. */
  async listExisting(): Promise<readonly JournalEntry[]> {
    const rows = await this.conn.query<Row>(`select ${COLUMNS} from ${this.table} order by version`)
    return rows.map(toEntry)
  }

  async nextBatch(): Promise<number> {
    const [row] = await this.conn.query<{ batch: number }>(
      `select coalesce(max(batch), 0) + 1 as batch from ${this.table}`,
    )
    return Number(row?.batch ?? 1)
  }

  /**
   * Inserts a row. A plain INSERT on purpose: if a second runner ever got past the lock, its insert
   * of the same version blocks on the primary key and then fails, rolling its transaction back.
   */
  async insert(entry: JournalWrite): Promise<void> {
    await this.conn.query(
      `insert into ${this.table} (${COLUMNS}) values ($1, $2, $3, $4, $5, clock_timestamp(), $6, $7, $8, $9::jsonb, $10, $11, $12)`,
      values(entry),
    )
  }

  /**
   * The same INSERT as {@link insert}, as SQL text with the values inlined, so that it can travel in
   * one round trip together with the COMMIT of the migration it records.
   */
  insertSql(entry: JournalWrite): string {
    // The parameters of insert(), in the same order: $1..$5, then applied_at, $6..$8, $9::jsonb, $10..$12.
    const v = values(entry).map(sqlLiteral)
    const list = `${v.slice(0, 5).join(', ')}, clock_timestamp(), ${v.slice(5, 8).join(', ')}, ${v[8]}::jsonb, ${v.slice(9).join(', ')}`
    return `insert into ${this.table} (${COLUMNS}) values (${list})`
  }

  /**
   * Updates a row, provided its progress is still `expectedCompleted` (optimistic check: progress
   * that moved under us means another writer, and the run stops rather than guess).
   */
  async update(entry: JournalWrite, expectedCompleted: number): Promise<void> {
    const rows = await this.conn.query(
      `update ${this.table} set name = $2, checksum = $3, status = $4, batch = $5, applied_at = clock_timestamp(),
         duration_ms = $6, completed_statements = $7, total_statements = $8, statement_hashes = $9::jsonb, error = $10,
         failed_statement = $11, origin = $12
       where version = $1 and completed_statements = $13 returning version`,
      [...values(entry), expectedCompleted],
    )
    if (rows.length === 0) {
      throw new KeelError(
        'MIGRATION_FAILED',
        `the journal row of ${entry.version}_${entry.name} changed while this runner worked on it`,
        'Another process wrote to keel_migrations; run `keel status` to see the state.',
      )
    }
  }

  /** Records an error on a row without touching its progress. */
  async recordError(version: string, error: string | undefined, failedStatement: string | undefined): Promise<void> {
    await this.conn.query(`update ${this.table} set error = $2, failed_statement = $3 where version = $1`, [
      version,
      error ?? null,
      failedStatement ?? null,
    ])
  }

  async remove(version: string): Promise<void> {
    await this.conn.query(`delete from ${this.table} where version = $1`, [version])
  }
}

function values(entry: JournalWrite): unknown[] {
  return [
    entry.version,
    entry.name,
    entry.checksum,
    entry.status,
    entry.batch,
    Math.round(entry.durationMs),
    entry.completedStatements,
    entry.totalStatements ?? null,
    JSON.stringify(entry.statementHashes),
    entry.error ?? null,
    entry.failedStatement ?? null,
    entry.origin,
  ]
}

function toEntry(row: Row): JournalEntry {
  const hashes = typeof row.statement_hashes === 'string' ? JSON.parse(row.statement_hashes) : row.statement_hashes
  return {
    version: row.version,
    name: row.name,
    checksum: row.checksum,
    status: row.status,
    batch: Number(row.batch),
    appliedAt: row.applied_at instanceof Date ? row.applied_at : new Date(row.applied_at),
    durationMs: Number(row.duration_ms),
    completedStatements: Number(row.completed_statements),
    totalStatements: row.total_statements === null ? undefined : Number(row.total_statements),
    statementHashes: hashes as readonly string[],
    error: row.error ?? undefined,
    failedStatement: row.failed_statement ?? undefined,
    origin: row.origin,
  }
}

/**
 * A value as a SQL literal: integers as they are, null as NULL, strings quoted. A string with a
 * backslash becomes an E'' literal with the backslashes doubled, which reads the same whatever the
 * session's standard_conforming_strings.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`not an integer for a SQL literal: ${value}`)
    return String(value)
  }
  const text = String(value).replaceAll("'", "''")
  return text.includes('\\') ? `E'${text.replaceAll('\\', '\\\\')}'` : `'${text}'`
}
