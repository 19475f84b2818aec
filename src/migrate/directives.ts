import { KeelError } from '../errors.js'
import type { Phase } from '../plan/step.js'

/** A `-- keel:lint-ignore RULE_ID reason` directive. */
export interface LintIgnore {
  readonly ruleId: string
  readonly reason: string
  readonly line: number
}

/** What a migration's leading comments tell the runner and the linter. */
export interface Directives {
  /** `-- keel:no-transaction`: run every statement on its own, committing (and journaling) each. */
  readonly noTransaction: boolean
  /** `-- keel:phase expand|backfill|contract`. */
  readonly phase?: Phase
  readonly lintIgnores: readonly LintIgnore[]
  /** `-- keel:lock-timeout 10s`: this migration's `lock_timeout`, instead of the configured one. */
  readonly lockTimeout?: string
  /**
   * `-- keel:lock-deadline 5min`: how long this migration keeps retrying a statement that gives up waiting for a
   * lock (lock_timeout) before it fails, instead of the configured deadline.
   */
  readonly lockDeadlineMs?: number
  /** `-- keel:statement-timeout 5min`: this migration's `statement_timeout`. */
  readonly statementTimeout?: string
  /**
   * `-- keel:imported-from TOOL KEY [TABLE]`: written by `keel import`; the migration came from another tool's
   * folder, where KEY (URI-encoded) names it in that tool's own journal table, for `keel baseline --from-peer`.
   * TABLE (`[namespace.]table`, each part URI-encoded) is that table when the project named its own (a knexfile's
   * `migrations.tableName` and `schemaName`); without it, the tool's default.
   */
  readonly importedFrom?: {
    readonly tool: string
    readonly key: string
    readonly journal?: { readonly namespace?: string; readonly table: string }
  }
  /** `-- keel:batch-size 5000`: rows per batch of a backfill phase's UPDATE (migrate/backfill/). */
  readonly batchSize?: number
  /** `-- keel:batch-pause 50ms`: the pause between two batches of a backfill. */
  readonly batchPauseMs?: number
}

const KNOWN = [
  'no-transaction',
  'phase',
  'lint-ignore',
  'lock-timeout',
  'lock-deadline',
  'statement-timeout',
  'imported-from',
  'batch-size',
  'batch-pause',
] as const
const PHASES: readonly Phase[] = ['expand', 'backfill', 'contract']
/**
 * PostgreSQL's duration syntax for timeouts, restricted so that values can be quoted safely; `m` is accepted
 * too (as in --lock-wait 2m) and written `min`, so that one spelling works in flags, config and directives.
 */
const DURATION = /^(\d+(?:\.\d+)?)\s*(us|ms|s|m|min|h|d)?$/

/**
 * Reads the directives from the leading comment lines of a migration file (`--` comments in SQL,
 * `//` comments in a TypeScript migration). A `keel:` directive further down, or one Keel does not
 * know, is an error: a misspelt `-- keel:no-transaction` must not be silently ignored.
 * `keel:lint-ignore` may also precede a single statement further down; the linter reads those.
 */
export function parseDirectives(text: string, file: string, comment: '--' | '//' = '--'): Directives {
  // Every directive is written `keel:`: a file without it (most) has none, and needs no pass over its lines.
  if (!text.includes('keel:')) return { noTransaction: false, lintIgnores: [] }
  let directives: { -readonly [K in keyof Directives]: Directives[K] } = { noTransaction: false, lintIgnores: [] }
  let leading = true
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n?|\n/)
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim()
    const isComment = line.startsWith(comment)
    if (line !== '' && !isComment) leading = false
    if (!isComment) continue
    const match = /^keel:([a-z-]*)\s*(.*)$/.exec(line.slice(comment.length).trim())
    if (!match) continue
    const [, name = '', args = ''] = match
    const where = `${file}:${i + 1}`
    if (!(KNOWN as readonly string[]).includes(name)) {
      throw new KeelError(
        'MIGRATIONS_DIR',
        `${where}: unknown directive keel:${name}`,
        `Known directives: ${KNOWN.map((k) => `keel:${k}`).join(', ')}.`,
      )
    }
    if (!leading && name !== 'lint-ignore') {
      throw new KeelError(
        'MIGRATIONS_DIR',
        `${where}: the directive keel:${name} must be in the comments at the top of the file, before any statement`,
      )
    }
    directives = { ...directives, ...readDirective(name, args.trim(), where, i + 1, directives) }
  }
  return directives
}

