import type { Connection } from '../../db/connection.js'
import { openDatabase } from '../../db/open.js'
import { createScratchDatabase } from '../../db/scratch.js'
import { isDatabaseUrl } from '../../db/url.js'
import { getDialect } from '../../dialect/registry.js'
import { runtimeOf } from '../../dialect/runtimes.js'
import { diff } from '../../diff/diff.js'
import { KeelError } from '../../errors.js'
import { directPolicy } from '../../plan/policy.js'
import { emptySchema, type Schema } from '../../schema/model.js'
import { applyPlan } from '../../source/apply-plan.js'
import { printKyselyTypes, type ViewColumns } from './print-kysely.js'

/**
 * Kysely types for a loaded source. Tables come from the schema model; views need their columns' types,
 * which only a database knows: the source's own database when it is one, else a scratch database where
 * the schema is created for the purpose (only when there are views).
 */
export async function kyselyTypes(src: string, schema: Schema, near: string | undefined): Promise<string> {
  if (schema.views.length === 0) return printKyselyTypes(schema, new Map())
  if (isDatabaseUrl(src)) {
    const conn = await openDatabase(src)
    try {
      return printKyselyTypes(schema, await readViewColumns(conn, schema))
    } finally {
      await conn.close()
    }
  }
  const scratch = await createScratchDatabase(near)
  try {
    const dialect = getDialect(scratch.conn.dialect)
    await applyPlan(scratch.conn, dialect.plan(diff(emptySchema, schema, [], dialect).changes, directPolicy))
    return printKyselyTypes(schema, await readViewColumns(scratch.conn, schema))
  } finally {
    await scratch.dispose()
  }
}

/** The columns of the schema's views, as the database of `conn` holds them (`DialectRuntime.viewColumns`). */
async function readViewColumns(conn: Connection, schema: Schema): Promise<ViewColumns> {
  const runtime = runtimeOf(conn.dialect)
  if (runtime.viewColumns === undefined)
    throw new KeelError('UNSUPPORTED', `Kysely types of views cannot be read from ${runtime.title} databases yet`)
  return (await runtime.viewColumns.load())(conn, schema)
}
