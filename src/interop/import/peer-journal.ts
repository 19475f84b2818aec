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
  const tools = [...new Set(imported.map((m) => m.directives.importedFrom?.tool as string))]
  if (tools.length === 0) {
    throw new KeelError(
      'USAGE',
      'no pending migration was imported from another tool (none has -- keel:imported-from)',
      'Import the folder first with `keel import DIR --from TOOL`, or baseline with --to VERSION.',
    )
  }
  const applied: Migration[] = []
  for (const tool of tools) {
    const journal = peerJournals[tool]
    if (journal === undefined) throw new KeelError('USAGE', `no journal reader for ${tool}`)
    const runtime = runtimeOf(conn.dialect)
    const namespace = journal.namespace ?? runtime.defaultNamespace ?? ''
    if (!(await runtime.runner.journal.exists(conn, namespace, journal.table))) {
      throw new KeelError(
        'USAGE',
        `the database has no ${journal.namespace === undefined ? '' : `${journal.namespace}.`}${journal.table} table, where ${tool} records what it applied`,
        'Point --url at the database the migrations ran on, or baseline with --to VERSION.',
      )
    }
    const isApplied = await journal.read(conn)
    applied.push(
      ...imported.filter((m) => m.directives.importedFrom?.tool === tool && isApplied(m.directives.importedFrom.key)),
    )
  }
  return applied
}

interface PeerJournal {
  readonly table: string
  /** Its schema when the tool fixes one; else the database's default (public). */
  readonly namespace?: string
  /** Reads the table and answers, for a migration's journal key, whether the tool applied it. */
  read(conn: Connection): Promise<(key: string) => boolean>
}

const peerJournals: Readonly<Record<string, PeerJournal>> = {
  'golang-migrate': {
    table: 'schema_migrations',
    async read(conn) {
      const [row] = await conn.query<{ version: string; dirty: boolean }>(
        'SELECT version::text AS version, dirty FROM schema_migrations',
      )
      if (row?.dirty) {
        throw new KeelError(
          'PARTIAL_MIGRATION',
          `golang-migrate marked version ${row.version} dirty: it failed part-way`,
          'Repair it as golang-migrate asks (`migrate force`), then baseline.',
        )
      }
      return (key) => row !== undefined && BigInt(key) <= BigInt(row.version)
    },
  },
  goose: {
    table: 'goose_db_version',
    async read(conn) {
      // The latest row of a version says whether it is applied (a down adds a row with is_applied false).
      const rows = await conn.query<{ version: string; applied: boolean }>(
        'SELECT DISTINCT ON (version_id) version_id::text AS version, is_applied AS applied FROM goose_db_version ORDER BY version_id, id DESC',
      )
      const applied = new Set(rows.filter((r) => r.applied).map((r) => r.version))
      return (key) => applied.has(key)
    },
  },
  dbmate: {
    table: 'schema_migrations',
    async read(conn) {
      const rows = await conn.query<{ version: string }>('SELECT version::text AS version FROM schema_migrations')
      const applied = new Set(rows.map((r) => r.version))
      return (key) => applied.has(key)
    },
  },
  flyway: {
    table: 'flyway_schema_history',
    async read(conn) {
      const rows = await conn.query<{ version: string | null; script: string; type: string; success: boolean }>(
        'SELECT version, script, type, success FROM flyway_schema_history ORDER BY installed_rank',
      )
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
    table: 'databasechangelog',
    async read(conn) {
      const rows = await conn.query<{ id: string; author: string }>('SELECT id, author FROM databasechangelog')
      const applied = new Set(rows.map((r) => `${r.author}:${r.id}`))
      return (key) => key.split(',').every((changeset) => applied.has(changeset))
    },
  },
  prisma: {
    table: '_prisma_migrations',
    async read(conn) {
      const rows = await conn.query<{ name: string; finished: boolean; rolledBack: boolean }>(
        'SELECT migration_name AS name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS "rolledBack" FROM _prisma_migrations',
      )
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
    namespace: 'drizzle',
    table: '__drizzle_migrations',
    async read(conn) {
      // drizzle-kit's migrator applies every migration generated after the newest recorded one.
      const [row] = await conn.query<{ last: string | null }>(
        'SELECT max(created_at)::text AS last FROM drizzle.__drizzle_migrations',
      )
      return (key) => row?.last != null && BigInt(key) <= BigInt(row.last)
    },
  },
  'node-pg-migrate': {
    table: 'pgmigrations',
    async read(conn) {
      const rows = await conn.query<{ name: string }>('SELECT name FROM pgmigrations')
      const applied = new Set(rows.map((r) => r.name))
      return (key) => applied.has(key)
    },
  },
  knex: {
    table: 'knex_migrations',
    async read(conn) {
      // knex's migrator records each migration by its file name; a half-run one is rolled back, not recorded.
      const rows = await conn.query<{ name: string }>('SELECT name FROM knex_migrations')
      const applied = new Set(rows.map((r) => r.name))
      return (key) => applied.has(key)
    },
  },
}

function compareDotted(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)]
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
