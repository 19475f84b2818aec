import { dialectNames, loadRuntimes, runtimeOf } from '../../dialect/runtimes.js'

// Asks every dialect: every runtime half loads with this module.
await loadRuntimes()

/** Each distinct value once, in first-seen order. */
const unique = (values: readonly string[]): string[] => [...new Set(values)]

/**
 * The Prisma datasource providers whose migrations run on a database Keel migrates: every dialect's own
 * (`DialectRuntime.prisma`). `named` is the one each dialect is called by in messages (`postgresql`, `mysql`, `sqlite`).
 */
export function prismaProviders(): { readonly accepted: readonly string[]; readonly named: readonly string[] } {
  const providers = dialectNames().flatMap((name) => {
    const prisma = runtimeOf(name).prisma
    return prisma === undefined ? [] : [prisma.providers]
  })
  return { accepted: unique(providers.flat()), named: unique(providers.flatMap((p) => p.slice(0, 1))) }
}

/** The `dialect`s of drizzle-kit's `meta/_journal.json` whose SQL runs on a database Keel migrates (`DialectRuntime.drizzle`). */
export function drizzleKitDialects(): readonly string[] {
  return unique(dialectNames().flatMap((name) => runtimeOf(name).drizzle?.kitDialect ?? []))
}
