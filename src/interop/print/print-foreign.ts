import type { Schema } from '../../schema/model.js'
import { printDrizzleSchema } from './print-drizzle.js'
import { printPrismaSchema } from './print-prisma.js'

/** A schema in another tool's language, and what that language could not say. */
export function printForeignSchema(
  format: 'prisma' | 'drizzle',
  schema: Schema,
): { text: string; skipped: readonly string[] } {
  return format === 'prisma' ? printPrismaSchema(schema) : printDrizzleSchema(schema)
}
