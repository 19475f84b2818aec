import { existsSync } from 'node:fs'
import { devUrlOf } from '../../config/database-url.js'
import type { Connection } from '../../db/connection.js'
import { openDatabase } from '../../db/open.js'
import { createScratchDatabase } from '../../db/scratch.js'
import { parseDatabaseUrl } from '../../db/url.js'
import type { Dialect, DialectRuntime, IntrospectOptions } from '../../dialect/dialect.js'
import { getDialect } from '../../dialect/registry.js'
import { diff } from '../../diff/diff.js'
import { KeelError } from '../../errors.js'
import { type RoundTrip, roundTrips } from '../../lint/round-trip.js'
import { type Migration, readMigrationsDirectory } from '../../migrate/directory.js'
import { JOURNAL_TABLE } from '../../migrate/journal.js'
import { sumDrafts } from '../../migrate/keel-sum.js'
import { readStatus, type StatusProblem } from '../../migrate/read-status.js'
import { replayMigrations } from '../../migrate/replay.js'
import { describeStep } from '../../plan/describe-step.js'
import { directPolicy } from '../../plan/policy.js'
import type { Schema } from '../../schema/model.js'
import { serverNear } from '../../source/load-source.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import type { CommandContext } from '../context.js'
import { diffOptionsFor } from '../diff-options.js'
import { describeQuestion } from '../format/questions.js'
import { colors } from '../output.js'
import { isMissingEmbeddedDatabase, isProject, noProject } from '../read-only.js'
import { checklistOf, lintCheck, lintJson, reportSafety, roundTripCheck } from './check-safety.js'
import { introspectOptionsOf, loadForCommand } from './shared.js'

interface CheckFlags {
  readonly schema?: string
  /** `--no-round-trip`: skip running each pending migration up, down and up again. */
  readonly roundTrip?: boolean
}

/** One verdict of `keel check`. */
interface CheckResult {
  readonly name: string
  readonly ok: boolean | 'skipped'
  readonly problems: readonly StatusProblem[]
  readonly note?: string
}

/**
 * `keel check`: the CI gate. keel.sum matches the directory; no applied migration was edited or lost,
 * none stopped part-way, none pending out of order; the database equals its applied migrations
 * replayed on a scratch database; all the migrations produce the schema; the pending migrations pass lint
 * and each runs up, down and up again on the scratch database. Then the brief's Migration Safety Checklist,
 * item by item. Exit 1 with a report when a check fails (lint warnings alone do not).
 */
export const registerCheck: RegisterCommand = (program, run) => {
  withGlobalOptions(
    program.command('check').description('CI gate: keel.sum, edited migrations, drift, schema vs migrations'),
  )
    .option('--schema <src>', 'the desired schema (default: the schema file from the config, when it exists)')
    .option('--no-round-trip', 'do not run each pending migration up, down and up again on the scratch database')
    .action(run<CheckFlags>((ctx, flags) => check(ctx, flags)))
}

