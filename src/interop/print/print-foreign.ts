import type { DialectName } from '../../dialect/runtimes.js'
import { loadRuntime } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import type { Schema } from '../../schema/model.js'
import type { PrintedSchema } from './foreign-printers.js'

/**
 * A schema in another tool's language, for the dialect it was read from (its Prisma provider, its drizzle-orm
 * core: the dialect's own printers), and what that language could not say.
 */
export async function printForeignSchema(
  format: 'prisma' | 'drizzle',
  schema: Schema,
  dialect: DialectName,
): Promise<PrintedSchema> {
  const printers = await (await loadRuntime(dialect)).printers?.load()
  if (printers === undefined)
    throw new KeelError('UNSUPPORTED', `--format ${format} is not available for ${dialect} databases yet`)
  return printers[format](schema)
}
