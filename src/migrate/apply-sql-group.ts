import type { Connection } from '../db/connection.js'
import { runtimeOf } from '../dialect/runtimes.js'
import { KeelError } from '../errors.js'
import { type ApplyContext, setupFor } from './apply-migration.js'
import { chainStatementHashes, committedStatementsProof } from './checksum.js'
import type { Migration } from './directory.js'
import { Journal, type JournalWrite } from './journal.js'
import { groupStatements, isEnumValueAddition, type PreparedStatement, StatementFailure } from './prepare-statements.js'
import type { FailedTry } from './run-transaction-unit.js'
import { BATCH_CHARS, batchStatements, failureAt, joinBatches, type StatementBatch } from './statement-batch.js'

/** A pending SQL migration with its parsed statements. */
export interface GroupMember {
  readonly migration: Migration
  readonly statements: readonly PreparedStatement[]
}

/** What a group's text did: the migrations it committed, in order, and the one it stopped at, if any. */
export interface GroupOutcome {
  readonly applied: readonly { readonly member: GroupMember; readonly durationMs: number }[]
  /**
   * The migration whose transaction failed and rolled back (nothing after it ran), announced (onStart): the runner
   * goes on with it alone.
   */
  readonly failed?: { readonly member: GroupMember; readonly firstTry: FailedTry }
}

/**
 * Whether a pending migration may share a text with its neighbours (see {@link applySqlGroup}): its statements
 * are one transaction of ordinary statements (no `-- keel:no-transaction`, no phase, nothing that runs alone or
 * in a transaction of its own, no enum value), the server times texts (the journal rows are written before their
 * statements run), and its session settings applied cleanly earlier in the run, so that an error of the text is
 * never theirs.
 */
export function mayShareText(ctx: ApplyContext, member: GroupMember): boolean {
  const { migration, statements } = member
  if (ctx.batched !== true || !ctx.journal.commitsInText) return false
  if (migration.up.kind !== 'sql' || migration.directives.noTransaction || migration.directives.phase !== undefined)
    return false
  if (statements.length === 0 || statements.some(isEnumValueAddition)) return false
  const units = groupStatements(statements, false)
  if (units.length !== 1 || units[0]?.kind !== 'transaction') return false
  return ctx.appliedSetups?.has(setupFor(ctx, migration)) === true
}

/** The SQL a member adds to a text, about: a group stays under BATCH_CHARS. */
export function textSize(member: GroupMember): number {
  return member.statements.reduce((sum, s) => sum + s.sql.length + 3, 200)
}

/** Most migrations in one text: a group's size doubles from 2 up to this while its texts succeed. */
export const MAX_GROUP = 64

/**
 * Consecutive members from the start of `candidates` that may share a text, up to the first that is not a
 * pending SQL migration (undefined): at most `size` of them and about BATCH_CHARS of SQL (the first always).
 */
export function takeGroup(
  ctx: ApplyContext,
  candidates: readonly (GroupMember | undefined)[],
  size: number,
): readonly GroupMember[] {
  const group: GroupMember[] = []
  let chars = 0
  for (const member of candidates) {
    if (member === undefined || group.length >= size || !mayShareText(ctx, member)) break
    chars += textSize(member)
    if (group.length > 0 && chars > BATCH_CHARS) break
    group.push(member)
  }
  return group
}

/**
 * Applies consecutive pending migrations in one round trip, each in its own transaction with its journal row:
 * `settings; BEGIN; statements; journal row; COMMIT` for each, one after the other in one text. A migration
 * commits whole with its row or not at all, exactly as when it travels alone (run-transaction-unit.ts); the
 * server times each row (from the row before it, or from the text's arrival for the first).
 *
 * The server stops a text at its first error: the migrations before the failing one have committed, the failing
 * one rolls back, the rest never ran. The journal says which committed; the failing one is handed back with how
 * its try failed, for the runner to go on with it alone exactly as if that try had been its own (a lock timeout
 * waits and retries, a runtime error is looked for statement by statement, a cancel stops the run). A killed
 * runner leaves a session that commits the text's migrations in order up to where it stops; the next runner waits
 * for it and reads the journal (session.ts).
 *
 * Progress: a migration is announced (onStart) when the text goes out, for the first, or when the one before it
 * is seen committed; a text that runs longer than a second is watched on the monitor session, so that a slow
 * migration in it is named while it runs.
 */
