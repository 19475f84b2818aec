import type { ForeignPrinters } from '../../interop/print/foreign-printers.js'
import { printPrismaSchema } from '../../interop/print/print-prisma.js'
import { printDrizzleMysqlSchema } from './print-drizzle.js'
import { mysqlPrismaPrinting } from './prisma-print.js'

/** MySQL's and MariaDB's printers: Prisma's mysql provider, drizzle-orm/mysql-core. */
export const mysqlPrinters: ForeignPrinters = {
  prisma: (schema) => printPrismaSchema(schema, mysqlPrismaPrinting),
  drizzle: printDrizzleMysqlSchema,
}
