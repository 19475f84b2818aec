import type { Connection } from '../../db/connection.js'
import { runtimeOf } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import type { Migration } from '../../migrate/directory.js'

/**
 * The imported migrations (pending in Keel's journal) that the tool they came from has already applied,
 * read from that tool's own journal table in the same database: what `keel baseline --from-peer` marks as
 * applied. A history the tool left half-done (golang-migrate `dirty`, a failed Flyway or Prisma row) stops
 * with an error: Keel cannot know what of that migration ran.
 */
export async function peerApplied(conn: Connection, pending: readonly Migration[]): Promise<readonly Migration[]> {
  const imported = pending.filter((m) => m.directives.importedFrom !== undefined)
  if (imported.length === 0) {
    throw new KeelError(
      'USAGE',
      'no pending migration was imported from another tool (none has -- keel:imported-from)',
      'Import the folder first with `keel import DIR --from TOOL`, or baseline with --to VERSION.',
    )
  }
  // One read per journal table: a tool's migrations may name their own (a knexfile's migrations.tableName).
  const groups = new Map<string, { tool: string; journal?: PeerTable; migrations: Migration[] }>()
  for (const m of imported) {
    const from = m.directives.importedFrom as NonNullable<Migration['directives']['importedFrom']>
    const id = JSON.stringify([from.tool, from.journal?.namespace, from.journal?.table])
    const group = groups.get(id) ?? {
      tool: from.tool,
      ...(from.journal ? { journal: from.journal } : {}),
      migrations: [],
    }
    group.migrations.push(m)
    groups.set(id, group)
  }
  const runtime = runtimeOf(conn.dialect)
  const applied: Migration[] = []
  for (const { tool, journal: named, migrations } of groups.values()) {
    const journal = peerJournals[tool]
    if (journal === undefined) throw new KeelError('USAGE', `no journal reader for ${tool}`)
    const namespace = named?.namespace ?? journal.namespace
    const candidates = named === undefined ? journal.tables : [named.table]
    const table =
      named?.namespace !== undefined && !runtime.capabilities.schemas
        ? await findInDatabase(conn, named.namespace, named.table)
        : await findTable(conn, namespace, candidates)
    if (table === undefined) {
      const qualified = named?.namespace !== undefined || (namespace !== undefined && runtime.capabilities.schemas)
      const shown = `${qualified ? `${namespace}.` : ''}${candidates[0]}`
      throw new KeelError(
        'USAGE',
        `the database has no ${shown} table, where ${tool} records what it applied`,
        'Point --url at the database the migrations ran on, or baseline with --to VERSION.',
      )
    }
    const isApplied = await journal.read(conn, table)
    applied.push(...migrations.filter((m) => isApplied(m.directives.importedFrom?.key as string)))
  }
  return applied
}

/** Where a tool keeps its journal: a table, in a namespace where the tool fixes one (else the database's default). */
interface PeerTable {
  readonly namespace?: string
  readonly table: string
}

/**
 * The first of `tables` the database has, as SQL (qualified and quoted by the connection's dialect), or
 * undefined. Several names: a tool that names its table differently per server (Liquibase's upper case).
 */
async function findTable(
  conn: Connection,
  namespace: string | undefined,
  tables: readonly string[],
): Promise<string | undefined> {
  const runtime = runtimeOf(conn.dialect)
  const schema = namespace ?? runtime.defaultNamespace ?? ''
  for (const table of tables) {
    if (await runtime.runner.journal.exists(conn, schema, table)) return runtime.runner.journal.qualify(schema, table)
  }
  return undefined
}

/**
 * `database.table` where a project names its journal's schema on a dialect without schemas in Keel's sense: knex's
 * `migrations.schemaName` on MySQL is another database on the server (knex's `withSchema`), not the URL's. Whether
 * the table is there is asked of the table itself (a SELECT of no rows), the same on every dialect.
 */
async function findInDatabase(conn: Connection, database: string, table: string): Promise<string | undefined> {
  const runtime = runtimeOf(conn.dialect)
  const qualified = `${runtime.quoteIdent(database)}.${runtime.quoteIdent(table)}`
  try {
    await conn.query(`SELECT 1 FROM ${qualified} WHERE 1 = 0`)
    return qualified
  } catch {
    return undefined
  }
}

interface PeerJournal {
  /** Its name; several where the tool spells it differently per server (the first found is read). */
  readonly tables: readonly string[]
  /** Its schema when the tool fixes one (ignored where the dialect has no namespaces); else the database's default. */
  readonly namespace?: string
  /**
   * Reads `table` (SQL, qualified and quoted) and answers, for a migration's journal key, whether the tool applied
   * it. The SQL is plain enough for every dialect; values are read as each driver returns them (a boolean is
   * `true`, `1` or `1n`; a bigint a number or a string).
   */
  read(conn: Connection, table: string): Promise<(key: string) => boolean>
}

