import type { AlterTableStmt, PartitionCmd, RangeVar } from 'libpg-query'
import { assertNever } from '../../../assert-never.js'
import type { Connection } from '../../../db/connection.js'
import type { ParsedStatement } from '../../../lint/sql/parse.js'
import type { JournalRowRef, ResumeAnswer } from '../../runner.js'
import { quoteIdent } from '../quote.js'
import { statementEffect } from './statement-effects.js'

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
 * Decides how to run a statement that runs alone on PostgreSQL (see {@link BareRule}). `interrupted`:
 * the previous runner stopped with this statement next, so the catalog decides whether it ran; not
 * interrupted, only the leftovers of multi-transaction statements are looked for.
 */
export async function postgresResume(
  conn: Connection,
  statement: ParsedStatement,
  interrupted: boolean,
  row: JournalRowRef | undefined,
): Promise<ResumeAnswer> {
  const rule = bareRule(statement)
  switch (rule.kind) {
    case 'index-build':
      return indexBuildVerdict(conn, statement, interrupted, row)
    case 'detach':
      return detachVerdict(conn, statement, interrupted)
    case 'catalog': {
      if (!interrupted) return { kind: 'run' }
      const effect = await statementEffect(conn, statement)
      if (effect === undefined) return { kind: 'cannot-tell' }
      if (effect.actual === effect.expected)
        return { kind: 'done', reason: `${effect.object} is already ${effect.expected}` }
      return { kind: 'run' }
    }
    case 'repeatable':
      if (!interrupted) return { kind: 'run' }
      return { kind: 'run', notice: `the previous runner stopped at this statement; it runs again (${rule.why})` }
    case 'unknown':
      return interrupted ? { kind: 'cannot-tell' } : { kind: 'run' }
    default:
      return assertNever(rule)
  }
}

async function indexBuildVerdict(
  conn: Connection,
  statement: ParsedStatement,
  interrupted: boolean,
  row: JournalRowRef | undefined,
): Promise<ResumeAnswer> {
  const builtAfter = interrupted && row !== undefined ? await lastWrite(row) : undefined
  const effect = await statementEffect(conn, statement, builtAfter === undefined ? {} : { builtAfter })
  if (effect === undefined) {
    // Building again could leave two indexes where the migration asked for one.
    return interrupted ? { kind: 'cannot-tell' } : { kind: 'run' }
  }
  if (effect.actual === 'invalid' && 'IndexStmt' in statement.node) {
    const index = statement.node.IndexStmt
    if (effect.suspects !== undefined) return { kind: 'ambiguous', suspects: effect.suspects }
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
  statement: ParsedStatement,
  interrupted: boolean,
): Promise<ResumeAnswer> {
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
 * The transaction that last wrote the journal row, as text. A statement that runs alone starts after
 * that write commits, and its progress is the next write, so for an interrupted statement anything
 * the catalog shows as created later is the statement's own doing.
 */
async function lastWrite({ conn, table, version }: JournalRowRef): Promise<string | undefined> {
  const [found] = await conn.query<{ xmin: string }>(`select xmin::text as xmin from ${table} where version = $1`, [
    version,
  ])
  return found?.xmin
}
