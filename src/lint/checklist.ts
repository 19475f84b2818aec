import type { RoundTrip } from './round-trip.js'
import type { Finding, Rule } from './rule.js'

/**
 * `pass`: proven (by lint or by running the migration); `warn`: a warning-level finding; `fail`: an error-level
 * finding or a failed proof; `question`: a tool cannot prove it, so the reviewer is asked.
 */
export type ChecklistVerdict = 'pass' | 'warn' | 'fail' | 'question'

/** One item of the brief's Migration Safety Checklist, judged for the pending migrations. */
export interface ChecklistItem {
  readonly item: string
  readonly verdict: ChecklistVerdict
  readonly details: readonly string[]
}

/** What the checklist is judged from. */
export interface ChecklistInput {
  /** Every lint rule (lint/registry.ts `loadAllRules`): a dialect's own rules name the items they answer. */
  readonly rules: readonly Rule[]
  /** The pending migrations' lint findings. */
  readonly findings: readonly Finding[]
  /** The up → down → up proofs; undefined when they were not run (`--no-round-trip`). */
  readonly roundTrips: readonly RoundTrip[] | undefined
  /** Pending migrations that run outside a transaction (`-- keel:no-transaction`). */
  readonly noTransaction: readonly string[]
  /**
   * Whether the database can run DDL in a transaction (`capabilities.transactionalDdl`); default true. MySQL and
   * MariaDB commit each DDL statement implicitly, so no migration there runs in one transaction.
   */
  readonly transactionalDdl?: boolean
  /**
   * Why lint did not run (`no SQL lint for this dialect`): the items only lint can prove are then asked, not
   * passed for want of findings.
   */
  readonly notLinted?: string
  /**
   * Whether a rule applies to the database's dialect (default: every rule). An item none of whose rules applies
   * (CONCURRENTLY on SQLite, NOT VALID on MySQL) is said not to apply, not passed as if checked.
   */
  readonly applies?: (ruleId: string) => boolean
}

/**
 * The shared lint rules behind each item a tool can prove statically. A finding of one of them is the item's
 * answer; the registry test checks that every id named here is a rule. A dialect's own rules name their items
 * themselves (`Rule.checklist`), so that a dialect adds a rule without editing this list.
 */
export const CHECKLIST_RULES = {
  compatible: [
    'ban-drop-column',
    'ban-drop-table',
    'ban-rename-column',
    'ban-rename-table',
    'ban-rename-enum-value',
    'ban-column-read-by-view',
    'ban-alter-column-type',
    'ban-drop-schema',
    'ban-drop-cascade',
  ],
  locks: [
    'require-concurrent-index',
    'require-concurrent-drop-index',
    'require-concurrent-reindex',
    'require-concurrent-partition-detach',
    'ban-alter-column-type',
    'ban-set-not-null',
    'ban-lock-table',
    'ban-vacuum-full',
    'ban-cluster',
    'ban-truncate',
    'ban-volatile-default',
    'ban-add-exclusion-constraint',
    'ban-add-stored-generated-column',
    'ban-alter-domain-add-constraint',
    'require-using-index-for-key',
    'require-not-valid-check',
    'require-not-valid-foreign-key',
    'ban-validate-in-same-transaction',
    'ban-ddl-with-dml',
    'ban-unbounded-update-delete',
    'ban-table-copy',
  ],
  concurrently: [
    'require-concurrent-index',
    'require-concurrent-drop-index',
    'require-concurrent-reindex',
    'ban-concurrent-in-transaction',
  ],
  notNull: ['require-default-for-not-null-column', 'ban-set-not-null'],
  validated: ['require-not-valid-foreign-key', 'require-not-valid-check', 'ban-validate-in-same-transaction'],
  transaction: [
    'require-no-transaction-directive',
    'ban-concurrent-in-transaction',
    'ban-uncommitted-transaction',
    'ban-nested-transaction',
    'ban-enum-add-value-in-transaction',
  ],
} as const satisfies Record<string, readonly string[]>

/** One of the checklist's items that lint rules prove (`CHECKLIST_RULES`). */
export type ChecklistGroup = keyof typeof CHECKLIST_RULES

/** Every rule behind a checklist item: the shared ones listed above, and the rules that name the item themselves. */
export function checklistRules(group: ChecklistGroup, rules: readonly Rule[]): readonly string[] {
  const own = rules.filter((rule) => rule.checklist?.includes(group) === true).map((rule) => rule.id)
  return [...CHECKLIST_RULES[group], ...own]
}

/**
 * Judges the brief's checklist item by item. Pure: lint and the round trips have run already.
 *
 * @example
 * ```ts
 * checklist({ findings: [], roundTrips: [], noTransaction: [] }).at(-1)?.verdict // 'question' (review)
 * ```
 */
