import type { ForeignPrinters } from '../../interop/print/foreign-printers.js'
import { printDrizzleSqliteSchema } from '../../interop/print/print-drizzle-sqlite.js'
import { printPrismaSchema } from '../../interop/print/print-prisma.js'
import { sqlitePrismaPrinting } from './prisma-print.js'

/** SQLite's printers: Prisma's sqlite provider, drizzle-orm/sqlite-core. */
export const sqlitePrinters: ForeignPrinters = {
  prisma: (schema) => printPrismaSchema(schema, sqlitePrismaPrinting),
  drizzle: printDrizzleSqliteSchema,
}
