import type { Connection } from '../db/connection.js'
import type { JournalHooks } from '../dialect/runner.js'
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
  /**
   * Proof of the completed statements, so that a resume can show that what it skips is what ran: their
   * chained hash (one string, see checksum.ts chainStatementHashes), or, in rows written before it, the
   * hash of each statement in order.
   */
  readonly statementHashes: readonly string[]
  /** The error of a failed migration, or of a failed rollback of an applied one. */
  readonly error: string | undefined
  /** The statement that failed (its file:line and text). */
  readonly failedStatement: string | undefined
  /** Who wrote the row: the runner, `keel baseline`, or a person through `keel resolve`. */
  readonly origin: 'migrate' | 'baseline' | 'resolve'
}

/**
 * What `keel status` and `keel check` show of a journal row: all of it but the proof of its statements and the text of
 * the one that failed, which only a resume reads (and which are most of a row's bytes).
 */
export type JournalSummary = Omit<JournalEntry, 'statementHashes' | 'failedStatement'>

/** The journal's digest as its server computed it (JournalHooks.listWithDigest), and its rows' summaries unless they were known. */
export interface DigestedSummaries {
  readonly digest: string
  /** Undefined when the digest is the one the caller knew. */
  readonly summaries: readonly JournalSummary[] | undefined
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

const SUMMARY_COLUMNS =
  'version, name, checksum, status, batch, applied_at, duration_ms, completed_statements, total_statements, error, origin'

/** SUMMARY_COLUMNS named as SummaryJson's keys (version kept: the JSON is ordered by it). */
const SUMMARY_AS_JSON =
  'version, name as n, checksum as c, status as s, batch as b, applied_at as a, duration_ms as d, completed_statements as p, total_statements as t, error as e, origin as o'

interface SummaryJson {
  version: string
  n: string
  c: string
  s: JournalEntry['status']
  b: number
  a: string
  d: number
  p: number
  t: number | null
  e: string | null
  o: JournalEntry['origin']
}

function fromSummaryJson(row: SummaryJson): JournalSummary {
  return {
    version: row.version,
    name: row.n,
    checksum: row.c,
    status: row.s,
    batch: Number(row.b),
    appliedAt: new Date(row.a),
    durationMs: Number(row.d),
    completedStatements: Number(row.p),
    totalStatements: row.t === null ? undefined : Number(row.t),
    error: row.e ?? undefined,
    origin: row.o,
  }
}

function toSummary(row: Row): JournalSummary {
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
    error: row.error ?? undefined,
    origin: row.origin,
  }
}

/**
 * The journal of one database: `keel_migrations` in `schema`. Reading never creates anything, so that
 * `keel status` stays read-only; `ensure` creates the table under the runner lock.
 */
export class Journal {
  readonly table: string
  /** The dialect's journal SQL (catalog lookups, DDL, clock, JSON type). */
  private readonly sql: JournalHooks

  constructor(
    readonly conn: Connection,
    readonly schema: string,
  ) {
    this.sql = runtimeOf(conn.dialect).runner.journal
    this.table = this.sql.qualify(schema, JOURNAL_TABLE)
  }

  exists(): Promise<boolean> {
    return this.sql.exists(this.conn, this.schema, JOURNAL_TABLE)
  }

  /**
   * Whether the last {@link list} found no table. Under the runner lock, which every writer of the journal holds, it
   * stays true until {@link ensure}: `migrate` then creates the table without asking again (one round trip).
   */
  get listedMissing(): boolean {
    return this.missing
  }

  private missing = false

  /** Creates the namespace and table when missing; `knownMissing`: see {@link listedMissing}. */
  async ensure(options: { readonly knownMissing?: boolean } = {}): Promise<void> {
    await this.sql.ensure(this.conn, this.schema, JOURNAL_TABLE, options.knownMissing === true)
    this.missing = false
  }

  /** The table's creation and a look for it, where the dialect's DDL rolls back (see JournalHooks.undoableCreation). */
  get undoableCreation(): { readonly create: string; readonly exists: string } | undefined {
    return this.sql.undoableCreation?.(this.schema, JOURNAL_TABLE)
  }

  /** Every row in version order; empty when the table does not exist yet. */
  async list(): Promise<readonly JournalEntry[]> {
    const exists = await this.exists()
    this.missing = !exists
    return exists ? this.listExisting() : []
  }

  /** Every row in version order, when the caller knows that the table exists. */
  listExisting(): Promise<readonly JournalEntry[]> {
    return this.readAll(COLUMNS, toEntry, COLUMNS, toEntry)
  }

  /**
   * Every row's summary in version order, when the caller knows that the table exists. As JSON, the columns get
   * one-letter names: at 10,000 rows the text is 2.2 MB where the whole rows' is 4.2 MB, and the driver copies and
   * JSON.parse reads every byte of it.
   */
  listSummaries(): Promise<readonly JournalSummary[]> {
    return this.readAll(SUMMARY_AS_JSON, fromSummaryJson, SUMMARY_COLUMNS, toSummary)
  }

  /**
   * The digest of every row's summary, computed by the server (JournalHooks.listWithDigest), and the summaries in version order
   * unless the digest is `known`, when the caller knows that the table exists. Undefined where the dialect or server
   * has no digest (MySQL, SQLite, PostgreSQL before 11): the caller reads the summaries with listSummaries.
   */
  async digestedSummaries(known: string | undefined): Promise<DigestedSummaries | undefined> {
    const sql = this.sql.listWithDigest?.(this.table, SUMMARY_COLUMNS, SUMMARY_AS_JSON)
    if (sql === undefined) return undefined
    // An empty string is never a digest: the rows come whatever the digest.
    let row: { digest: string; rows: string | null } | undefined
    try {
      ;[row] = await this.conn.query<{ digest: string; rows: string | null }>(sql, [known ?? ''])
    } catch {
      // A server without sha256() (before PostgreSQL 11): the rows are read without a digest (listSummaries), which
      // raises a connection's error again if that is what this was.
      return undefined
    }
    if (row === undefined) return undefined
    const summaries = row.rows === null ? undefined : (JSON.parse(row.rows) as SummaryJson[]).map(fromSummaryJson)
    return { digest: row.digest, summaries }
  }

