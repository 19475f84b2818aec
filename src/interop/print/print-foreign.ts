import type { DialectName } from '../../dialect/runtimes.js'
import type { Schema } from '../../schema/model.js'
import { printDrizzleSchema } from './print-drizzle.js'
import { printDrizzleSqliteSchema } from './print-drizzle-sqlite.js'
import { printPrismaSchema } from './print-prisma.js'

/**
 * A schema in another tool's language, for the dialect it was read from, and what that language could not say:
 * a SQLite database prints Prisma's sqlite provider and drizzle-orm/sqlite-core; any other, PostgreSQL's.
 */
export function printForeignSchema(
  format: 'prisma' | 'drizzle',
  schema: Schema,
  dialect?: DialectName,
): { text: string; skipped: readonly string[] } {
  const sqlite = dialect === 'sqlite'
  if (format === 'prisma') return printPrismaSchema(schema, sqlite ? 'sqlite' : 'postgresql')
  return sqlite ? printDrizzleSqliteSchema(schema) : printDrizzleSchema(schema)
}
