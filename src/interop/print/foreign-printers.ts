import type { Schema } from '../../schema/model.js'

/** A schema in another tool's language, and what that language could not say (each a line for the user). */
export interface PrintedSchema {
  readonly text: string
  readonly skipped: readonly string[]
}

/**
 * A dialect's printers for `keel inspect --format prisma|drizzle`: its Prisma datasource provider and its
 * drizzle-orm core (pg-core, mysql-core, sqlite-core). Each dialect registers its own (`DialectRuntime.printers`).
 */
export interface ForeignPrinters {
  prisma(schema: Schema): PrintedSchema
  drizzle(schema: Schema): PrintedSchema
}
