import type { ForeignPrinters } from '../../interop/print/foreign-printers.js'
import { printDrizzleSchema } from '../../interop/print/print-drizzle.js'
import { printPrismaSchema } from '../../interop/print/print-prisma.js'
import { postgresPrismaPrinting } from './prisma-print.js'

/** PostgreSQL's (and PGlite's) printers: Prisma's postgresql provider, drizzle-orm/pg-core. */
export const postgresPrinters: ForeignPrinters = {
  prisma: (schema) => printPrismaSchema(schema, postgresPrismaPrinting),
  drizzle: printDrizzleSchema,
}
