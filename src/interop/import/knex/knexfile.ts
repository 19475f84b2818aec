import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { KeelError } from '../../../errors.js'
import { createProjectLoader, describeLoadError } from '../../../source/keel-imports.js'

/** What knex's migrator reads of a project: its migration folders, which files are migrations, its journal table. */
export interface KnexProject {
  /** The knexfile read, if one was found. */
  readonly knexfile?: string
  /** The environment of the knexfile that was used (`development`, NODE_ENV), when it has environments. */
  readonly environment?: string
  /** The migration folders, absolute, in the order knex lists them. */
  readonly directories: readonly string[]
  /** The file extensions knex loads as migrations (`loadExtensions`). */
  readonly loadExtensions: readonly string[]
  /** `disableTransactions`: migrations run outside a transaction unless one's `config.transaction` says otherwise. */
  readonly disableTransactions: boolean
  /** `sortDirsSeparately`: each folder's files in order, folder after folder (else all by file name). */
  readonly sortDirsSeparately: boolean
  /** `migrations.tableName` and `schemaName`, when either is not knex's default (`knex_migrations`, none). */
  readonly journalTable?: { readonly namespace?: string; readonly table: string }
  /** The knexfile's `client` when it is a name (`pg`, `better-sqlite3`). */
  readonly client?: string
  /** The rest of the knexfile's configuration that shapes the SQL knex writes (useNullAsDefault, wrapIdentifier...). */
  readonly options: Readonly<Record<string, unknown>>
}

/** knex's own default (lib/migrations/common/MigrationsLoader.js). */
const DEFAULT_LOAD_EXTENSIONS = ['.co', '.coffee', '.eg', '.iced', '.js', '.cjs', '.litcoffee', '.ls', '.ts']
/** The knexfile names knex's CLI looks for (bin/cli.js), and .cjs. */
const KNEXFILES = ['js', 'mjs', 'cjs', 'ts'].map((ext) => `knexfile.${ext}`)
/** Options that are about connecting or the CLI, not about the SQL knex writes. */
const NOT_SQL = new Set([
  'client',
  'connection',
  'pool',
  'migrations',
  'seeds',
  'debug',
  'log',
  'version',
  'acquireConnectionTimeout',
])

/**
 * The knex project a migrations folder belongs to: the knexfile found from `dir` upwards (as knex's CLI finds it
 * from its working directory), in the environment knex would pick (NODE_ENV, else `development`). Its
 * `migrations.directory` (relative to the knexfile, where knex's CLI runs) is read when `dir` is the knexfile's
 * folder or one of those directories; any other `dir` is read alone, with the knexfile's other options.
 */
export async function readKnexProject(dir: string): Promise<KnexProject> {
  const folder = resolve(dir)
  const knexfile = findUp(folder)
  const defaults = {
    directories: [folder],
    loadExtensions: DEFAULT_LOAD_EXTENSIONS,
    disableTransactions: false,
    sortDirsSeparately: false,
  }
  if (knexfile === undefined) return { ...defaults, options: {} }
  const { config, environment } = await loadKnexfile(knexfile)
  const migrations = (config.migrations ?? {}) as Record<string, unknown>
  const base = dirname(knexfile)
  const configured = [migrations.directory ?? './migrations']
    .flat()
    .filter((d): d is string => typeof d === 'string')
    .map((d) => resolve(base, d))
  const directories = folder === base || configured.includes(folder) ? configured : [folder]
  const tableName = typeof migrations.tableName === 'string' ? migrations.tableName : 'knex_migrations'
  const schemaName = typeof migrations.schemaName === 'string' ? migrations.schemaName : undefined
  const loadExtensions = Array.isArray(migrations.loadExtensions)
    ? migrations.loadExtensions.filter((e): e is string => typeof e === 'string')
    : DEFAULT_LOAD_EXTENSIONS
  return {
    knexfile,
    ...(environment === undefined ? {} : { environment }),
    directories,
    loadExtensions,
    disableTransactions: migrations.disableTransactions === true,
    sortDirsSeparately: migrations.sortDirsSeparately === true,
    ...(tableName === 'knex_migrations' && schemaName === undefined
      ? {}
      : { journalTable: { ...(schemaName === undefined ? {} : { namespace: schemaName }), table: tableName } }),
    ...(typeof config.client === 'string' ? { client: config.client } : {}),
    options: Object.fromEntries(Object.entries(config).filter(([key]) => !NOT_SQL.has(key))),
  }
}

function findUp(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const found = KNEXFILES.map((name) => join(dir, name)).find((path) => existsSync(path))
    if (found !== undefined) return found
    if (dirname(dir) === dir) return undefined
  }
}

/** The knexfile's configuration for the environment knex's CLI would use (its `resolveEnvironmentConfig`). */
async function loadKnexfile(path: string): Promise<{ config: Record<string, unknown>; environment?: string }> {
  let all: unknown
  try {
    all = await createProjectLoader().import(path)
    if (all !== null && typeof all === 'object' && 'default' in all && all.default !== undefined) all = all.default
    if (typeof all === 'function') all = await all()
  } catch (error) {
    throw new KeelError('IMPORT_SOURCE', `${path}: cannot load the knexfile: ${describeLoadError(error)}`, undefined, {
      cause: error,
    })
  }
  if (all === null || typeof all !== 'object') {
    throw new KeelError('IMPORT_SOURCE', `${path}: the knexfile exports no configuration object`)
  }
  const environment = process.env.NODE_ENV || 'development'
  const chosen = (all as Record<string, unknown>)[environment]
  if (chosen !== null && typeof chosen === 'object') return { config: chosen as Record<string, unknown>, environment }
  return { config: all as Record<string, unknown> }
}
