import { expect } from 'vitest'
import type { DialectName } from '../../src/dialect/runtimes.js'
import { formatFinding } from '../../src/lint/format-finding.js'
import { type LintOptions, lintSource } from '../../src/lint/lint.js'
import { parseFor } from '../../src/lint/lint-migration.js'
import { Positions } from '../../src/lint/positions.js'
import type { Finding, LiveFacts, MigrationInfo } from '../../src/lint/rule.js'

/** How a rule test runs its SQL: as a loose file (default) or as a migration folder's up.sql. */
export interface LintCaseOptions {
  readonly migration?: Partial<MigrationInfo>
  readonly live?: LiveFacts
  readonly assumeInTransaction?: boolean
  /** A dialect with rules of its own (MySQL): its statements are split as its runner splits them. */
  readonly dialect?: DialectName
  /** Tables a migration before this one in the same run validates a constraint on. */
  readonly validatedEarlier?: ReadonlySet<string>
}

/** Every finding of one rule on `sql`. */
export async function findingsOf(
  sql: string,
  ruleId: string,
  options: LintCaseOptions = {},
): Promise<readonly Finding[]> {
  const file = options.migration === undefined ? 'test.sql' : 'up.sql'
  const statements = await parseFor(sql, file, options.dialect === undefined ? {} : { dialect: options.dialect })
  const migration: MigrationInfo | undefined =
    options.migration === undefined
      ? undefined
      : { id: '20260101000000_test', noTransaction: false, hasDown: true, upFile: file, ...options.migration }
  const lintOptions: LintOptions = {
    ...(options.live === undefined ? {} : { live: options.live }),
    ...(options.assumeInTransaction === undefined ? {} : { assumeInTransaction: options.assumeInTransaction }),
    ...(options.dialect === undefined ? {} : { dialect: options.dialect }),
    ...(options.validatedEarlier === undefined ? {} : { validatedEarlier: options.validatedEarlier }),
  }
  const findings = await lintSource(
    { file, text: sql, statements, ...(migration === undefined ? {} : { migration }) },
    lintOptions,
  )
  return findings.filter((f) => f.rule === ruleId)
}

/** The exact text `keel lint` prints for one rule's findings on `sql` (squawk's snapshot style). */
export async function lintErrors(sql: string, ruleId: string, options: LintCaseOptions = {}): Promise<string> {
  const findings = await findingsOf(sql, ruleId, options)
  expect(findings.length, `expected ${ruleId} to fire on:\n${sql}`).toBeGreaterThan(0)
  const positions = new Positions(sql)
  return findings.map((f) => formatFinding(f, (line) => positions.lineText(line))).join('\n\n')
}

/** Asserts that a rule finds nothing in `sql`. */
export async function lintOk(sql: string, ruleId: string, options: LintCaseOptions = {}): Promise<void> {
  const findings = await findingsOf(sql, ruleId, options)
  expect(findings.map((f) => f.message)).toEqual([])
}

/** Live facts with the named tables at a given size (rows), for tests of context. */
export function liveTables(tables: Readonly<Record<string, number>>, serverVersion = 150000): LiveFacts {
  return {
    serverVersion,
    tables: new Map(
      Object.entries(tables).map(([key, rows]) => [key, { rows, bytes: rows * 100 + (rows > 0 ? 8192 : 0) }]),
    ),
  }
}
