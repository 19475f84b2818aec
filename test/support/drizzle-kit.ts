import { createJiti } from 'jiti'

/**
 * drizzle-kit itself, as an oracle: `drizzle-kit generate` for a schema module against an empty snapshot,
 * through its programmatic API (drizzle-kit/api, a devDependency), which needs no database.
 */
export async function drizzleKitGenerate(path: string, casing?: 'snake_case' | 'camelCase'): Promise<string> {
  const kit = (await import('drizzle-kit/api')) as unknown as {
    generateDrizzleJson(
      imports: Record<string, unknown>,
      prevId?: string,
      filters?: string[],
      casing?: string,
    ): { id: string }
    generateMigration(prev: unknown, cur: unknown): Promise<string[]>
  }
  const jiti = createJiti(import.meta.url, { moduleCache: false })
  const exports = (await jiti.import(path)) as Record<string, unknown>
  const empty = kit.generateDrizzleJson({}, undefined, undefined, casing)
  const current = kit.generateDrizzleJson(exports, empty.id, undefined, casing)
  return (await kit.generateMigration(empty, current)).join('\n')
}
