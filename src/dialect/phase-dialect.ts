import type { PhaseDialect } from '../plan/phases.js'
import type { Dialect } from './dialect.js'

/**
 * The dialect as `planPhases` takes it (its planner, its expand/contract SQL and its spelling of names), or undefined
 * for a dialect that writes no phases (MySQL, SQLite). With what its differ needs as `diff()` from a command gets it:
 * the table hierarchy (without it a child un-inherited or a partition detached in the same plan as a phased change
 * stood alone, and the expand added the columns it already holds: 42701) and the reader of expressions, which finds
 * what names a recreated enum in a cast (cli/diff-options.ts). The phase pass reads expressions with it anyway, so
 * the caller prepares it first (`PhaseSql.prepare`).
 */
export function phaseDialectOf(
  dialect: Pick<Dialect, 'plan' | 'phaseSql' | 'quoteIdent' | 'defaultNamespace' | 'tableHierarchy'>,
): PhaseDialect | undefined {
  const { phaseSql } = dialect
  if (phaseSql === undefined) return undefined
  return {
    plan: dialect.plan,
    phaseSql,
    quoteIdent: dialect.quoteIdent,
    defaultNamespace: dialect.defaultNamespace,
    ...(dialect.tableHierarchy === undefined ? {} : { tableHierarchy: dialect.tableHierarchy }),
    references: phaseSql.references,
  }
}
