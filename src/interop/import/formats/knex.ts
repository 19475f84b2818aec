import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { extname, join, relative, sep } from 'node:path'
import { createScratchDatabase, DEFAULT_SCRATCH_URL } from '../../../db/scratch.js'
import { parseDatabaseUrl } from '../../../db/url.js'
import { KeelError } from '../../../errors.js'
import { createProjectLoader, describeLoadError } from '../../../source/keel-imports.js'
import type { CodeMigrationFormat, ImportedMigration } from '../imported-migration.js'
import {
  type KnexClientClass,
  type KnexDialect,
  type KnexQuery,
  knexDialectOf,
  recordingClient,
} from '../knex/knex-client.js'
import { type KnexProject, readKnexProject } from '../knex/knexfile.js'
import { timestampOf } from '../read-folder.js'

/** A knex migration module as knex's migrator reads it. */
interface KnexMigration {
  readonly up?: (knex: unknown) => unknown
  readonly down?: (knex: unknown) => unknown
  readonly config?: { readonly transaction?: boolean }
}

interface Knex {
  readonly client: { readonly constructor: KnexClientClass }
  transaction<T>(fn: (trx: unknown) => Promise<T>): Promise<T>
  destroy(): Promise<void>
}

type KnexFactory = (config: Record<string, unknown>) => Knex

/**
 * Knex migrations: `<timestamp>_<name>.js|ts` modules exporting `up(knex)` and `down(knex)` that use the
 * schema builder. They are converted by running them with the project's own knex, in order, on a scratch
 * database of the project's dialect (each up, then its down, then the up again so the next one finds
 * the state it was written for), keeping every statement knex sent except its reads (hasTable, the
 * catalog queries of SQLite's table rebuild) and the transaction around the migration, which Keel's
 * runner provides. `exports.config = { transaction: false }` becomes `-- keel:no-transaction`.
 * The project's knexfile (found from the folder upwards, in knex's environment) gives the folders
 * (`migrations.directory`), the extensions (`loadExtensions`), the options that shape its SQL (useNullAsDefault,
 * wrapIdentifier) and the journal: `knex_migrations(name)`, the file name, or `migrations.tableName` in
 * `schemaName`, which each up.sql then names for `keel baseline --from-peer`.
 */
export const knexMigrations: CodeMigrationFormat = {
  tool: 'knex',
  describe: "<timestamp>_name.js|ts exporting up(knex)/down(knex), run with the project's knex on a scratch database",
  async convert(dir, context) {
    const project = await readKnexProject(dir)
    const files = migrationFiles(project)
    if (files.length === 0) return []
    const knex = loadKnex(dir)
    const loader = createProjectLoader()
    const target = parseDatabaseUrl(context.near ?? DEFAULT_SCRATCH_URL).kind
    const dialect = await knexDialectOf(target)
    if (project.client !== undefined && !dialect.clients.includes(project.client)) {
      throw new KeelError(
        'IMPORT_SOURCE',
        `${project.knexfile}: client "${project.client}" writes SQL for another database than the project's (${target})`,
        'Pass --url of the database the knex migrations run on (or set it in keel.config), so that they convert to its SQL.',
      )
    }
    const scratch = await createScratchDatabase(context.near, 'keel_knex')
    const log: KnexQuery[] = []
    const warnings: string[] = []
    // knex's warnings (SQLite's useNullAsDefault...) become notes on the migration that caused them.
    const quiet = { log: { warn: (message: string) => warnings.push(message), deprecate: () => {}, debug: () => {} } }
    const Base = knex({ client: dialect.client, ...quiet }).client.constructor
    warnings.length = 0
    const db = knex({
      ...project.options,
      client: recordingClient(Base, scratch.conn, dialect, log),
      connection: {},
      version: await dialect.version(scratch.conn),
      pool: { min: 1, max: 1 },
      ...quiet,
    })
    warnings.length = 0
    try {
      const migrations: ImportedMigration[] = []
      for (const { file, path } of files) {
        const module = await loadMigration(loader, path)
        // knex's Migrator._useTransaction: the migration's own config.transaction, else the knexfile's.
        const noTransaction = !(module.config?.transaction ?? !project.disableTransactions)
        const run = async (fn: (knex: unknown) => unknown): Promise<KnexQuery[]> => {
          log.length = 0
          await (noTransaction ? fn(db) : db.transaction(async (trx) => fn(trx)))
          return [...log]
        }
        const notes: string[] = []
        let up: KnexQuery[]
        try {
          up = await run(module.up as (knex: unknown) => unknown)
        } catch (error) {
          throw new KeelError(
            'IMPORT_SOURCE',
            `${file}: up failed on the scratch database: ${describeLoadError(error)}`,
          )
        }
        const down = await runDown(module, run, notes, noTransaction)
        if (down !== undefined) await run(module.up as (knex: unknown) => unknown)
        notes.push(...warnings.splice(0).map((w) => `knex warned: ${w}`), ...dataReads(up, 'up', dialect))
        if (down !== undefined) notes.push(...dataReads(down, 'down', dialect))
        const upSql = sqlOf(up, dialect.aroundRebuild)
        if (upSql === '') notes.push('its up sent no SQL')
        const downSql = down === undefined ? '' : sqlOf(down, dialect.aroundRebuild)
        if (down !== undefined && downSql === '') notes.push('its down sent no SQL: imported without a down')
        const [, version = String(migrations.length + 1), name = file] = /^(\d+)_(.*?)\.[^.]+$/.exec(file) ?? []
        const at = timestampOf(version)
        migrations.push({
          version,
          name,
          up: upSql,
          ...(downSql === '' ? {} : { down: downSql }),
          noTransaction,
          journalKey: file,
          ...(project.journalTable === undefined ? {} : { journalTable: project.journalTable }),
          files: [relative(dir, path).split(sep).join('/')],
          ...(at === undefined ? {} : { at }),
          notes,
        })
      }
      return migrations
    } finally {
      await db.destroy()
      await scratch.dispose()
    }
  },
}

