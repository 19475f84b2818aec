import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { measureRounds } from './measure.mjs'
import { migrationTable, migrationVersion } from './migration-dirs.mjs'
import { KEEL_BIN } from './peers.mjs'
import { timedCommand } from './proc.mjs'
import { progress } from './stats.mjs'

/** The MySQL-protocol server (MariaDB 10.11 here): root, no password, as the tests use it. */
const SERVER = new URL(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306')
const clientArgs = [
  '-h',
  SERVER.hostname,
  '-P',
  SERVER.port || '3306',
  '-u',
  decodeURIComponent(SERVER.username) || 'root',
]
const urlOf = (db) => `mysql://${SERVER.username || 'root'}@${SERVER.hostname}:${SERVER.port || '3306'}/${db}`

/**
 * MariaDB against its floors, both whole processes: `keel inspect --format json` of `tables` generated tables
 * against `mariadb-dump --no-data`, and `keel migrate` of `migrations` small migrations (a CREATE TABLE and a
 * CREATE INDEX each, run statement by statement with their progress journaled, as DDL commits implicitly there)
 * against the `mariadb` client running the same statements from one file. Each migrate run gets a fresh database,
 * made outside the timed part; every database is dropped at the end.
 */
export async function benchMysql({ tables, migrations, runs, tmp }) {
  const made = []
  const create = (label) => {
    const name = `keel_bench_my_${label}_${randomBytes(3).toString('hex')}`
    client(['-e', `CREATE DATABASE ${name} CHARACTER SET utf8mb4`])
    made.push(name)
    return name
  }
  try {
    progress(`MariaDB: ${tables} tables for inspect`)
    const schemaFile = join(tmp, 'mysql-schema.sql')
    writeFileSync(schemaFile, schemaSql(tables))
    const inspected = create('inspect')
    client([inspected, '-e', `source ${schemaFile}`])
    const project = writeKeelProject(join(tmp, 'mysql-keel'), migrations)
    const allSql = join(tmp, 'mysql-all.sql')
    writeFileSync(
      allSql,
      `${Array.from({ length: migrations }, (_, i) => migrationSql(i + 1).join(';\n')).join(';\n')};\n`,
    )
    await timedCommand('node', [KEEL_BIN, 'sum', '--rehash'], { cwd: project })
    let keelDb
    let clientDb
    return await measureRounds(
      [
        {
          id: 'mysql.introspect.keel-cli-json',
          label: `Keel: keel inspect --format json (MariaDB, ${tables} tables)`,
          role: 'keel',
          fn: async () =>
            (await timedCommand('node', [KEEL_BIN, 'inspect', '--url', urlOf(inspected), '--format', 'json'])).ms,
        },
        {
          id: 'mysql.introspect.mariadb-dump',
          label: 'floor: mariadb-dump --no-data',
          role: 'floor',
          fn: async () => (await timedCommand('mariadb-dump', [...clientArgs, '--no-data', inspected])).ms,
        },
        {
          id: 'mysql.migrate.keel',
          label: `Keel: keel migrate (MariaDB, ${migrations} migrations)`,
          role: 'keel',
          fn: async () => {
            keelDb = create('migrate')
            return (await timedCommand('node', [KEEL_BIN, 'migrate', '--url', urlOf(keelDb)], { cwd: project })).ms
          },
        },
        {
          id: 'mysql.migrate.mariadb',
          label: 'floor: mariadb DB -e "source all.sql"',
          role: 'floor',
          fn: async () => {
            clientDb = create('client')
            return (await timedCommand('mariadb', [...clientArgs, clientDb, '-e', `source ${allSql}`])).ms
          },
        },
      ],
      runs,
    ).then((results) => {
      // Both sides made every table (the journal beside Keel's).
      const count = (db) =>
        Number(client(['-N', '-e', `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${db}'`]))
      if (keelDb && count(keelDb) !== migrations + 1) throw new Error(`keel migrate made ${count(keelDb) - 1} tables`)
      if (clientDb && count(clientDb) !== migrations) throw new Error(`mariadb made ${count(clientDb)} tables`)
      return results
    })
  } finally {
    for (const name of made) client(['-e', `DROP DATABASE IF EXISTS ${name}`])
  }
}

function client(args) {
  return execFileSync('mariadb', [...clientArgs, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
}

/** Tables of 9 columns (auto-increment key, JSON, a defaulted DATETIME...), 2 indexes and a foreign key to the previous one. */
function schemaSql(tables) {
  const lines = ['SET foreign_key_checks = 0;']
  for (let i = 1; i <= tables; i++) {
    const t = `t${String(i).padStart(4, '0')}`
    const parent = i > 1 ? `t${String(i - 1).padStart(4, '0')}` : t
    lines.push(`CREATE TABLE ${t} (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  a BIGINT NOT NULL,
  b VARCHAR(100) NOT NULL,
  c DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  d TINYINT(1) NOT NULL DEFAULT 0,
  e DOUBLE NULL,
  f JSON NULL,
  g DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  parent_id BIGINT NULL,
  KEY ${t}_a_b (a, b),
  KEY ${t}_g (g),
  CONSTRAINT ${t}_parent FOREIGN KEY (parent_id) REFERENCES ${parent} (id)
) ENGINE=InnoDB;`)
  }
  return `${lines.join('\n')}\n`
}

/** Migration i: the PostgreSQL benchmark's shape in MySQL's types. */
function migrationSql(i) {
  const t = migrationTable(i)
  return [
    `CREATE TABLE ${t} (id BIGINT PRIMARY KEY, value INT NOT NULL, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)`,
    `CREATE INDEX ${t}_value_idx ON ${t} (value)`,
  ]
}

function writeKeelProject(root, count) {
  mkdirSync(root, { recursive: true })
  writeFileSync(join(root, 'keel.config.mjs'), "export default { migrations: 'migrations' }\n")
  for (let i = 1; i <= count; i++) {
    const folder = join(root, 'migrations', `${migrationVersion(i)}_${migrationTable(i)}`)
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, 'up.sql'), `${migrationSql(i).join(';\n')};\n`)
  }
  return root
}
