import type { PhaseDialect } from '../plan/phases.js'
import type { Dialect } from './dialect.js'

/**
 * The dialect as `planPhases` takes it (its planner, its expand/contract SQL and its spelling of names), or undefined
 * for a dialect that writes no phases (MySQL, SQLite).
 */
export function phaseDialectOf(
  dialect: Pick<Dialect, 'plan' | 'phaseSql' | 'quoteIdent' | 'defaultNamespace'>,
): PhaseDialect | undefined {
  const { phaseSql } = dialect
  if (phaseSql === undefined) return undefined
  return { plan: dialect.plan, phaseSql, quoteIdent: dialect.quoteIdent, defaultNamespace: dialect.defaultNamespace }
}
