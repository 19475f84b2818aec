/**
 * The peer journal readers of `keel baseline --from-peer` on every dialect: each tool's own journal table, made
 * with the tool's DDL for that server (golang-migrate, goose, dbmate, Flyway, Liquibase, Prisma, drizzle-kit, knex
 * with a knexfile's own table), read on SQLite, MariaDB and PostgreSQL with the same code. In-process: no CLI.
 */
import { describe, expect, test } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { runtimeOf } from '../../../src/dialect/runtimes.js'
import { peerApplied } from '../../../src/interop/import/peer-journal.js'
import type { Migration } from '../../../src/migrate/directory.js'
import { withDatabase, withMysqlDatabase } from '../../support/databases.js'

type Server = 'sqlite' | 'mysql' | 'postgres'

/** The parts of each tool's DDL that differ per server (the rest below is the same everywhere). */
const DDL: Record<Server, { readonly serial: string; readonly bool: string; readonly bigint: string }> = {
  sqlite: { serial: 'INTEGER PRIMARY KEY AUTOINCREMENT', bool: 'bool', bigint: 'uint64' },
  mysql: { serial: 'serial PRIMARY KEY', bool: 'boolean', bigint: 'bigint' },
  postgres: { serial: 'serial PRIMARY KEY', bool: 'boolean', bigint: 'bigint' },
}

/** Pending migrations as `keel import` wrote them: only their imported-from directive matters here. */
function imported(tool: string, keys: readonly string[], journal?: { namespace?: string; table: string }): Migration[] {
  return keys.map(
    (key) =>
      ({
        version: key,
        name: key,
        directives: { importedFrom: { tool, key, ...(journal === undefined ? {} : { journal }) } },
      }) as unknown as Migration,
  )
}

const keys = async (conn: Connection, pending: readonly Migration[]) =>
  (await peerApplied(conn, pending)).map((m) => m.version)

