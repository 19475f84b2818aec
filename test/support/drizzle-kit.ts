import { createJiti } from 'jiti'

/**
 * drizzle-kit itself, as an oracle: `drizzle-kit generate` for a schema module against an empty snapshot,
 * through its programmatic API (drizzle-kit/api, a devDependency), which needs no database.
 */
export async function drizzleKitGenerate(
  path: string,
  casing?: 'snake_case' | 'camelCase',
  dialect: 'postgresql' | 'sqlite' | 'mysql' = 'postgresql',
): Promise<string> {
  type Json = { id: string }
  type Kit = Record<string, (...args: unknown[]) => Json | Promise<Json> | Promise<string[]>>
  const kit = (await import('drizzle-kit/api')) as unknown as Kit
  const prefix = { postgresql: '', sqlite: 'SQLite', mysql: 'MySQL' }[dialect]
  const json = kit[`generate${prefix}DrizzleJson`] as (...args: unknown[]) => Json | Promise<Json>
  const migrate = kit[`generate${prefix}Migration`] as (prev: unknown, cur: unknown) => Promise<string[]>
  const jiti = createJiti(import.meta.url, { moduleCache: false })
  const exports = (await jiti.import(path)) as Record<string, unknown>
  // PostgreSQL's takes schema filters before the casing.
  const read = (imports: Record<string, unknown>, prevId?: string) =>
    dialect === 'postgresql' ? json(imports, prevId, undefined, casing) : json(imports, prevId, casing)
  const empty = await read({})
  const current = await read(exports, empty.id)
  return (await migrate(empty, current)).join('\n')
}