async function check(ctx: CommandContext, flags: CheckFlags): Promise<number> {
  // Only an unconfigured default may be absent: a gate that skips a misspelt schema path passes without checking it.
  if (flags.schema === undefined && ctx.config.schemaConfigured && !existsSync(ctx.config.schema)) {
    throw new KeelError(
      'CONFIG',
      `the schema file ${ctx.config.schema} named in ${ctx.config.configFile ?? 'the config'} does not exist`,
      'Fix `schema` in the config, or remove it (then `keel check` skips the schema check).',
    )
  }
  // An embedded database that does not exist yet has nothing applied; reading it would create it.
  const noDatabase = isMissingEmbeddedDatabase(ctx.url, ctx.cwd)
  if (noDatabase && !isProject(ctx)) throw noProject(ctx)
  const status = await readStatus({
    url: noDatabase ? undefined : ctx.url,
    migrationsDir: ctx.config.migrations,
    journalSchema: ctx.config.journalSchema,
  })
  const results: CheckResult[] = [
    {
      name: 'keel.sum matches the migrations directory',
      ...verdict([...status.problems.filter((p) => p.code === 'SUM_MISMATCH'), ...draftProblems(ctx)]),
    },
    {
      name: 'the journal agrees with the directory',
      ...verdict(status.problems.filter((p) => p.code !== 'SUM_MISMATCH')),
    },
  ]
  const applied = new Set(
    status.states.flatMap((s) => (s.kind === 'applied' || s.kind === 'modified' ? [s.migration.version] : [])),
  )
  const unfinished = status.states.some((s) => s.kind === 'partial' || s.kind === 'failed' || s.kind === 'missing')
  const pending = readMigrationsDirectory(ctx.config.migrations).migrations.filter((m) => !applied.has(m.version))
  const lint = await lintCheck(ctx, pending, noDatabase)
  let trips: readonly RoundTrip[] | undefined
  const near = devUrlOf(ctx.config) ?? (await serverNear(ctx.url))
  const scratch = await createScratchDatabase(near)
  const transactionalDdl = getDialect(scratch.conn.dialect).capabilities.transactionalDdl
  try {
    const dialect = getDialect(scratch.conn.dialect)
    const introspect = checkIntrospectOptions(ctx, dialect)
    ctx.out.progress('replaying the applied migrations on a scratch database')
    await replayMigrations(scratch.conn, ctx.config.migrations, { only: (m) => applied.has(m.version) })
    if (unfinished || noDatabase) {
      results.push({
        name: 'the database matches its applied migrations',
        ok: 'skipped',
        problems: [],
        note: noDatabase ? 'no database yet' : 'a migration stopped part-way',
      })
    } else {
      const live = await introspectLive(ctx.url, introspect)
      const expected = await dialect.introspect(scratch.conn, introspect)
      results.push({
        name: 'the database matches its applied migrations',
        ...(await differences(dialect, expected, live, 'DRIFT', 'the database differs from its migrations')),
      })
    }
    const pendingSchema = await replayPending(ctx, flags, scratch.conn, pending, (conn) =>
      dialect.introspect(conn, introspect),
    )
    trips = pendingSchema.trips
    if (pendingSchema.final === undefined)
      results.push({
        name: 'the migrations produce the schema',
        ok: 'skipped',
        problems: [],
        note: 'a down left the scratch database in an unknown state',
      })
    else results.push(await schemaCheck(ctx, flags, near, dialect, pendingSchema.final))
    results.push({ name: lint.name, ok: lint.ok, problems: lint.problems, ...(lint.note ? { note: lint.note } : {}) })
    results.push(roundTripCheck(trips))
  } finally {
    await scratch.dispose()
  }
  const items = await checklistOf(lint, trips, pending, transactionalDdl, parseDatabaseUrl(ctx.url).kind)
  ctx.out.result({ ok: !results.some((r) => r.ok === false), checks: results, lint: lintJson(lint), checklist: items })
  report(ctx, results)
  reportSafety(ctx, lint, items)
  return results.some((r) => r.ok === false) ? 1 : 0
}

/**
 * Applies the pending migrations to the scratch database: each up, down and up again (the checklist's rollback,
 * proven), or only up with `--no-round-trip`. Returns the schema they produce, undefined when a down broke it.
 */
async function replayPending(
  ctx: CommandContext,
  flags: CheckFlags,
  conn: Connection,
  pending: readonly Migration[],
  introspect: (conn: Connection) => Promise<Schema>,
): Promise<{ readonly trips: readonly RoundTrip[] | undefined; readonly final: Schema | undefined }> {
  if (flags.roundTrip === false) {
    ctx.out.progress('replaying the pending migrations')
    const only = new Set(pending.map((m) => m.version))
    await replayMigrations(conn, ctx.config.migrations, { only: (m) => only.has(m.version) })
    return { trips: undefined, final: await introspect(conn) }
  }
  const dialect = getDialect(conn.dialect)
  return roundTrips(
    conn,
    pending,
    {
      introspect,
      differences: (from, to) => plannedDifferences(dialect, from, to),
    },
    (m) => ctx.out.progress(`running ${m.id} up, down and up again on the scratch database`),
  )
}

