import type { Connection } from '../../../src/db/connection.js'
import type { Dialect } from '../../../src/dialect/dialect.js'
import { phaseDialectOf } from '../../../src/dialect/phase-dialect.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { type RenderedMigration, renderMigrations } from '../../../src/migrate/render-migration.js'
import { type PhaseDialect, planPhases } from '../../../src/plan/phases.js'
import type { Schema } from '../../../src/schema/model.js'

/** What renderPhased planned from: the connection's dialect and the goal. */
export interface PhasedMigrations {
  readonly dialect: Dialect
  readonly goal: Schema
  /** In order: expand, backfill, contract, a phase's concurrent builds a migration of their own. */
  readonly rendered: readonly RenderedMigration[]
}

/** The phased migrations from what `conn` holds to `goalOf` it, rendered as files with nothing unsafe accepted. */
export async function renderPhased(conn: Connection, goalOf: (from: Schema) => Schema): Promise<PhasedMigrations> {
  const dialect = getDialect(conn.dialect)
  const from = await dialect.introspect(conn)
  const goal = goalOf(from)
  const plan = planPhases(from, goal, [], phaseDialectOf(dialect) as PhaseDialect)
  const rendered = renderMigrations(plan ?? { dialect: 'postgres', steps: [] }, { unsafe: false, phased: true })
  return { dialect, goal, rendered }
}
