import type { AlterTableStmt, PartitionCmd, RangeVar } from 'libpg-query'
import { assertNever } from '../assert-never.js'
import type { Connection } from '../db/connection.js'
import { quoteIdent } from '../dialect/postgres/quote.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import type { ParsedStatement } from '../lint/sql/parse.js'
import type { Migration } from './directory.js'
import type { Journal, JournalEntry } from './journal.js'
import { type PreparedStatement, StatementFailure } from './prepare-statements.js'
import { statementEffect } from './statement-effects.js'

/** What to do with a statement that runs alone, given what the catalog says. */
export type ResumeVerdict =
  /** Run it. `notice`: why running it (again) is safe, said when it may have run before. */
  | { readonly kind: 'run'; readonly notice?: string }
  /** The statement's effect is already there: it completed just before the previous runner stopped. */
  | { readonly kind: 'done'; readonly reason: string }
  /** A concurrent index build failed or was interrupted and left an INVALID index: drop it, then build again. */
  | { readonly kind: 'rebuild'; readonly reason: string; readonly dropSql: string }
  /** A DETACH PARTITION ... CONCURRENTLY stopped between its transactions: finish it instead. */
  | { readonly kind: 'finish'; readonly reason: string; readonly sql: string }

/** The journal row of the migration the statement belongs to. */
export interface JournalRow {
  readonly journal: Journal
  readonly version: string
}

/**
 * How a statement that runs alone (outside a transaction, so that its effect commits without its
 * journal record) is judged when the runner may have stopped while it ran:
 *
 * - `index-build`: CREATE INDEX CONCURRENTLY. Its build spans several transactions; an INVALID index
 *   is a leftover to drop and build again, a valid one (for an index without a name: one of its shape
 *   created after the journal's last write) is the statement's completed work.
 * - `detach`: DETACH PARTITION ... CONCURRENTLY (two transactions): a partition still `pending` is
 *   finished with DETACH ... FINALIZE; one no longer attached was detached.
 * - `catalog`: one atomic commit whose effect the catalog shows (DROP INDEX CONCURRENTLY, CREATE/DROP
 *   DATABASE, TABLESPACE or SUBSCRIPTION, ALTER TYPE ... ADD VALUE on servers before 12): present (or
 *   absent, for a drop) means it committed.
 * - `repeatable`: running it again leaves the database as running it once does (VACUUM, REINDEX,
 *   CLUSTER, ALTER SYSTEM, DISCARD ALL, ALTER DATABASE ... SET TABLESPACE, ALTER SUBSCRIPTION ...
 *   REFRESH), so it runs again.
 * - `unknown`: anything else PostgreSQL refuses in a transaction; Keel stops rather than guess.
 */
export type BareRule =
  | { readonly kind: 'index-build' | 'detach' | 'catalog' | 'unknown' }
  | { readonly kind: 'repeatable'; readonly why: string }

export function bareRule(statement: Pick<ParsedStatement, 'node'>): BareRule {
  const node = statement.node
  if ('IndexStmt' in node) return { kind: node.IndexStmt.concurrent === true ? 'index-build' : 'unknown' }
  if ('AlterTableStmt' in node) return { kind: detachCommand(node.AlterTableStmt) === undefined ? 'unknown' : 'detach' }
  if (
    'DropStmt' in node ||
    'AlterEnumStmt' in node ||
    'CreatedbStmt' in node ||
    'DropdbStmt' in node ||
    'CreateTableSpaceStmt' in node ||
    'DropTableSpaceStmt' in node ||
    'CreateSubscriptionStmt' in node ||
    'DropSubscriptionStmt' in node
  )
    return { kind: 'catalog' }
  if ('VacuumStmt' in node) return { kind: 'repeatable', why: 'vacuuming again changes nothing more' }
  if ('ReindexStmt' in node) return { kind: 'repeatable', why: 'reindexing again rebuilds the same indexes' }
  if ('ClusterStmt' in node) return { kind: 'repeatable', why: 'clustering again leaves the same order' }
  if ('AlterSystemStmt' in node) return { kind: 'repeatable', why: 'it writes the same setting again' }
  if ('DiscardStmt' in node) return { kind: 'repeatable', why: 'it only resets this session' }
  if ('AlterDatabaseStmt' in node) return { kind: 'repeatable', why: 'moving a database where it is does nothing' }
  if ('AlterSubscriptionStmt' in node) return { kind: 'repeatable', why: 'it sets the same publications again' }
  return { kind: 'unknown' }
}