export async function applySqlGroup(
  ctx: ApplyContext,
  members: readonly GroupMember[],
  /** The group's text, when it was built beforehand (groupText): the runner builds a text while the one before runs. */
  batch: StatementBatch = groupText(ctx, members),
): Promise<GroupOutcome> {
  const versions = members.map((m) => m.migration.version)
  const progress = groupProgress(ctx, members)
  progress.start(0)
  const watch = watchGroup(ctx, versions, progress)
  let error: unknown
  let read: ReadonlyMap<string, number> | undefined
  try {
    read = await runText(ctx.conn, batch.text, durationsSql(ctx, versions))
  } catch (caught) {
    error = caught
    // The failing migration's transaction block is aborted (or, after a failed COMMIT, gone: a warning only).
    await ctx.conn.exec('ROLLBACK').catch(() => {})
  } finally {
    watch.stop()
  }
  const durations =
    read ??
    (await ctx.journal.durationsOf(versions).catch((cause) => {
      throw error === undefined ? cause : lostInGroup(ctx.conn, members, error)
    }))
  const committed = members.findIndex((m) => !durations.has(m.migration.version))
  const done = committed === -1 ? members.length : committed
  if (members.slice(done).some((m) => durations.has(m.migration.version))) {
    throw new KeelError(
      'MIGRATION_FAILED',
      `the journal holds a row of a migration after ${members[done]?.migration.id}, which did not commit; another process wrote to it`,
      'Run `keel status` to see the state.',
    )
  }
  const applied = members.slice(0, done).map((member) => ({
    member,
    durationMs: durations.get(member.migration.version) ?? 0,
  }))
  progress.committed(durations)
  const member = members[done]
  if (member === undefined) return { applied }
  // The runner goes on with it alone (applySqlUp), which leaves its announcement to the group.
  progress.start(done)
  if (error === undefined) throw new Error(`the text of ${member.migration.id} ran without error but did not commit it`)
  const located = failureAt(batch, error, ctx.conn.serverEncoding)
  const [only] = member.statements
  const failure =
    located !== undefined && member.statements.includes(located.statement)
      ? located
      : member.statements.length === 1 && only !== undefined
        ? new StatementFailure(only, error)
        : undefined
  return { applied, failed: { member, firstTry: { error, failure } } }
}

/**
 * The text that applies `members` (see applySqlGroup): each one's settings, BEGIN, statements, journal row and COMMIT.
 * Pure: it reads only the members and the run's settings, so that it may be built while the server runs the text
 * before it.
 */
export function groupText(ctx: ApplyContext, members: readonly GroupMember[]): StatementBatch {
  return joinBatches(
    members.map((member, i) => {
      const before = members[i - 1]
      const row = ctx.journal.insertSql(appliedRow(ctx, member), {
        elapsedSince: before === undefined ? 'text' : { afterRow: before.migration.version },
      })
      return {
        batch: batchStatements(`${setupFor(ctx, member.migration)};\nBEGIN;\n`, member.statements),
        suffix: `\n;\n${row};\nCOMMIT`,
      }
    }),
  )
}

/**
 * Runs a group's text; where the driver returns each statement's rows (queryBatch), the text ends with `durations`,
 * a read of its members' journal rows, and their durations come back with it: the text ran whole, so every member
 * committed, and no second round trip asks which. Undefined otherwise (the caller asks the journal).
 */
