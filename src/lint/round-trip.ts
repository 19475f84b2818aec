import type { Connection } from '../db/connection.js'
import { KeelError } from '../errors.js'
import type { Migration } from '../migrate/directory.js'
import { loadMigrationModule, migrationDb } from '../migrate/module-migration.js'
import { execUnit, groupStatements, prepareStatements, StatementFailure } from '../migrate/prepare-statements.js'
import { replayMigration } from '../migrate/replay.js'

/**
 * What running one pending migration up → down → up on a scratch database showed: the checklist's "rollback
 * written and tested", proven rather than asked. Times are on the scratch database (an empty copy of the
 * schema), so they say nothing about production-sized data.
 */
export interface RoundTrip {
  readonly migration: string
  readonly verdict: 'ok' | 'no-down' | 'down-failed' | 'not-restored' | 'up-again-failed' | 'not-tried'
  /** What went wrong, or the differences between the schema before up and after down. */
  readonly detail?: string
  readonly upMs?: number
  readonly downMs?: number
  readonly upAgainMs?: number
}

/** How the round trip reads and compares schemas: the caller's introspection and diff (the same as drift's). */
export interface RoundTripProbe<S> {
  introspect(conn: Connection): Promise<S>
  /** One line per difference; empty when equal. */
  differences(from: S, to: S): readonly string[] | Promise<readonly string[]>
}

/**
 * Runs each migration up, down and up again on `conn` (a scratch database holding everything before them), in
 * order, comparing the schema after down with the one before up. Returns the schema after the last migration,
 * or `undefined` when a down left the database in a state the rest cannot be run from (the later migrations
 * are then `not-tried`). An up that fails throws, as replaying it does.
 */
export async function roundTrips<S>(
  conn: Connection,
  migrations: readonly Migration[],
  probe: RoundTripProbe<S>,
  onMigration?: (migration: Migration) => void,
): Promise<{ readonly trips: readonly RoundTrip[]; readonly final: S | undefined }> {
  const trips: RoundTrip[] = []
  let before = await probe.introspect(conn)
  let broken = false
  for (const migration of migrations) {
    if (broken) {
      trips.push({ migration: migration.id, verdict: 'not-tried', detail: 'an earlier down did not restore' })
      continue
    }
    onMigration?.(migration)
    const upMs = await timed(() => up(conn, migration))
    const after = await probe.introspect(conn)
    const trip = await downAndUp(conn, migration, before, after, probe)
    trips.push({ ...trip, upMs })
    if (trip.verdict === 'not-restored' || trip.verdict === 'up-again-failed') broken = true
    before = after
  }
  return { trips, final: broken ? undefined : before }
}

async function downAndUp<S>(
  conn: Connection,
  migration: Migration,
  before: S,
  after: S,
  probe: RoundTripProbe<S>,
): Promise<Omit<RoundTrip, 'upMs'>> {
  const id = migration.id
  let downMs: number
  try {
    const ran = await down(conn, migration)
    if (ran === undefined) return { migration: id, verdict: 'no-down' }
    downMs = ran
  } catch (error) {
    // In a transaction the failed down rolled back: the database is as up left it, and the next migration may run.
    return { migration: id, verdict: 'down-failed', detail: messageOf(error) }
  }
  const restored = await probe.differences(await probe.introspect(conn), before)
  if (restored.length > 0) return { migration: id, verdict: 'not-restored', detail: restored.join('\n'), downMs }
  try {
    const upAgainMs = await timed(() => up(conn, migration))
    const again = await probe.differences(await probe.introspect(conn), after)
    if (again.length > 0)
      return { migration: id, verdict: 'up-again-failed', detail: again.join('\n'), downMs, upAgainMs }
    return { migration: id, verdict: 'ok', downMs, upAgainMs }
  } catch (error) {
    return { migration: id, verdict: 'up-again-failed', detail: messageOf(error), downMs }
  }
}

/**
 * The migration's up as the caller read it: the text that was linted is the text tried, and reading the whole
 * directory again for each migration made a check of N pending migrations read it N times.
 */
function up(conn: Connection, migration: Migration): Promise<void> {
  return replayMigration(conn, migration)
}

/** Runs the migration's down as the runner groups it (nothing journaled); undefined when it has none. */
async function down(conn: Connection, migration: Migration): Promise<number | undefined> {
  const body = migration.down
  if (body === undefined) return undefined
  const noTransaction = migration.directives.noTransaction
  if (body.kind === 'module') {
    const mod = await loadMigrationModule(body.file, `${migration.id}/migration.ts`)
    const fn = mod.down
    if (fn === undefined) return undefined
    return timed(async () => {
      if (noTransaction) await fn(migrationDb(conn))
      else await conn.transaction((tx) => Promise.resolve(fn(migrationDb(tx))))
    })
  }
  const statements = await prepareStatements(body.file, body.text, conn.dialect)
  return timed(async () => {
    for (const unit of groupStatements(statements, noTransaction)) await execUnit(conn, unit, noTransaction)
  })
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const started = performance.now()
  await fn()
  return Math.round(performance.now() - started)
}

function messageOf(error: unknown): string {
  if (error instanceof StatementFailure) return error.located().message
  if (error instanceof KeelError) return error.message
  return error instanceof Error ? error.message : String(error)
}
