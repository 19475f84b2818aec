import { createScratchDatabase } from '../db/scratch.js'
import type { IntrospectOptions } from '../dialect/dialect.js'
import type { DialectName } from '../dialect/registry.js'
import { loadDialect } from '../dialect/runtimes.js'
import { diff } from '../diff/diff.js'
import { directPolicy } from '../plan/policy.js'
import { emptySchema, type Schema } from '../schema/model.js'
import { applyPlan } from './apply-plan.js'
import { type DeclaredIn, declaredSchemaRefused } from './declared-refused.js'
import { attachHints } from './hints.js'
import { readSqlRenameHints } from './sql-hints.js'

/**
 * Normalises a declared schema the only way that is exact: creates it in a scratch database and
 * introspects it back, so that defaults, checks and view definitions read as the server prints them.
 * Rename hints are carried across. Returns the dialect that normalised it too.
 */
export async function materializeSchema(
  declared: Schema,
  near?: string,
  introspect?: IntrospectOptions,
  declaredIn?: DeclaredIn,
): Promise<{ readonly schema: Schema; readonly dialect: DialectName }> {
  const scratch = await createScratchDatabase(near)
  try {
    // The scratch's dialect alone: the registry would load every dialect's planner (tens of ms for a SQLite push).
    const dialect = await loadDialect(scratch.conn.dialect)
    const normalized = dialect.normalize(declared)
    const plan = dialect.plan(diff(emptySchema, normalized, [], dialect).changes, directPolicy)
    await applyPlan(scratch.conn, plan).catch((error: unknown) => {
      // Only here is it known which database refused: the scratch is PGlite, a server's or SQLite's.
      throw declaredIn === undefined ? error : declaredSchemaRefused(error, dialect.title, declaredIn)
    })
    return {
      schema: attachHints(await dialect.introspect(scratch.conn, introspect), normalized),
      dialect: dialect.name,
    }
  } finally {
    await scratch.dispose()
  }
}

/** Attaches `-- keel:renamed-from` and `-- keel:backfill` comment hints of a SQL schema file to its introspected schema. */
export function withSqlHints(schema: Schema, sql: string): Schema {
  const hints = readSqlRenameHints(sql)
  const key = (schemaName: string | undefined, name: string) => `${schemaName ?? 'public'}.${name}`
  const tableHints = new Map(hints.tables.map((h) => [key(h.table.schema, h.table.name), h.from]))
  const columnHints = new Map(hints.columns.map((h) => [`${key(h.table.schema, h.table.name)}.${h.column}`, h.from]))
  const backfills = new Map(hints.backfills.map((h) => [`${key(h.table.schema, h.table.name)}.${h.column}`, h.expr]))
  return {
    ...schema,
    tables: schema.tables.map((table) => {
      const tableKey = key(table.name.schema, table.name.name)
      const from = tableHints.get(tableKey)
      const columns = table.columns.map((column) => {
        const columnFrom = columnHints.get(`${tableKey}.${column.name}`)
        const backfill = backfills.get(`${tableKey}.${column.name}`)
        return {
          ...column,
          ...(columnFrom ? { renamedFrom: columnFrom } : {}),
          ...(backfill ? { backfill } : {}),
        }
      })
      return from ? { ...table, columns, renamedFrom: { ...table.name, name: from } } : { ...table, columns }
    }),
  }
}