function readDirective(
  name: string,
  args: string,
  where: string,
  line: number,
  current: Directives,
): Partial<Directives> {
  switch (name) {
    case 'no-transaction':
      if (args !== '') throw new KeelError('MIGRATIONS_DIR', `${where}: keel:no-transaction takes no argument`)
      return { noTransaction: true }
    case 'phase': {
      const phase = PHASES.find((p) => p === args)
      if (phase === undefined) {
        throw new KeelError(
          'MIGRATIONS_DIR',
          `${where}: keel:phase must be one of ${PHASES.join(', ')} (got "${args}")`,
        )
      }
      return { phase }
    }
    case 'lint-ignore': {
      const [ruleId = '', ...reason] = args.split(/\s+/)
      if (ruleId === '')
        throw new KeelError('MIGRATIONS_DIR', `${where}: keel:lint-ignore needs a rule id and a reason`)
      return { lintIgnores: [...current.lintIgnores, { ruleId, reason: reason.join(' '), line }] }
    }
    case 'lock-timeout':
    case 'statement-timeout': {
      if (!DURATION.test(args)) {
        throw new KeelError(
          'MIGRATIONS_DIR',
          `${where}: keel:${name} needs a duration such as 10s, 500ms or 2min (got "${args}")`,
        )
      }
      const value = postgresDuration(args) ?? args
      return name === 'lock-timeout' ? { lockTimeout: value } : { statementTimeout: value }
    }
    case 'lock-deadline': {
      const ms = durationMs(args)
      if (ms === undefined) {
        throw new KeelError(
          'MIGRATIONS_DIR',
          `${where}: keel:lock-deadline needs a duration such as 30s, 2min or 1h (got "${args}")`,
        )
      }
      return { lockDeadlineMs: ms }
    }
    case 'batch-size': {
      if (!/^[1-9]\d*$/.test(args))
        throw new KeelError(
          'MIGRATIONS_DIR',
          `${where}: keel:batch-size needs a row count such as 1000 (got "${args}")`,
        )
      return { batchSize: Number(args) }
    }
    case 'batch-pause': {
      const match = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(args)
      if (!match)
        throw new KeelError(
          'MIGRATIONS_DIR',
          `${where}: keel:batch-pause needs a duration such as 50ms or 1s (got "${args}")`,
        )
      return { batchPauseMs: Number(match[1]) * (match[2] === 's' ? 1000 : 1) }
    }
    case 'imported-from': {
      const [tool, key, table, ...rest] = args.split(/\s+/)
      const parts = table?.split('.').map(decodeURIComponent) ?? []
      if (tool === undefined || tool === '' || key === undefined || rest.length > 0 || parts.length > 2) {
        throw new KeelError(
          'MIGRATIONS_DIR',
          `${where}: keel:imported-from takes a tool, a key and optionally its journal table (got "${args}")`,
        )
      }
      const [first, second] = parts
      const journal =
        first === undefined ? undefined : second === undefined ? { table: first } : { namespace: first, table: second }
      return { importedFrom: { tool, key: decodeURIComponent(key), ...(journal === undefined ? {} : { journal }) } }
    }
    default:
      return {}
  }
}

/** Whether a timeout value is in the restricted PostgreSQL duration syntax Keel accepts. */
export function isDuration(value: string): boolean {
  return DURATION.test(value.trim())
}

/** A duration as PostgreSQL spells it (`2m` becomes `2min`: PostgreSQL has no `m`), or undefined if it is none. */
export function postgresDuration(value: string): string | undefined {
  const match = DURATION.exec(value.trim())
  if (match === null) return undefined
  return `${match[1]}${match[2] === 'm' ? 'min' : (match[2] ?? '')}`
}

const UNIT_MS: Readonly<Record<string, number>> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
}

/** A duration in milliseconds (a bare number is PostgreSQL's: milliseconds), or undefined if it is none. */
export function durationMs(value: string): number | undefined {
  const match = DURATION.exec(value.trim())
  if (match === null) return undefined
  return Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1)
}