export function checklist(input: ChecklistInput): readonly ChecklistItem[] {
  const byRules = (ids: readonly string[], passed: string, unproven?: string): Omit<ChecklistItem, 'item'> => {
    const found = input.findings.filter((f) => ids.includes(f.rule))
    if (input.notLinted !== undefined)
      return { verdict: 'question', details: [`not checked (${input.notLinted}): a reviewer has to look`] }
    if (input.applies !== undefined && !ids.some(input.applies))
      return { verdict: 'pass', details: ['does not apply: this database has no such operation'] }
    if (found.length === 0)
      return { verdict: unproven === undefined ? 'pass' : 'question', details: [unproven ?? passed] }
    return {
      verdict: found.some((f) => f.severity === 'error') ? 'fail' : 'warn',
      details: found.map((f) => `${f.file}:${f.line}: ${f.rule}: ${f.message}`),
    }
  }
  return [
    {
      item: 'Migration is backward-compatible with current application code',
      ...byRules(
        checklistRules('compatible', input.rules),
        '',
        'no drop, rename or retype found; does the running release rely on anything else this changes?',
      ),
    },
    {
      item: 'No table locks on large tables during peak hours',
      ...byRules(
        checklistRules('locks', input.rules),
        'no statement holds a blocking lock through a scan or rewrite of an existing table',
      ),
    },
    {
      item: 'Data migration tested on production-sized dataset (measure duration)',
      verdict: 'question',
      details: [
        `the round trip ran on an empty scratch database; how long does it take on production-sized data?${durations(input.roundTrips)}`,
      ],
    },
    { item: 'Rollback migration written and tested', ...rollback(input.roundTrips) },
    {
      item: 'Indexes created CONCURRENTLY where supported (PostgreSQL)',
      ...byRules(
        checklistRules('concurrently', input.rules),
        'every index on an existing table is built or dropped CONCURRENTLY',
      ),
    },
    {
      item: 'No NOT NULL added to existing column without default value',
      ...byRules(checklistRules('notNull', input.rules), 'no NOT NULL without a default or a validated check'),
    },
    {
      item: 'Foreign key constraints validated separately from creation (large tables)',
      ...byRules(
        checklistRules('validated', input.rules),
        'every constraint on an existing table is added NOT VALID and validated later',
      ),
    },
    { item: 'Migration runs in a transaction where supported', ...transaction(input) },
    {
      item: 'Reviewed by at least one other engineer for production databases',
      verdict: 'question',
      details: ['a tool cannot prove this: has another engineer reviewed these migrations?'],
    },
  ]
}

function rollback(trips: readonly RoundTrip[] | undefined): Omit<ChecklistItem, 'item'> {
  if (trips === undefined) return { verdict: 'question', details: ['not run (--no-round-trip): is each down tested?'] }
  if (trips.length === 0) return { verdict: 'pass', details: ['no pending migrations'] }
  const details = trips.map((t) => `${t.migration}: ${describeTrip(t)}`)
  if (trips.some((t) => t.verdict !== 'ok' && t.verdict !== 'no-down')) return { verdict: 'fail', details }
  return { verdict: trips.some((t) => t.verdict === 'no-down') ? 'warn' : 'pass', details }
}

/** One line about a round trip, for the report. */
export function describeTrip(trip: RoundTrip): string {
  const ms = (n: number | undefined) => (n === undefined ? '?' : `${n} ms`)
  switch (trip.verdict) {
    case 'ok':
      return `up ${ms(trip.upMs)}, down ${ms(trip.downMs)} (schema restored), up again ${ms(trip.upAgainMs)}`
    case 'no-down':
      return `up ${ms(trip.upMs)}; no down, so it cannot be rolled back`
    case 'down-failed':
      return `up ${ms(trip.upMs)}; down failed: ${trip.detail ?? ''}`
    case 'not-restored':
      return `up ${ms(trip.upMs)}, down ${ms(trip.downMs)}, but down did not restore the schema; it left these to do:\n    ${(trip.detail ?? '').split('\n').join('\n    ')}`
    case 'up-again-failed':
      return `up ${ms(trip.upMs)}, down ${ms(trip.downMs)}; up after down failed: ${trip.detail ?? ''}`
    case 'not-tried':
      return `not tried: ${trip.detail ?? ''}`
  }
}

function durations(trips: readonly RoundTrip[] | undefined): string {
  const timed = (trips ?? []).filter((t) => t.upMs !== undefined)
  return timed.length === 0 ? '' : ` (${timed.map((t) => `${t.migration} up ${t.upMs} ms`).join(', ')})`
}

function transaction(input: ChecklistInput): Omit<ChecklistItem, 'item'> {
  const found = input.findings.filter((f) => checklistRules('transaction', input.rules).includes(f.rule))
  const outside = input.noTransaction.map((id) => `${id} runs outside a transaction (-- keel:no-transaction)`)
  if (input.transactionalDdl === false)
    return {
      verdict: found.some((f) => f.severity === 'error') ? 'fail' : found.length > 0 ? 'warn' : 'pass',
      details: [
        ...found.map((f) => `${f.file}:${f.line}: ${f.rule}: ${f.message}`),
        'not supported here: this database commits each DDL statement on its own, so a migration runs statement by statement (journaled; a failure half-way leaves it partial, and keel migrate resumes from the failed statement)',
      ],
    }
  if (found.length > 0)
    return {
      verdict: found.some((f) => f.severity === 'error') ? 'fail' : 'warn',
      details: [...found.map((f) => `${f.file}:${f.line}: ${f.rule}: ${f.message}`), ...outside],
    }
  return {
    verdict: 'pass',
    details: outside.length > 0 ? outside : ['each pending migration runs in one transaction'],
  }
}