/**
 * Decides how to run a statement that runs alone. `interrupted`: the previous runner stopped (was
 * killed, lost its connection) with this statement next, so it may have run, in full or in part,
 * without its progress being journaled; its session may even have finished it after the runner died
 * (the runner waits for such sessions first, see session.ts). Then the catalog decides (see
 * {@link BareRule}), and where it cannot, Keel stops with PARTIAL_MIGRATION and points at `keel
 * resolve`. Not interrupted (a first run, or a resume after an error the server reported), only the
 * leftovers of multi-transaction statements are looked for.
 */
export async function resumeVerdict(
  conn: Connection,
  statement: PreparedStatement,
  interrupted: boolean,
  row?: JournalRow,
): Promise<ResumeVerdict> {
  const ownEffect = runtimeOf(conn.dialect).runner.statementEffect
  if (ownEffect !== undefined) {
    if (!interrupted) return { kind: 'run' }
    const effect = await ownEffect(conn, statement.sql)
    if (effect === undefined) throw cannotTell(statement, row)
    if ('repeatable' in effect)
      return {
        kind: 'run',
        notice: `the previous runner stopped at this statement; it runs again (${effect.repeatable})`,
      }
    return effect.done
      ? { kind: 'done', reason: `${effect.object}` }
      : { kind: 'run', notice: `the previous runner stopped at this statement; ${effect.object}, so it runs` }
  }
  const rule = bareRule(statement)
  switch (rule.kind) {
    case 'index-build':
      return indexBuildVerdict(conn, statement, interrupted, row)
    case 'detach':
      return detachVerdict(conn, statement, interrupted)
    case 'catalog': {
      if (!interrupted) return { kind: 'run' }
      const effect = await statementEffect(conn, statement)
      if (effect === undefined) throw cannotTell(statement, row)
      if (effect.actual === effect.expected)
        return { kind: 'done', reason: `${effect.object} is already ${effect.expected}` }
      return { kind: 'run' }
    }
    case 'repeatable':
      if (!interrupted) return { kind: 'run' }
      return { kind: 'run', notice: `the previous runner stopped at this statement; it runs again (${rule.why})` }
    case 'unknown':
      if (!interrupted) return { kind: 'run' }
      throw cannotTell(statement, row)
    default:
      return assertNever(rule)
  }
}

async function indexBuildVerdict(
  conn: Connection,
  statement: PreparedStatement,
  interrupted: boolean,
  row: JournalRow | undefined,
): Promise<ResumeVerdict> {
  const builtAfter = interrupted && row !== undefined ? await lastWrite(row) : undefined
  const effect = await statementEffect(conn, statement, builtAfter === undefined ? {} : { builtAfter })
  if (effect === undefined) {
    // Building again could leave two indexes where the migration asked for one.
    if (interrupted) throw cannotTell(statement, row)
    return { kind: 'run' }
  }
  if (effect.actual === 'invalid' && 'IndexStmt' in statement.node) {
    const index = statement.node.IndexStmt
    if (effect.suspects !== undefined) throw ambiguousLeftover(statement, effect.suspects)
    const schema = effect.schema ?? index.relation?.schemaname
    const target = `${schema === undefined ? '' : `${quoteIdent(schema)}.`}${quoteIdent((effect.name ?? index.idxname) as string)}`
    return {
      kind: 'rebuild',
      reason: `${effect.object} is INVALID (left by a concurrent build that failed or was interrupted)`,
      dropSql: `DROP INDEX CONCURRENTLY IF EXISTS ${target}`,
    }
  }
  if (interrupted && effect.actual === effect.expected) {
    return { kind: 'done', reason: `${effect.object} is already ${effect.expected}` }
  }
  return { kind: 'run' }
}

/**
 * DETACH PARTITION ... CONCURRENTLY commits twice: first the partition is marked `inhdetachpending`,
 * then, after waiting out the queries that may still see it, it is detached. Stopped in between (a
 * cancel, a lost server session), it must be finished with FINALIZE: running it again fails.
 */
async function detachVerdict(
  conn: Connection,
  statement: PreparedStatement,
  interrupted: boolean,
): Promise<ResumeVerdict> {
  const node = statement.node
  const detach = 'AlterTableStmt' in node ? detachCommand(node.AlterTableStmt) : undefined
  const parent = 'AlterTableStmt' in node ? node.AlterTableStmt.relation : undefined
  const child = detach?.name
  if (parent?.relname === undefined || child?.relname === undefined) return { kind: 'run' }
  const rows = await conn.query<{ pending: boolean }>(
    `select inhdetachpending as pending from pg_catalog.pg_inherits
      where inhrelid = to_regclass($1) and inhparent = to_regclass($2)`,
    [relationName(child), relationName(parent)],
  )
  const [found] = rows
  const partition = `partition ${displayName(child)} of ${displayName(parent)}`
  if (found?.pending === true) {
    return {
      kind: 'finish',
      reason: `${partition} is pending detach (a DETACH ... CONCURRENTLY stopped between its two transactions)`,
      sql: `ALTER TABLE ${relationName(parent)} DETACH PARTITION ${relationName(child)} FINALIZE`,
    }
  }
  if (interrupted && found === undefined) return { kind: 'done', reason: `${partition} is already detached` }
  return { kind: 'run' }
}

