import { openDatabase } from '../../db/open.js'
import { createScratchDatabase } from '../../db/scratch.js'
import { isDatabaseUrl } from '../../db/url.js'
import { getDialect } from '../../dialect/registry.js'
import { diff } from '../../diff/diff.js'
import { directPolicy } from '../../plan/policy.js'
import { emptySchema, type Schema } from '../../schema/model.js'
import { applyPlan } from '../../source/apply-plan.js'
import { printKyselyTypes } from './print-kysely.js'
import { readViewColumns } from './view-columns.js'

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
    await applyPlan(scratch.conn, dialect.plan(diff(emptySchema, schema).changes, directPolicy))
    return printKyselyTypes(schema, await readViewColumns(scratch.conn, schema))
  } finally {
    await scratch.dispose()
  }
}