/**
 * The migrations knex's migrator would list (its FsMigrations): the files of every folder, sorted by file name
 * across folders (or folder by folder with sortDirsSeparately), whose extension is one it loads. Type
 * declarations (`.d.ts`) are left out: knex would fail to run them.
 */
function migrationFiles(project: KnexProject): { readonly file: string; readonly path: string }[] {
  const listed = project.directories.flatMap((directory) => {
    const names = existsSync(directory) ? readdirSync(directory) : []
    return (project.sortDirsSeparately ? names.sort() : names).map((file) => ({ file, path: join(directory, file) }))
  })
  const ordered = project.sortDirsSeparately
    ? listed
    : listed.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  return ordered.filter(
    ({ file, path }) =>
      project.loadExtensions.includes(extname(file)) && !/\.d\.(c|m)?ts$/.test(file) && statSync(path).isFile(),
  )
}

/** The project's knex (its dependency, not Keel's), as the migrations folder resolves it. */
function loadKnex(dir: string): KnexFactory {
  let module: { knex?: KnexFactory; default?: KnexFactory } & KnexFactory
  try {
    module = createRequire(join(dir, 'package.json'))('knex')
  } catch (error) {
    throw new KeelError(
      'IMPORT_SOURCE',
      `${dir}: knex migrations, but knex cannot be found from there`,
      'Run keel import in the project that uses knex (npm install knex), so that its migrations run with its knex.',
      { cause: error },
    )
  }
  return module.knex ?? module.default ?? module
}

async function loadMigration(loader: ReturnType<typeof createProjectLoader>, path: string): Promise<KnexMigration> {
  let loaded: KnexMigration & { default?: KnexMigration }
  try {
    loaded = (await loader.import(path)) as typeof loaded
  } catch (error) {
    throw new KeelError('IMPORT_SOURCE', `${path}: cannot load: ${describeLoadError(error)}`)
  }
  const module = typeof loaded.up === 'function' ? loaded : (loaded.default ?? loaded)
  if (typeof module.up !== 'function') {
    throw new KeelError('IMPORT_SOURCE', `${path}: exports no up(knex) function`)
  }
  return module
}

/** The down's statements, or undefined (with a note) when there is no down or it fails. */
async function runDown(
  module: KnexMigration,
  run: (fn: (knex: unknown) => unknown) => Promise<KnexQuery[]>,
  notes: string[],
  noTransaction: boolean,
): Promise<KnexQuery[] | undefined> {
  if (typeof module.down !== 'function') {
    notes.push('it exports no down')
    return undefined
  }
  try {
    return await run(module.down)
  } catch (error) {
    // In a transaction (knex's default) the failed down rolled back: the state is the up's again.
    if (noTransaction) {
      throw new KeelError('IMPORT_SOURCE', `down failed outside a transaction: ${describeLoadError(error)}`)
    }
    notes.push(`its down failed on the scratch database (${describeLoadError(error)}): imported without a down`)
    return undefined
  }
}

/**
 * The statements to keep, each ending in a semicolon, one after another; those of a migration that
 * rebuilds a table the way knex's SQLite DDL does (`_knex_temp_alter<n>`) inside `around`.
 */
function sqlOf(queries: readonly KnexQuery[], around?: { readonly before: string; readonly after: string }): string {
  const kept = queries.filter((q) => !q.read && !q.transactionControl).map((q) => q.sql.trim().replace(/;\s*$/, ''))
  const rebuilds = around !== undefined && kept.some((sql) => /^create table [`"]?_knex_temp_alter\d+/i.test(sql))
  const statements = rebuilds ? [around.before, ...kept, around.after] : kept
  return statements.map((sql) => `${sql};\n`).join('')
}

/** Reads of the catalog that every dialect has (SQL's information_schema, knex's own version check). */
const STANDARD_CATALOG = /information_schema|version\(\)|current_schema/i

/**
 * Notes for reads of rows (not of the catalog, the standard one or the dialect's own: `KnexDialect.catalogReads`): on
 * a scratch database they found none, so what follows may differ.
 */
function dataReads(queries: readonly KnexQuery[], which: string, dialect: KnexDialect): string[] {
  return queries
    .filter((q) => q.read && !STANDARD_CATALOG.test(q.sql) && dialect.catalogReads?.test(q.sql) !== true)
    .map((q) => `its ${which} reads rows (${q.sql.slice(0, 80)}): converted from a run on an empty database; review it`)
}
