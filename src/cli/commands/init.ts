import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Option } from 'commander'
import { KeelError } from '../../errors.js'
import type { RegisterCommand } from '../command.js'
import { withGlobalOptions } from '../command.js'

interface InitOptions {
  readonly dialect: 'postgres' | 'mysql' | 'sqlite' | 'pglite'
}

const CONFIGS: Record<InitOptions['dialect'], string> = {
  sqlite: `import { defineConfig } from 'keel'

// A SQLite file beside the project (created by the first push or migrate).
export default defineConfig({
  url: 'sqlite:app.db',
  schema: 'schema.sql',
  migrations: 'migrations',
})
`,
  pglite: `import { defineConfig } from 'keel'

// With no url, Keel uses an embedded PostgreSQL (PGlite) in .keel/db: nothing to install or start.
export default defineConfig({
  schema: 'schema.ts',
  migrations: 'migrations',
})
`,
  mysql: `import { defineConfig } from 'keel'

// DATABASE_URL (mysql://... or mariadb://...) comes from the environment or from .env. If it is unset, Keel
// stops with an error rather than touching another database.
export default defineConfig({
  url: process.env.DATABASE_URL,
  schema: 'schema.sql',
  migrations: 'migrations',
})
`,
  postgres: `import { defineConfig } from 'keel'

// DATABASE_URL comes from the environment or from .env. If it is unset, Keel stops with an error rather than
// touching another database (a fallback URL here would send a deploy with a missing variable to it).
export default defineConfig({
  url: process.env.DATABASE_URL,
  schema: 'schema.ts',
  migrations: 'migrations',
})
`,
}

/** The starter schema is the brief's blog (users and posts), the same file the demo starts from. */
const STARTER_SCHEMA = new URL('../../../examples/blog/schema.v1.ts', import.meta.url)

/** The brief's blog (users and posts) in MySQL's SQL (MariaDB reads it too). */
const STARTER_MYSQL = `CREATE TABLE users (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(255) NOT NULL UNIQUE,
  name VARCHAR(255) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE posts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  author_id BIGINT UNSIGNED NOT NULL,
  title VARCHAR(255) NOT NULL,
  body TEXT NOT NULL,
  published_at TIMESTAMP NULL,
  CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE INDEX posts_author_id_idx ON posts (author_id);
`

/** The brief's blog (users and posts) in SQLite's SQL. */
const STARTER_SQLITE = `CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE posts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  author_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  published_at TEXT
);

CREATE INDEX posts_author_id_idx ON posts (author_id);
`

/** `keel init [--dialect ...]`: writes keel.config.ts, schema.ts and migrations/. */
export const registerInit: RegisterCommand = (program, run) => {
  withGlobalOptions(program.command('init').description('start a Keel project in the working directory'))
    .addOption(
      new Option(
        '--dialect <dialect>',
        'database: pglite (embedded, no server), postgres, mysql (MySQL or MariaDB) or sqlite',
      ).default('pglite'),
    )
    .action(
      run<InitOptions>(async (ctx, options) => {
        if (!Object.hasOwn(CONFIGS, options.dialect))
          throw new KeelError('USAGE', `--dialect must be pglite, postgres, mysql or sqlite (got "${options.dialect}")`)
        const written: string[] = []
        const write = (name: string, text: string) => {
          const path = join(ctx.cwd, name)
          if (existsSync(path)) return ctx.out.warn(`${name} exists; left as it is`)
          writeFileSync(path, text)
          written.push(name)
        }
        write('keel.config.ts', CONFIGS[options.dialect])
        // SQLite and MySQL start from SQL: the TypeScript DSL speaks PostgreSQL's types and objects.
        const sql = { sqlite: STARTER_SQLITE, mysql: STARTER_MYSQL }[options.dialect as 'sqlite' | 'mysql']
        const schema = sql === undefined ? 'schema.ts' : 'schema.sql'
        write(schema, sql ?? starterSchema())
        if (options.dialect === 'postgres') write('.env', 'DATABASE_URL=postgres://postgres@localhost:5432/app\n')
        if (options.dialect === 'mysql') write('.env', 'DATABASE_URL=mysql://root@localhost:3306/app\n')
        const ignored = ignoreGenerated(ctx.cwd)
        if (ignored) written.push('.gitignore')
        if (!existsSync(join(ctx.cwd, 'migrations'))) {
          mkdirSync(join(ctx.cwd, 'migrations'))
          written.push('migrations/')
        }
        ctx.out.line(written.length > 0 ? `Wrote ${written.join(', ')}.` : 'Nothing to write.')
        ctx.out.line(
          `Next: edit ${schema}, then \`keel push\` to apply it to your development database, or \`keel generate init\` to write it as a migration.`,
        )
        ctx.out.result({ written })
        return 0
      }),
    )
}

/** The starter schema, opening with words for its new owner rather than the example's own comment. */
function starterSchema(): string {
  const example = readFileSync(STARTER_SCHEMA, 'utf8').replace(/^(\/\/.*\n)+/, '')
  return `// Your database schema. Edit it, then run \`keel push\` (development) or \`keel generate NAME\` (a migration).\n${example}`
}

/** Lines a Keel project keeps out of version control: the embedded database, and the .env holding URLs. */
const IGNORED = ['.keel/', '.env']

/** Adds what is missing of {@link IGNORED} to .gitignore (creating it); true when it wrote something. */
function ignoreGenerated(dir: string): boolean {
  const path = join(dir, '.gitignore')
  const text = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const present = new Set(text.split(/\r?\n/).map((line) => line.trim().replace(/^\//, '')))
  const missing = IGNORED.filter((entry) => !present.has(entry) && !present.has(entry.replace(/\/$/, '')))
  if (missing.length === 0) return false
  const separator = text === '' || text.endsWith('\n') ? '' : '\n'
  writeFileSync(path, `${text}${separator}${text === '' ? '' : '\n'}# Keel\n${missing.join('\n')}\n`)
  return true
}
