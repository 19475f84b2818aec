import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { migrate } from '../../../src/migrate/runner.js'
import { withoutHints } from '../../../src/plan/phases.js'
import type { Schema } from '../../../src/schema/model.js'
import { withDatabase } from '../../support/databases.js'
import type { Target, TestProject } from './project.js'
import { renderPhased } from './render-phased.js'

/**
 * Renders the phased migrations from what `conn` holds to `goal`, applies them with `keel migrate`'s runner, and
 * returns their phases and files, and the differences then left between the database and the goal (none when it
 * converged). The goal's rename hints steer the plan; the database is compared with the goal without them.
 */
export async function migrateInPhases(project: TestProject, target: Target, goal: Schema) {
  const { dialect, rendered } = await renderPhased(target.conn, (): Schema => goal)
  for (const [i, m] of rendered.entries()) project.add(`2026010100000${i}_phase_${m.phase}`, m.files)
  await migrate({ ...target.options, migrationsDir: project.migrations })
  const now = await dialect.introspect(target.conn, { excludeTables: ['public.keel_migrations'] })
  const left = diff(now, withoutHints(goal)).changes
  return { phases: rendered.map((m) => m.phase), rendered, left }
}

/** The schema `sql` creates on PostgreSQL, as the server normalises it: built in a database of its own, read back. */
export function postgresSchemaOf(sql: string): Promise<Schema> {
  return withDatabase('postgres', async ({ conn }) => {
    await conn.exec(sql)
    return getDialect('postgres').introspect(conn)
  })
}

/** `goal` with column `to` of every table hinted as renamed from `from`. */
export function renamed(goal: Schema, from: string, to: string): Schema {
  return {
    ...goal,
    tables: goal.tables.map((t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === to ? { ...c, renamedFrom: from } : c)),
    })),
  }
}