async function readEveryTool(server: Server, conn: Connection): Promise<void> {
  const t = DDL[server]
  const schemas = runtimeOf(conn.dialect).capabilities.schemas

  await conn.exec(`CREATE TABLE schema_migrations (version ${t.bigint} NOT NULL PRIMARY KEY, dirty ${t.bool} NOT NULL)`)
  await conn.exec('INSERT INTO schema_migrations VALUES (20240102000000, false)')
  expect(await keys(conn, imported('golang-migrate', ['20240101000000', '20240102000000', '20240103000000']))).toEqual([
    '20240101000000',
    '20240102000000',
  ])
  await conn.exec('UPDATE schema_migrations SET dirty = true')
  await expect(peerApplied(conn, imported('golang-migrate', ['1']))).rejects.toThrow(
    /golang-migrate marked version 20240102000000 dirty/,
  )
  await conn.exec('DROP TABLE schema_migrations')

  // dbmate's table has the same name and a text version.
  await conn.exec('CREATE TABLE schema_migrations (version varchar(128) NOT NULL PRIMARY KEY)')
  await conn.exec("INSERT INTO schema_migrations VALUES ('20240101000000'), ('20240103000000')")
  expect(await keys(conn, imported('dbmate', ['20240101000000', '20240102000000', '20240103000000']))).toEqual([
    '20240101000000',
    '20240103000000',
  ])

  await conn.exec(`CREATE TABLE goose_db_version (id ${t.serial}, version_id ${t.bigint} NOT NULL,
    is_applied ${t.bool} NOT NULL, tstamp timestamp NULL DEFAULT CURRENT_TIMESTAMP)`)
  // 2 was applied, then rolled back (goose adds a row with is_applied false); 3 applied.
  await conn.exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true),
    (2, false), (3, true)`)
  expect(await keys(conn, imported('goose', ['1', '2', '3', '4']))).toEqual(['1', '3'])

  await conn.exec(`CREATE TABLE flyway_schema_history (installed_rank int NOT NULL PRIMARY KEY, version varchar(50),
    description varchar(200) NOT NULL, type varchar(20) NOT NULL, script varchar(1000) NOT NULL, checksum int,
    installed_by varchar(100) NOT NULL, installed_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    execution_time int NOT NULL, success ${t.bool} NOT NULL)`)
  await conn.exec(`INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, installed_by,
    execution_time, success) VALUES (1, '1', 'base', 'BASELINE', '<< Flyway Baseline >>', 'u', 0, true),
    (2, '1.1', 'a', 'SQL', 'V1.1__a.sql', 'u', 3, true), (3, NULL, 'views', 'SQL', 'R__views.sql', 'u', 1, true)`)
  expect(await keys(conn, imported('flyway', ['V1', 'V1.1', 'V2', 'Rviews', 'Rother']))).toEqual([
    'V1',
    'V1.1',
    'Rviews',
  ])
  await conn.exec('UPDATE flyway_schema_history SET success = false WHERE installed_rank = 2')
  await expect(peerApplied(conn, imported('flyway', ['V1.1']))).rejects.toThrow(/Flyway recorded V1.1__a.sql as failed/)

  // Unquoted, as Liquibase writes it: lower case on PostgreSQL, upper case kept on MySQL and SQLite.
  await conn.exec(`CREATE TABLE DATABASECHANGELOG (ID varchar(255) NOT NULL, AUTHOR varchar(255) NOT NULL,
    FILENAME varchar(255) NOT NULL, DATEEXECUTED timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ORDEREXECUTED int NOT NULL, EXECTYPE varchar(10) NOT NULL)`)
  await conn.exec(`INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, ORDEREXECUTED, EXECTYPE)
    VALUES ('1', 'ann', 'a.sql', 1, 'EXECUTED'), ('2', 'bob', 'a.sql', 2, 'EXECUTED')`)
  expect(await keys(conn, imported('liquibase', ['ann:1', 'ann:1,bob:2', 'bob:2,cy:3']))).toEqual([
    'ann:1',
    'ann:1,bob:2',
  ])

  await conn.exec(`CREATE TABLE _prisma_migrations (id varchar(36) NOT NULL PRIMARY KEY, checksum varchar(64) NOT NULL,
    finished_at timestamp NULL, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamp NULL,
    started_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, applied_steps_count int NOT NULL DEFAULT 0)`)
  await conn.exec(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, rolled_back_at) VALUES
    ('a', 'x', '2024-01-01 00:00:00', '20240101000000_init', NULL),
    ('b', 'y', NULL, '20240102000000_b', '2024-01-02 00:00:00')`)
  expect(await keys(conn, imported('prisma', ['20240101000000_init', '20240102000000_b']))).toEqual([
    '20240101000000_init',
  ])
  await conn.exec("INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ('c', 'z', '20240103000000_c')")
  await expect(peerApplied(conn, imported('prisma', ['20240103000000_c']))).rejects.toThrow(
    /Prisma recorded 20240103000000_c as started but not finished/,
  )

  // drizzle-kit: in its own schema where there are schemas, else in the database itself.
  if (schemas) await conn.exec('CREATE SCHEMA drizzle')
  await conn.exec(`CREATE TABLE ${schemas ? 'drizzle.' : ''}__drizzle_migrations (id ${t.serial}, hash text NOT NULL,
    created_at ${t.bigint})`)
  await conn.exec(`INSERT INTO ${schemas ? 'drizzle.' : ''}__drizzle_migrations (hash, created_at)
    VALUES ('h0', 1717000000000), ('h1', 1717000001000)`)
  expect(await keys(conn, imported('drizzle-kit', ['1717000000000', '1717000001000', '1717000002000']))).toEqual([
    '1717000000000',
    '1717000001000',
  ])

  // knex with a knexfile's migrations.tableName (and schemaName, where there are schemas).
  if (schemas) await conn.exec('CREATE SCHEMA app')
  await conn.exec(`CREATE TABLE ${schemas ? 'app.' : ''}my_migrations (id ${t.serial}, name varchar(255),
    batch int, migration_time timestamp NULL)`)
  await conn.exec(`INSERT INTO ${schemas ? 'app.' : ''}my_migrations (name, batch) VALUES ('20240101_a.js', 1)`)
  const journal = { ...(schemas ? { namespace: 'app' } : {}), table: 'my_migrations' }
  expect(await keys(conn, imported('knex', ['20240101_a.js', '20240102_b.js'], journal))).toEqual(['20240101_a.js'])
  await expect(peerApplied(conn, imported('knex', ['20240101_a.js']))).rejects.toThrow(
    /the database has no knex_migrations table, where knex records what it applied/,
  )
}

describe('peer journals are read on every dialect', () => {
  test('SQLite', async () => {
    const conn = await openDatabase('sqlite::memory:')
    try {
      await readEveryTool('sqlite', conn)
    } finally {
      await conn.close()
    }
  })

  test('MariaDB', async () => {
    await withMysqlDatabase(async (db) => readEveryTool('mysql', db.conn))
  })

  test('PostgreSQL', async () => {
    await withDatabase('postgres', async (db) => readEveryTool('postgres', db.conn))
  })
})