async function schemaCheck(
  ctx: CommandContext,
  flags: CheckFlags,
  near: string | undefined,
  dialect: Dialect,
  replayed: Schema,
): Promise<CheckResult> {
  const name = 'the migrations produce the schema'
  const src = flags.schema ?? ctx.config.schema
  if (flags.schema === undefined && !existsSync(src))
    return { name, ok: 'skipped', problems: [], note: 'no schema file' }
  const desired = await loadForCommand(ctx, src, near)
  return {
    name,
    ...(await differences(
      dialect,
      replayed,
      desired.schema,
      'DRIFT',
      'the schema has changes no migration makes (run `keel generate`)',
    )),
  }
}

/** The differences between two schemas as problems, one per statement `dialect` would plan. */
async function differences(
  dialect: Dialect,
  from: Schema,
  to: Schema,
  code: 'DRIFT',
  headline: string,
): Promise<Pick<CheckResult, 'ok' | 'problems'>> {
  const details = await plannedDifferences(dialect, from, to)
  if (details.length === 0) return { ok: true, problems: [] }
  return { ok: false, problems: [{ code, message: `${headline}:\n    ${details.join('\n    ')}` }] }
}

/**
 * One line per statement `dialect` would plan from `from` to `to`, and per rename question: diffed with the options
 * `generate`, `diff` and `push` use (diffOptionsFor: the parser's references when an enum changes values), so that
 * check and generate see the same changes. A plan Keel refuses to make is one line saying why.
 */
async function plannedDifferences(dialect: Dialect, from: Schema, to: Schema): Promise<readonly string[]> {
  const result = diff(from, to, [], await diffOptionsFor(dialect, from, to))
  const questions = result.questions.map(describeQuestion)
  try {
    const steps = dialect.plan(result.changes, directPolicy, { from, to }).steps
    return [...steps.map(describeStep), ...questions]
  } catch (error) {
    if (!(error instanceof KeelError)) throw error
    return [`Keel cannot plan these changes: ${error.message}`, ...questions]
  }
}

/** The CI gate is strict: a draft (a migration keel.sum does not pin yet) must be sealed before it is merged. */
function draftProblems(ctx: CommandContext): StatusProblem[] {
  return [...sumDrafts(readMigrationsDirectory(ctx.config.migrations))].map((id) => ({
    code: 'SUM_MISMATCH' as const,
    message: `${id} is a draft in keel.sum (no checksum yet): apply it with \`keel migrate\`, or review it and run \`keel sum --rehash\``,
  }))
}

function verdict(problems: readonly StatusProblem[]): Pick<CheckResult, 'ok' | 'problems'> {
  return { ok: problems.length === 0, problems }
}

/**
 * Keel's journal is not part of the schema; nor is its namespace when it has one of its own (in a
 * dialect that has namespaces at all).
 */
function checkIntrospectOptions(ctx: CommandContext, dialect: DialectRuntime): IntrospectOptions {
  const base = introspectOptionsOf(ctx)
  const own = dialect.capabilities.schemas && ctx.config.journalSchema !== dialect.defaultNamespace
  return {
    ...base,
    excludeTables: [...(base.excludeTables ?? []), JOURNAL_TABLE],
    ...(own ? { excludeNamespaces: [...(base.excludeNamespaces ?? []), ctx.config.journalSchema] } : {}),
  }
}

async function introspectLive(url: string, options: IntrospectOptions): Promise<Schema> {
  const conn: Connection = await openDatabase(url, 'keel check')
  try {
    return await getDialect(conn.dialect).introspect(conn, options)
  } finally {
    await conn.close()
  }
}

function report(ctx: CommandContext, results: readonly CheckResult[]): void {
  for (const r of results) {
    const mark = r.ok === 'skipped' ? colors.dim('-') : r.ok ? colors.green('✓') : colors.red('✗')
    ctx.out.line(`${mark} ${r.name}${r.ok === 'skipped' ? colors.dim(` (skipped: ${r.note})`) : ''}`)
    for (const p of r.problems) ctx.out.line(`  ${colors.red(`error[${p.code}]`)}: ${p.message}`)
  }
}