const peerJournals: Readonly<Record<string, PeerJournal>> = {
  'golang-migrate': {
    tables: ['schema_migrations'],
    async read(conn, table) {
      const [row] = await conn.query<{ version: unknown; dirty: unknown }>(`SELECT version, dirty FROM ${table}`)
      if (row !== undefined && truthy(row.dirty)) {
        throw new KeelError(
          'PARTIAL_MIGRATION',
          `golang-migrate marked version ${text(row.version)} dirty: it failed part-way`,
          'Repair it as golang-migrate asks (`migrate force`), then baseline.',
        )
      }
      return (key) => row !== undefined && BigInt(key) <= BigInt(text(row.version))
    },
  },
  goose: {
    tables: ['goose_db_version'],
    async read(conn, table) {
      // The latest row of a version says whether it is applied (a down adds a row with is_applied false).
      const rows = await conn.query<{ version_id: unknown; is_applied: unknown }>(
        `SELECT version_id, is_applied FROM ${table} ORDER BY id`,
      )
      const latest = new Map(rows.map((r) => [text(r.version_id), truthy(r.is_applied)]))
      return (key) => latest.get(key) === true
    },
  },
  dbmate: {
    tables: ['schema_migrations'],
    async read(conn, table) {
      const rows = await conn.query<{ version: unknown }>(`SELECT version FROM ${table}`)
      const applied = new Set(rows.map((r) => text(r.version)))
      return (key) => applied.has(key)
    },
  },
  flyway: {
    tables: ['flyway_schema_history'],
    async read(conn, table) {
      const rows = (
        await conn.query<{ version: unknown; script: unknown; type: unknown; success: unknown }>(
          `SELECT version, script, type, success FROM ${table} ORDER BY installed_rank`,
        )
      ).map((r) => ({
        version: r.version == null ? null : text(r.version),
        script: text(r.script),
        type: text(r.type),
        success: truthy(r.success),
      }))
      const failed = rows.find((r) => !r.success)
      if (failed) {
        throw new KeelError(
          'PARTIAL_MIGRATION',
          `Flyway recorded ${failed.script} as failed`,
          'Run `flyway repair`, then baseline.',
        )
      }
      const versions = new Set(
        rows.filter((r) => r.version !== null && r.type !== 'BASELINE').map((r) => r.version as string),
      )
      const baseline = rows.find((r) => r.type === 'BASELINE')?.version
      const repeatables = new Set(rows.filter((r) => r.version === null).map((r) => r.script.replace(/^.*\//, '')))
      return (key) => {
        if (key.startsWith('R')) return repeatables.has(`R__${key.slice(1)}.sql`)
        const version = key.slice(1)
        return versions.has(version) || (baseline != null && compareDotted(version, baseline) <= 0)
      }
    },
  },
  liquibase: {
    // Liquibase creates it in upper case where the server keeps the case of unquoted names (MySQL, SQLite).
    tables: ['databasechangelog', 'DATABASECHANGELOG'],
    async read(conn, table) {
      const rows = await conn.query<Record<string, unknown>>(`SELECT * FROM ${table}`)
      const applied = new Set(rows.map((r) => `${text(column(r, 'author'))}:${text(column(r, 'id'))}`))
      return (key) => key.split(',').every((changeset) => applied.has(changeset))
    },
  },
  prisma: {
    tables: ['_prisma_migrations'],
    async read(conn, table) {
      const rows = (
        await conn.query<{ migration_name: unknown; finished_at: unknown; rolled_back_at: unknown }>(
          `SELECT migration_name, finished_at, rolled_back_at FROM ${table}`,
        )
      ).map((r) => ({
        name: text(r.migration_name),
        finished: r.finished_at != null,
        rolledBack: r.rolled_back_at != null,
      }))
      const failed = rows.find((r) => !r.finished && !r.rolledBack)
      if (failed) {
        throw new KeelError(
          'PARTIAL_MIGRATION',
          `Prisma recorded ${failed.name} as started but not finished`,
          'Resolve it with `prisma migrate resolve`, then baseline.',
        )
      }
      const applied = new Set(rows.filter((r) => r.finished && !r.rolledBack).map((r) => r.name))
      return (key) => applied.has(key)
    },
  },
  'drizzle-kit': {
    // PostgreSQL: in drizzle's own schema; SQLite and MySQL (no namespaces here): in the database itself.
    namespace: 'drizzle',
    tables: ['__drizzle_migrations'],
    async read(conn, table) {
      // drizzle-kit's migrator applies every migration generated after the newest recorded one.
      const rows = await conn.query<{ created_at: unknown }>(`SELECT created_at FROM ${table}`)
      const last = rows.reduce<bigint | undefined>((max, r) => {
        if (r.created_at == null) return max
        const at = BigInt(text(r.created_at))
        return max === undefined || at > max ? at : max
      }, undefined)
      return (key) => last !== undefined && BigInt(key) <= last
    },
  },
  'node-pg-migrate': {
    tables: ['pgmigrations'],
    async read(conn, table) {
      const rows = await conn.query<{ name: unknown }>(`SELECT name FROM ${table}`)
      const applied = new Set(rows.map((r) => text(r.name)))
      return (key) => applied.has(key)
    },
  },
  knex: {
    tables: ['knex_migrations'],
    async read(conn, table) {
      // knex's migrator records each migration by its file name; a half-run one is rolled back, not recorded.
      const rows = await conn.query<{ name: unknown }>(`SELECT name FROM ${table}`)
      const applied = new Set(rows.map((r) => text(r.name)))
      return (key) => applied.has(key)
    },
  },
}

/** A boolean as the drivers return one: `true`, `1` (MySQL's TINYINT(1), SQLite), `1n`, `'1'`, `'t'`. */
function truthy(value: unknown): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number' || typeof value === 'bigint') return value !== 0 && value !== 0n
  if (typeof value === 'string') return /^(1|t|true|y|yes)$/i.test(value.trim())
  return false
}

/** A value as text: a number as its integer digits (a float would print `1e+21`), bytes as UTF-8. */
function text(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString()
  if (value instanceof Uint8Array) return new TextDecoder().decode(value)
  return String(value)
}

/** A column of a row whatever case the server gave its name (Liquibase's are upper case on some servers). */
function column(row: Record<string, unknown>, name: string): unknown {
  return row[name] ?? row[name.toUpperCase()]
}

function compareDotted(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)]
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
