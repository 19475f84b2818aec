import { openDatabase } from '../../db/open.js'
import { parseDatabaseUrl } from '../../db/url.js'
import type { DialectName } from '../../dialect/runtimes.js'
import { type ChecklistItem, checklist, describeTrip } from '../../lint/checklist.js'
import type { LintedFile } from '../../lint/lint-migration.js'
import { readLiveFacts } from '../../lint/live-facts.js'
import { loadAllRules } from '../../lint/registry.js'
import type { RoundTrip } from '../../lint/round-trip.js'
import type { LiveFacts } from '../../lint/rule.js'
import type { Migration } from '../../migrate/directory.js'
import type { StatusProblem } from '../../migrate/read-status.js'
import type { CommandContext } from '../context.js'
import { countFindings, renderJson, renderPretty } from '../format/lint-report.js'
import { colors } from '../output.js'

/** The lint verdict of `keel check`: the pending migrations, judged as `keel migrate` would judge them. */
export interface LintCheck {
  readonly name: string
  readonly ok: boolean | 'skipped'
  readonly problems: readonly StatusProblem[]
  readonly note?: string
  readonly linted: readonly LintedFile[]
}

/**
 * Lints the pending migrations with the live database's facts (table sizes, server version) when there is a
 * database, else assuming every existing table is large and busy.
 */
export async function lintCheck(
  ctx: CommandContext,
  pending: readonly Migration[],
  noDatabase: boolean,
): Promise<LintCheck> {
  const name = 'the pending migrations pass lint'
  if (pending.length === 0) return { name, ok: true, problems: [], linted: [] }
  // Every dialect is linted as itself, with the rules its dialect list names (as `keel migrate` lints).
  const dialect = parseDatabaseUrl(ctx.url).kind
  // No database yet: no table exists, so each one is created by a pending migration before it is used.
  const live: LiveFacts = noDatabase ? { tables: new Map() } : await liveFacts(ctx.url)
  const { lintMigrationsInOrder } = await import('../../lint/lint-migration.js')
  const linted: LintedFile[] = await lintMigrationsInOrder(
    pending.map((migration) => ({ migration })),
    { severities: ctx.config.lint.rules, live, dialect },
  )
  const { errors } = countFindings(linted)
  return {
    name,
    ok: errors === 0,
    problems:
      errors === 0
        ? []
        : [{ code: 'UNSAFE_MIGRATION', message: `${errors} error finding${errors === 1 ? '' : 's'} (see below)` }],
    linted,
  }
}

/** The up → down → up verdict of `keel check`. */
export function roundTripCheck(trips: readonly RoundTrip[] | undefined) {
  const name = 'each pending migration runs up, down and up again on a scratch database'
  if (trips === undefined) return { name, ok: 'skipped' as const, problems: [], note: '--no-round-trip' }
  const failed = trips.filter((t) => t.verdict !== 'ok' && t.verdict !== 'no-down')
  return {
    name,
    ok: failed.length === 0,
    problems: failed.map((t) => ({ code: 'MIGRATION_FAILED' as const, message: `${t.migration}: ${describeTrip(t)}` })),
  }
}

/** The checklist of the pending migrations, for the report and `--json`. */
export async function checklistOf(
  lint: LintCheck,
  trips: readonly RoundTrip[] | undefined,
  pending: readonly Migration[],
  transactionalDdl = true,
  dialect?: DialectName,
): Promise<readonly ChecklistItem[]> {
  const allRules = await loadAllRules()
  return checklist({
    rules: allRules,
    findings: lint.linted.flatMap((f) => f.findings),
    roundTrips: trips,
    noTransaction: pending.filter((m) => m.directives.noTransaction).map((m) => m.id),
    transactionalDdl,
    ...(lint.ok === 'skipped' ? { notLinted: lint.note ?? 'lint skipped' } : {}),
    ...(dialect === undefined
      ? {}
      : {
          applies: (id: string) => {
            const rule = allRules.find((r) => r.id === id)
            return rule !== undefined && (rule.dialects === 'all' || rule.dialects.includes(dialect))
          },
        }),
  })
}

/** The lint findings (as `keel lint` prints them) and the checklist, after the verdict lines. */
export function reportSafety(ctx: CommandContext, lint: LintCheck, items: readonly ChecklistItem[]): void {
  if (lint.linted.some((f) => f.findings.length > 0)) {
    ctx.out.line('')
    ctx.out.line(renderPretty(lint.linted))
  }
  ctx.out.line('')
  ctx.out.line('Migration Safety Checklist (pending migrations):')
  const marks = {
    pass: colors.green('✓'),
    warn: colors.yellow('!'),
    fail: colors.red('✗'),
    question: colors.cyan('?'),
  } as const
  for (const item of items) {
    ctx.out.line(`${marks[item.verdict]} ${item.item}`)
    for (const detail of item.details) if (detail !== '') ctx.out.line(`    ${detail}`)
  }
}

/** The lint part of `keel check --json`. */
export function lintJson(lint: LintCheck): unknown {
  return renderJson(lint.linted)
}

async function liveFacts(url: string): Promise<LiveFacts> {
  const conn = await openDatabase(url, 'keel check')
  try {
    return await readLiveFacts(conn)
  } finally {
    await conn.close()
  }
}
