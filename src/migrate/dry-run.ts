import type { DialectName } from '../dialect/registry.js'
import { groupStatements, type PreparedStatement, sessionSetup, unitStatements } from './prepare-statements.js'
import type { MigrationState } from './status.js'

interface DryRunSettings {
  readonly lockTimeout: string
  readonly statementTimeout: string
  readonly journalTable: string
  readonly dialect: DialectName
}

/**
 * The SQL `keel migrate` would run, exactly as it would run it: session settings, transaction
 * boundaries, and where the journal is written (as comments, since those statements carry data).
 */
export function renderDryRun(
  run: readonly Extract<MigrationState, { kind: 'pending' | 'partial' | 'failed' }>[],
  prepared: ReadonlyMap<string, readonly PreparedStatement[]>,
  settings: DryRunSettings,
): string {
  const out: string[] = []
  for (const state of run) {
    const m = state.migration
    const from = state.kind === 'pending' ? 0 : state.entry.completedStatements
    out.push(`-- ${m.id}${from > 0 ? ` (resuming at statement ${from + 1})` : ''}`)
    out.push(
      `${sessionSetup(m.directives.lockTimeout ?? settings.lockTimeout, m.directives.statementTimeout ?? settings.statementTimeout, settings.dialect).replaceAll('; ', ';\n')};`,
    )
    const statements = prepared.get(m.id)
    if (statements === undefined) {
      out.push(`-- runs up(db) of ${m.id}/migration.ts${m.directives.noTransaction ? '' : ' in a transaction'}`)
      out.push(`-- records ${m.version} in ${settings.journalTable}`, '')
      continue
    }
    let done = from
    for (const unit of groupStatements(statements.slice(from), m.directives.noTransaction)) {
      const list = unitStatements(unit)
      done += list.length
      if (unit.kind === 'transaction') out.push('BEGIN;')
      else
        out.push(
          `-- runs alone, outside a transaction${unit.statement.nonTransactional ? ` (${unit.statement.nonTransactional})` : ''}`,
        )
      for (const s of list) out.push(`-- ${s.file}:${s.line}`, `${s.sql};`)
      out.push(`-- records ${m.version} at statement ${done} of ${statements.length} in ${settings.journalTable}`)
      if (unit.kind === 'transaction') out.push('COMMIT;')
    }
    if (statements.length === from) out.push(`-- records ${m.version} (no statements) in ${settings.journalTable}`)
    out.push('')
  }
  return out.join('\n')
}