  /**
   * Every row in version order, as the text of one JSON array of `jsonColumns` where the dialect has one
   * (JournalHooks.listAsJson), each element made into a result by `fromJson`; else as rows of `columns`, each by
   * `fromRow`.
   */
  private async readAll<J, R>(
    jsonColumns: string,
    fromJson: (element: J) => R,
    columns: string,
    fromRow: (row: Row) => R,
  ): Promise<readonly R[]> {
    const asJson = this.sql.listAsJson?.(this.table, jsonColumns)
    if (asJson !== undefined) {
      const [row] = await this.conn.query<{ rows: string }>(asJson)
      return (JSON.parse(row?.rows ?? '[]') as J[]).map(fromJson)
    }
    const rows = await this.conn.query<Row>(`select ${columns} from ${this.table} order by version`)
    return rows.map(fromRow)
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
      `insert into ${this.table} (${COLUMNS}) values ($1, $2, $3, $4, $5, ${this.sql.now}, $6, $7, $8, ${this.sql.json('$9')}, $10, $11, $12)`,
      values(entry),
    )
  }

  /**
   * The same INSERT as {@link insert}, as SQL text with the values inlined, so that it can travel in
   * one round trip together with the COMMIT of the migration it records. `elapsedSince`, for a row sent
   * before the statements it records have run (see {@link commitsInText}): the row's duration is
   * `entry.durationMs` plus the server's time since the text arrived (`'text'`), or since the row of
   * `{ afterRow: version }` was written earlier in the same text.
   */
  insertSql(
    entry: JournalWrite,
    options: { readonly elapsedSince?: 'text' | { readonly afterRow: string } } = {},
  ): string {
    // The parameters of insert(), in the same order: $1..$5, then applied_at, $6..$8, $9::jsonb, $10..$12.
    const quote = runtimeOf(this.conn.dialect).quoteLiteral
    const v = values(entry).map((value) => sqlLiteral(value, quote))
    const since = options.elapsedSince
    if (since !== undefined) {
      if (this.sql.elapsedMs === undefined) throw new Error(`the ${this.conn.dialect} journal cannot time a text`)
      const start =
        since === 'text' ? undefined : `(select applied_at from ${this.table} where version = ${quote(since.afterRow)})`
      v[5] = `${v[5]} + ${this.sql.elapsedMs(start)}`
    }
    const list = `${v.slice(0, 5).join(', ')}, ${this.sql.now}, ${v.slice(5, 8).join(', ')}, ${this.sql.json(v[8] as string)}, ${v.slice(9).join(', ')}`
    return `insert into ${this.table} (${COLUMNS}) values (${list})`
  }

  /**
   * Whether a migration's statements, its journal row and COMMIT may travel in one text, and several
   * migrations share one: the dialect's server times the text (JournalHooks.elapsedMs), which finishes
   * each row's duration.
   */
  get commitsInText(): boolean {
    return this.sql.elapsedMs !== undefined
  }

  /** The durations of those of `versions` that have a row: which of them committed, and how long each took. */
  async durationsOf(versions: readonly string[]): Promise<ReadonlyMap<string, number>> {
    if (versions.length === 0) return new Map()
    const list = versions.map((_, i) => `$${i + 1}`).join(', ')
    const rows = await this.conn.query<{ version: string; duration_ms: number }>(
      `select version, duration_ms from ${this.table} where version in (${list})`,
      versions,
    )
    return new Map(rows.map((r) => [r.version, Number(r.duration_ms)]))
  }

  /**
   * Updates a row, provided its progress is still `expectedCompleted` (optimistic check: progress
   * that moved under us means another writer, and the run stops rather than guess).
   */
  async update(entry: JournalWrite, expectedCompleted: number): Promise<void> {
    const sql = `update ${this.table} set name = $2, checksum = $3, status = $4, batch = $5, applied_at = ${this.sql.now},
         duration_ms = $6, completed_statements = $7, total_statements = $8, statement_hashes = ${this.sql.json('$9')}, error = $10,
         failed_statement = $11, origin = $12
       where version = $1 and completed_statements = $13`
    const params = [...values(entry), expectedCompleted]
    const matched =
      this.sql.rowCount === undefined
        ? (await this.conn.query(`${sql} returning version`, params)).length
        : await this.conn.query(sql, params).then(async () => {
            const [row] = await this.conn.query<{ n: number }>(this.sql.rowCount as string)
            return Number(row?.n ?? 0)
          })
    if (matched === 0) {
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
    ...toSummary(row),
    statementHashes: hashes as readonly string[],
    failedStatement: row.failed_statement ?? undefined,
  }
}

/**
 * A value as a SQL literal: integers as they are, null as NULL, strings quoted by the dialect's
 * `quoteLiteral` (PostgreSQL writes a string with a backslash as an E'' literal, which reads the same
 * whatever the session's standard_conforming_strings).
 */
export function sqlLiteral(value: unknown, quoteLiteral: (text: string) => string): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`not an integer for a SQL literal: ${value}`)
    return String(value)
  }
  return quoteLiteral(String(value))
}
