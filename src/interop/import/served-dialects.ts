import { loadRuntimes } from '../../dialect/runtimes.js'

/** Each distinct value once, in first-seen order. */
const unique = (values: readonly string[]): string[] => [...new Set(values)]

/**
 * The Prisma datasource providers whose migrations run on a database Keel migrates: every dialect's own
 * (`DialectRuntime.prisma`). `named` is the one each dialect is called by in messages (`postgresql`, `mysql`, `sqlite`).
 */
export async function prismaProviders(): Promise<{
  readonly accepted: readonly string[]
  readonly named: readonly string[]
}> {
  const providers = (await loadRuntimes()).flatMap(({ prisma }) => (prisma === undefined ? [] : [prisma.providers]))
  return { accepted: unique(providers.flat()), named: unique(providers.flatMap((p) => p.slice(0, 1))) }
}

/** The `dialect`s of drizzle-kit's `meta/_journal.json` whose SQL runs on a database Keel migrates (`DialectRuntime.drizzle`). */
export async function drizzleKitDialects(): Promise<readonly string[]> {
  return unique((await loadRuntimes()).flatMap((runtime) => runtime.drizzle?.kitDialect ?? []))
}
