import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The same `count` small migrations in each tool's own directory format. Migration i creates table
 * m0001.. with three columns and a primary key, and one index: two statements, the shape of most real
 * migrations. No text columns, so each table costs the same few catalog rows in every tool's run.
 */
export function migrationSql(i) {
  const t = migrationTable(i)
  return [
    `CREATE TABLE ${t} (id bigint PRIMARY KEY, value integer NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE INDEX ${t}_value_idx ON ${t} (value)`,
  ]
}

export function migrationTable(i) {
  return `m${String(i).padStart(4, '0')}`
}

/** A 14-digit UTC version, one second apart from 2026-01-01 00:00:00. */
export function migrationVersion(i) {
  const date = new Date(Date.UTC(2026, 0, 1) + i * 1000)
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14)
}

/**
 * Writes every tool's directory under `root` and returns their paths. `knexWithoutTransaction`: knex runs each
 * migration outside a transaction (`exports.config`) rather than all pending ones in one, its default. The status
 * section needs it to set knex's journal up at all: one transaction of 2,500 or more of these migrations runs out of
 * lock table entries (PostgreSQL 15, max_locks_per_transaction 64: "out of shared memory" at m2508). Status then
 * reads the same journal either way.
 */
export function writeMigrationDirs(root, count, { knexWithoutTransaction = false } = {}) {
  const dirs = {
    keel: join(root, 'keel'),
    psql: join(root, 'psql'),
    knex: join(root, 'knex'),
    nodePgMigrate: join(root, 'node-pg-migrate'),
    drizzle: join(root, 'drizzle'),
  }
  writeKeel(dirs.keel, count)
  writePsql(dirs.psql, count)
  writeKnex(dirs.knex, count, knexWithoutTransaction)
  writeNodePgMigrate(dirs.nodePgMigrate, count)
  writeDrizzle(dirs.drizzle, count)
  return dirs
}

/** `migrations/<version>_m0001/up.sql` + `down.sql`; keel.sum is written by `keel sum --rehash`. */
function writeKeel(dir, count) {
  for (let i = 1; i <= count; i++) {
    const folder = join(dir, 'migrations', `${migrationVersion(i)}_${migrationTable(i)}`)
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, 'up.sql'), `${migrationSql(i).join(';\n')};\n`)
    writeFileSync(join(folder, 'down.sql'), `DROP TABLE ${migrationTable(i)};\n`)
  }
}

/** The floor: one file with every statement, for `psql -v ON_ERROR_STOP=1 -f`. */
function writePsql(dir, count) {
  mkdirSync(dir, { recursive: true })
  const statements = []
  for (let i = 1; i <= count; i++) statements.push(...migrationSql(i))
  writeFileSync(join(dir, 'all.sql'), `${statements.join(';\n')};\n`)
}

/** `migrations/<version>_m0001.cjs` exporting up/down that run the same SQL through knex.raw. */
function writeKnex(dir, count, withoutTransaction) {
  const migrations = join(dir, 'migrations')
  mkdirSync(migrations, { recursive: true })
  for (let i = 1; i <= count; i++) {
    const up = migrationSql(i)
      .map((sql) => `  await knex.raw(${JSON.stringify(sql)})`)
      .join('\n')
    const config = withoutTransaction ? 'exports.config = { transaction: false }\n' : ''
    const text = `${config}exports.up = async (knex) => {\n${up}\n}\nexports.down = async (knex) => {\n  await knex.raw('DROP TABLE ${migrationTable(i)}')\n}\n`
    writeFileSync(join(migrations, `${migrationVersion(i)}_${migrationTable(i)}.cjs`), text)
  }
}

/** `migrations/<version>_m0001.sql` with node-pg-migrate's `-- Up Migration` / `-- Down Migration` markers. */
function writeNodePgMigrate(dir, count) {
  const migrations = join(dir, 'migrations')
  mkdirSync(migrations, { recursive: true })
  for (let i = 1; i <= count; i++) {
    const text = `-- Up Migration\n${migrationSql(i).join(';\n')};\n\n-- Down Migration\nDROP TABLE ${migrationTable(i)};\n`
    writeFileSync(join(migrations, `${migrationVersion(i)}_${migrationTable(i)}.sql`), text)
  }
}

/** drizzle-kit's folder: `drizzle/0000_m0001.sql` (statement breakpoints) and `drizzle/meta/_journal.json`. */
function writeDrizzle(dir, count) {
  const out = join(dir, 'drizzle')
  mkdirSync(join(out, 'meta'), { recursive: true })
  const entries = []
  for (let i = 1; i <= count; i++) {
    const tag = `${String(i - 1).padStart(4, '0')}_${migrationTable(i)}`
    writeFileSync(join(out, `${tag}.sql`), `${migrationSql(i).join(';\n--> statement-breakpoint\n')};\n`)
    entries.push({ idx: i - 1, version: '7', when: Date.UTC(2026, 0, 1) + i * 1000, tag, breakpoints: true })
  }
  const journal = { version: '7', dialect: 'postgresql', entries }
  writeFileSync(join(out, 'meta', '_journal.json'), `${JSON.stringify(journal, null, 2)}\n`)
}

/** drizzle-kit reads the target from its config file; one per run, since every run has its own database. */
export function writeDrizzleConfig(dir, url) {
  const config = { dialect: 'postgresql', out: './drizzle', dbCredentials: { url } }
  const file = join(dir, 'drizzle.config.json')
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`)
  return file
}