function detachCommand(stmt: AlterTableStmt): PartitionCmd | undefined {
  for (const item of stmt.cmds ?? []) {
    if (!('AlterTableCmd' in item)) continue
    const { subtype, def } = item.AlterTableCmd
    if (subtype === 'AT_DetachPartition' && def !== undefined && 'PartitionCmd' in def && def.PartitionCmd.concurrent)
      return def.PartitionCmd
  }
  return undefined
}

function relationName(rel: RangeVar): string {
  const name = quoteIdent(rel.relname as string)
  return rel.schemaname === undefined ? name : `${quoteIdent(rel.schemaname)}.${name}`
}

function displayName(rel: RangeVar): string {
  return rel.schemaname === undefined ? (rel.relname as string) : `${rel.schemaname}.${rel.relname}`
}

/**
 * Keel cannot tell whether a statement that ran outside a transaction took effect before the previous
 * runner stopped: it stops, and a person decides with `keel resolve`.
 */
function cannotTell(statement: PreparedStatement, row: JournalRow | undefined): KeelError {
  const n = statement.index + 1
  const version = row?.version ?? 'VERSION'
  return new KeelError(
    'PARTIAL_MIGRATION',
    `${statement.file}:${statement.line}: statement ${n} runs outside a transaction and the previous runner stopped at it; Keel cannot tell from the catalog whether it took effect, so it does not run it again`,
    `Check the database. If the statement took effect, record that with \`keel resolve ${version} --through ${n}\`; if it did not, with \`keel resolve ${version} --through ${n - 1}\`. Then run \`keel migrate\` again.`,
  )
}

/**
 * The transaction that last wrote the journal row, as text. A statement that runs alone starts after
 * that write commits, and its progress is the next write, so for an interrupted statement anything
 * the catalog shows as created later is the statement's own doing.
 */
async function lastWrite({ journal, version }: JournalRow): Promise<string | undefined> {
  const [found] = await journal.conn.query<{ xmin: string }>(
    `select xmin::text as xmin from ${journal.table} where version = $1`,
    [version],
  )
  return found?.xmin
}

/**
 * A failure of the statement, so that it is journaled and reported like one: building the index
 * again would leave every INVALID one in place, and dropping one of them may drop the wrong one.
 */
function ambiguousLeftover(statement: PreparedStatement, suspects: readonly string[]): StatementFailure {
  const cause = Object.assign(
    new Error(
      `INVALID indexes ${suspects.join(', ')} each fit this CREATE INDEX CONCURRENTLY without a name; Keel does not guess which one a failed build left`,
    ),
    {
      detail:
        'drop them with DROP INDEX CONCURRENTLY (an INVALID index serves no query), or name the index in the statement, then run `keel migrate` again',
    },
  )
  return new StatementFailure(statement, cause)
}

/**
 * Checks that the statements a partial migration already committed are still the ones in its file
 * (by hash), so that resuming at the next statement is sound. Statements after them may have been
 * edited: that is how a person fixes the statement that failed.
 */
export function assertResumable(
  migration: Migration,
  entry: JournalEntry,
  statements: readonly PreparedStatement[],
): void {
  const done = entry.completedStatements
  if (statements.length < done) {
    throw new KeelError(
      'CHECKSUM_MISMATCH',
      `${migration.id} is ${entry.status} after ${done} committed statements, but its up now has only ${statements.length}`,
      resumeHint(migration),
    )
  }
  for (let i = 0; i < done; i++) {
    const statement = statements[i] as PreparedStatement
    if (entry.statementHashes[i] !== statement.hash) {
      throw new KeelError(
        'CHECKSUM_MISMATCH',
        `${migration.id} is ${entry.status} after ${done} committed statements, but statement ${i + 1} (${statement.file}:${statement.line}) changed since it ran`,
        resumeHint(migration),
      )
    }
  }
}

function resumeHint(migration: Migration): string {
  return `Only statements after the committed ones may change. Restore them, or decide with \`keel resolve ${migration.version} --applied|--rolled-back\`.`
}
