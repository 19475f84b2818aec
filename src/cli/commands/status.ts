import { redactUrl } from '../../db/url.js'
import { openChecksumCache } from '../../migrate/checksum-cache.js'
import { displayPath, type MigrationHead } from '../../migrate/directory.js'
import { inFlightChanges } from '../../migrate/in-flight.js'
import type { StatusReport } from '../../migrate/read-status.js'
import { type AnyMigrationState, describeState, idOf } from '../../migrate/status.js'
import { type RenderedStatus, readRenderedStatus } from '../../migrate/status-snapshot.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'
import { colors } from '../output.js'
import { isMissingEmbeddedDatabase, isProject, noProject } from '../read-only.js'
import { keelBuild } from '../version.js'

/**
 * `keel status`: applied, pending, partial/failed, edited and missing migrations, and keel.sum.
 * Read-only (no lock, no journal creation). Exits 1 when it finds a problem.
 */
export const registerStatus: RegisterCommand = (program, run) => {
  withGlobalOptions(
    program.command('status').description('show applied, pending, partial and edited migrations'),
  ).action(
    run(async (ctx) => {
      // Reading an embedded database that does not exist would create it: nothing is applied there yet.
      const noDatabase = isMissingEmbeddedDatabase(ctx.url, ctx.cwd)
      if (noDatabase && !isProject(ctx)) throw noProject(ctx)
      const options = {
        url: noDatabase ? undefined : ctx.url,
        migrationsDir: ctx.config.migrations,
        journalSchema: ctx.config.journalSchema,
        lastUse: true,
        // Folders whose files have not changed since a run read them are not read again (checksum-cache.ts).
        checksumCache: openChecksumCache(ctx.cacheFolder, ctx.config.migrations, keelBuild()),
      }
      // The machine form only when asked for: for a thousand migrations it is a thousand objects and dates. Its text
      // is recorded and printed again as the plain form's is (status-snapshot.ts), in a form of its own.
      if (ctx.out.json) {
        const rendered = await readRenderedStatus(options, 'json', (report) => ({
          text: JSON.stringify(statusJson(report, !noDatabase), null, 2),
          code: report.problems.length > 0 ? 1 : 0,
        }))
        // As ctx.out.result prints a value (output.ts), from the text already made: the same bytes either way.
        process.stdout.write(`${redactUrl(rendered.text)}\n`)
        return rendered.code
      }
      // The text as printed last time while nothing it is made from changed (status-snapshot.ts).
      const rendered = await readRenderedStatus(options, colors.isColorSupported ? 'colour' : 'plain', renderStatus)
      const against = noDatabase
        ? `${redactUrl(ctx.url)} (no database yet: \`keel migrate\` creates it)`
        : redactUrl(ctx.url)
      // Two writes for the whole report rather than one per migration. The heading apart from the report: it holds
      // the URL, and output.ts redacts a text holding `://` by scanning all of it with three regular expressions,
      // where one without takes a literal search (at 10,000 migrations the report is 730 kB, and those scans were
      // ~15M instructions). Each is redacted as it was joined: no URL, password or line crosses the newline.
      ctx.out.line(`Migrations in ${displayPath(ctx.config.migrations)} against ${against}:`)
      ctx.out.line(rendered.text)
      return rendered.code
    }),
  )
}

/** The report as `keel status` prints it after its first line, and its exit code: 1 when it finds a problem. */
export function renderStatus(report: StatusReport<MigrationHead>): RenderedStatus {
  const lines: string[] = []
  if (report.states.length === 0) lines.push('  (none)')
  const width = Math.max(0, ...report.states.map((s) => idOf(s).length))
  for (const state of report.states) lines.push(`  ${idOf(state).padEnd(width)}  ${paint(state)}`)
  const counts = new Map<string, number>()
  for (const state of report.states) counts.set(state.kind, (counts.get(state.kind) ?? 0) + 1)
  const summary = [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ')
  const total = report.states.length
  lines.push(`${total} migration${total === 1 ? '' : 's'}${summary ? `: ${summary}` : ''}.`)
  const inFlight = inFlightChanges(report.states)
  if (inFlight.length > 0) {
    lines.push('In flight (expanded, not yet contracted; the old and the new release both work until the contract):')
    for (const c of inFlight)
      lines.push(
        `  ${c.change}: ${c.stage}${c.next === undefined ? ', no contract migration yet' : `, next ${c.next}`}`,
      )
  }
  for (const problem of report.problems) lines.push(`${colors.red(`error[${problem.code}]`)}: ${problem.message}`)
  // (migration-options.ts is not imported for its two helpers: it loads the whole runner, which status never needs.)
  return { text: lines.join('\n'), code: report.problems.length > 0 ? 1 : 0 }
}

function paint(state: AnyMigrationState): string {
  const text = describeState(state)
  switch (state.kind) {
    case 'applied':
      return colors.green(text)
    case 'pending':
      return state.outOfOrder ? colors.yellow(text) : text
    default:
      return colors.red(text)
  }
}

/** The machine form of a status report. */
export function statusJson(report: StatusReport<MigrationHead>, database = true): unknown {
  return {
    /** False when the (embedded) database does not exist yet. */
    database,
    journal: report.journalExists,
    migrations: report.states.map((s) => {
      const entry = s.kind === 'pending' ? undefined : s.entry
      return {
        id: idOf(s),
        version: s.kind === 'missing' ? s.entry.version : s.migration.version,
        state: s.kind,
        ...(s.kind === 'pending' ? { outOfOrder: s.outOfOrder } : {}),
        ...(entry === undefined
          ? {}
          : {
              appliedAt: entry.appliedAt.toISOString(),
              batch: entry.batch,
              durationMs: entry.durationMs,
              completedStatements: entry.completedStatements,
              totalStatements: entry.totalStatements ?? null,
              error: entry.error ?? null,
              origin: entry.origin,
            }),
      }
    }),
    inFlight: inFlightChanges(report.states),
    problems: report.problems,
  }
}