async function runText(
  conn: Connection,
  text: string,
  durations: string,
): Promise<ReadonlyMap<string, number> | undefined> {
  if (conn.queryBatch === undefined) {
    await conn.exec(text)
    return undefined
  }
  const results = await conn.queryBatch([text, durations])
  const rows = (results.at(-1) ?? []) as readonly { version: unknown; duration_ms: unknown }[]
  return new Map(rows.map((r) => [String(r.version), Number(r.duration_ms)]))
}

/** The read of `versions`' journal rows that ends a group's text (runText), their literals inlined. */
function durationsSql(ctx: ApplyContext, versions: readonly string[]): string {
  const quote = runtimeOf(ctx.conn.dialect).quoteLiteral
  return `select version, duration_ms from ${ctx.journal.table} where version in (${versions.map(quote).join(', ')})`
}

/** The journal row of a member applied whole; its duration is the server's (see applySqlGroup). */
function appliedRow(ctx: ApplyContext, { migration, statements }: GroupMember): JournalWrite {
  return {
    version: migration.version,
    name: migration.name,
    checksum: migration.checksum,
    status: 'applied',
    batch: ctx.batch,
    durationMs: 0,
    completedStatements: statements.length,
    totalStatements: statements.length,
    statementHashes: committedStatementsProof(chainStatementHashes(statements.map((s) => s.hash)), statements.length),
    error: undefined,
    failedStatement: undefined,
    origin: 'migrate',
  }
}

/** The connection was lost while the text ran: which migrations committed is in the journal, for the next run. */
function lostInGroup(conn: Connection, members: readonly GroupMember[], error: unknown): KeelError {
  const first = members[0]?.migration.id
  const last = members.at(-1)?.migration.id
  const message = error instanceof Error ? error.message : String(error)
  return new KeelError(
    'CONNECTION_LOST',
    `lost the connection to ${conn.description} while migrations ${first} to ${last} ran, each in its own transaction with its journal row: ${message}`,
    'Each of them committed with its journal row or not at all: `keel status` shows which, and `keel migrate` goes on from there.',
    { cause: error },
  )
}

interface GroupProgress {
  /** Announces the members up to `i` that are not yet announced. */
  start(i: number): void
  /** Reports each member from the first not yet reported that has a row in `durations`, in order, as done. */
  committed(durations: ReadonlyMap<string, number>): void
}

/** onStart and onDone of a group's members, each once and in order, as a lone migration's would come. */
function groupProgress(ctx: ApplyContext, members: readonly GroupMember[]): GroupProgress {
  let announced = 0
  let reported = 0
  const start = (i: number) => {
    for (; announced <= i && announced < members.length; announced++) {
      ctx.events.onStart?.((members[announced] as GroupMember).migration, 'up', undefined)
    }
  }
  return {
    start,
    committed(durations) {
      for (; reported < members.length; reported++) {
        const { migration } = members[reported] as GroupMember
        const durationMs = durations.get(migration.version)
        if (durationMs === undefined) return
        start(reported)
        ctx.events.onDone?.(migration, 'up', durationMs)
      }
    },
  }
}

/** How often a running text is asked how far it got, after it has run that long. */
const WATCH_MS = 1000

/**
 * While a text runs longer than WATCH_MS, reads on the monitor session (the runner lock's, idle meanwhile) which
 * of its migrations have committed, reports them and announces the next one. Nothing without a monitor (PGlite).
 */
function watchGroup(ctx: ApplyContext, versions: readonly string[], progress: GroupProgress): { stop(): void } {
  const monitor = ctx.monitor
  if (monitor === undefined) return { stop() {} }
  const journal = new Journal(monitor, ctx.journal.schema)
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const tick = async () => {
    const durations = await journal.durationsOf(versions).catch(() => undefined)
    if (stopped) return
    if (durations !== undefined) {
      progress.committed(durations)
      progress.start(durations.size)
    }
    timer = setTimeout(tick, WATCH_MS)
  }
  timer = setTimeout(tick, WATCH_MS)
  return {
    stop() {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
    },
  }
}
