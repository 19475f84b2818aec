import type { PrismaConfig } from '../source/prisma/prisma-config.js'

/**
 * keel.config.ts: what a project tells Keel once instead of on every command line.
 *
 * @example
 * ```ts
 * import { defineConfig } from 'keel'
 * export default defineConfig({ url: process.env.DATABASE_URL, schema: 'schema.ts', migrations: 'migrations' })
 * ```
 */
export interface KeelConfig {
  /** Database URL; DATABASE_URL and --url take precedence. Default: the embedded PGlite database in `.keel/db`. */
  readonly url?: string
  /** The desired schema: a .ts module or a .sql file. Default `schema.ts`. */
  readonly schema?: string
  /** The migrations directory. Default `migrations`. */
  readonly migrations?: string
  /** Seed files directory. Default `seeds`. */
  readonly seeds?: string
  /** Where the generate command replays migrations: a server URL to create temporary databases on. */
  readonly devUrl?: string
  /** Namespace of the `keel_migrations` journal table. Default `public`. */
  readonly journalSchema?: string
  /**
   * `lock_timeout` for each try of a migration's statements (PostgreSQL syntax, e.g. '500ms'): how long a
   * writer may be held up behind a DDL that waits for a lock. Default '50ms' on PostgreSQL, '5s' elsewhere.
   */
  readonly lockTimeout?: string
  /** How long a statement that hit lock_timeout is retried before the migration fails (e.g. '5min'). Default '1min'. */
  readonly lockDeadline?: string
  /** `statement_timeout` for each migration. Default '0' (none). */
  readonly statementTimeout?: string
  /** Namespaces Keel manages; default every non-system namespace. */
  readonly namespaces?: readonly string[]
  /** `keel lint`: per-rule severity, or `off` (`{ rules: { 'prefer-text-field': 'off' } }`). */
  readonly lint?: { readonly rules?: Readonly<Record<string, 'error' | 'warning' | 'info' | 'off'>> }
}

/** Identity function that types a config file. */
export function defineConfig(config: KeelConfig): KeelConfig {
  return config
}

/** The config after defaults, with every path absolute. */
export interface ResolvedConfig {
  /** The project root: the config file's directory, or the working directory. */
  readonly root: string
  readonly configFile: string | undefined
  readonly url: string | undefined
  /**
   * Whether the config file sets `url` at all. `url: process.env.DATABASE_URL` with the variable unset sets it
   * to nothing: that is a mistake to report, never a reason to use the embedded database.
   */
  readonly urlConfigured: boolean
  readonly schema: string
  /** A Prisma 7 `prisma.config.ts` in the project, read when it gives the schema (no schema named, no schema.ts). */
  readonly prismaConfig?: PrismaConfig
  /** Whether the config names the schema (then a missing file is an error, not "no schema"). */
  readonly schemaConfigured: boolean
  readonly migrations: string
  readonly seeds: string
  /** Read it through `devUrlOf` (config/database-url.ts), which refuses a `devUrl` that turned out empty. */
  readonly devUrl: string | undefined
  /** Whether the config file sets `devUrl` at all (`devUrl: process.env.DEV_URL` with the variable unset sets it to nothing). */
  readonly devUrlConfigured: boolean
  readonly journalSchema: string
  /** Undefined: the dialect's default (see defaultLockTimeout). */
  readonly lockTimeout: string | undefined
  readonly lockDeadline: string | undefined
  readonly statementTimeout: string
  readonly namespaces: readonly string[] | undefined
  readonly lint: { readonly rules: Readonly<Record<string, 'error' | 'warning' | 'info' | 'off'>> }
}
