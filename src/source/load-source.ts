import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { assertNever } from '../assert-never.js'
import type { Connection } from '../db/connection.js'
import { openDatabase } from '../db/open.js'
import { createScratchDatabase } from '../db/scratch.js'
import { sqlErrorAt } from '../db/sql-error.js'
import { isDatabaseUrl, parseDatabaseUrl, redactUrl } from '../db/url.js'
import type { IntrospectOptions } from '../dialect/dialect.js'
import { introspectConnection } from '../dialect/introspect-lazy.js'
import type { DialectName } from '../dialect/registry.js'
import { loadRuntime } from '../dialect/runtimes.js'
import type { Rename } from '../diff/change.js'
import { KeelError } from '../errors.js'
import type { Schema } from '../schema/model.js'
import { hintedRenames } from './hints.js'
import { isPrismaFolder } from './prisma/prisma-files.js'
import { stripPgDumpMeta } from './psql-meta.js'

/** A schema read from a SRC, normalised by a real PostgreSQL, with the source's rename hints attached. */
export interface LoadedSource {
  readonly schema: Schema
  readonly renames: readonly Rename[]
  /** The dialect of the database that the schema was read from or normalised by: the one to plan with. */
  readonly dialect: DialectName
  /** What was read, for messages (URLs redacted). */
  readonly description: string
}

/** A schema and the dialect of the database it was read from. */
interface ReadSchema {
  readonly schema: Schema
  readonly dialect: DialectName
}

export interface LoadSourceOptions {
  readonly cwd: string
  /**
   * A server URL beside which scratch databases are created, so that a declared schema is normalised
   * by the same PostgreSQL version as the database it is compared with. Without one: PGlite.
   */
  readonly near?: string
  readonly introspect?: IntrospectOptions
  /** Replays a migrations directory onto a connection (injected to keep source/ free of migrate/). */
  readonly replayMigrations?: (conn: Connection, dir: string) => Promise<void>
}

/**
 * Reads a SRC (DESIGN.md): a database URL, `pglite:DIR|memory`, a `.sql` file of desired state, a
 * `.ts` schema module, a `.prisma` file or folder, or a migrations directory (replayed on a scratch database).
 */
export async function loadSchemaSource(src: string, options: LoadSourceOptions): Promise<LoadedSource> {
  const { schema, dialect } = await readSource(src, options)
  return { schema, renames: hintedRenames(schema), dialect, description: redactUrl(src) }
}

/** The forms a SRC can take, told apart without any IO beyond a stat. */
export type SourceKind =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'sql' | 'module' | 'directory' | 'prisma' | 'json'; readonly path: string }

/**
 * Tells what a SRC is, or throws UNKNOWN_SOURCE / SOURCE_NOT_FOUND. Commands classify every source
 * before loading any, so that a typo fails at once instead of after a database has been opened.
 */
export function classifySource(src: string, cwd: string): SourceKind {
  if (isDatabaseUrl(src)) return { kind: 'url', url: src }
  const path = resolve(cwd, src)
  if (!existsSync(path)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(src) && !/^[a-z]:[\\/]/i.test(src)) {
      throw new KeelError('UNKNOWN_SOURCE', `unknown source form: ${redactUrl(src)}`)
    }
    throw new KeelError('SOURCE_NOT_FOUND', `no such file or directory: ${src}`)
  }
  if (statSync(path).isDirectory()) return { kind: isPrismaFolder(path) ? 'prisma' : 'directory', path }
  switch (extname(path).toLowerCase()) {
    case '.prisma':
      return { kind: 'prisma', path }
    case '.sql':
      return { kind: 'sql', path }
    case '.json':
      return { kind: 'json', path }
    case '.ts':
    case '.mts':
    case '.js':
    case '.mjs':
      return { kind: 'module', path }
    default:
      throw new KeelError(
        'UNKNOWN_SOURCE',
        `unknown source form: ${src} (expected .sql, .ts, .prisma, .json, a directory or a URL)`,
      )
  }
}

async function readSource(src: string, options: LoadSourceOptions): Promise<ReadSchema> {
  const source = classifySource(src, options.cwd)
  switch (source.kind) {
    case 'url':
      return introspectUrl(source.url, options.introspect)
    case 'directory':
      return loadMigrationsDirectory(source.path, options)
    case 'sql':
      return loadSqlFile(source.path, src, options)
    // The DSL, Prisma and the planner that materialises their schemas are loaded only for these sources: reading a
    // database (keel inspect, every --from URL) starts faster without them.
    case 'module': {
      const [{ loadSchemaModuleFor }, { materializeSchema }] = await Promise.all([
        import('./schema-module.js'),
        import('./materialize.js'),
      ])
      // A keel/schema module is written for no dialect: its sql`` fragments quote names, and its defaults strings, as
      // the database that normalises it does (`x` on MySQL, where "x" is a string and a backslash escapes). A Drizzle module names its own dialect.
      const target =
        options.near !== undefined && isDatabaseUrl(options.near) ? parseDatabaseUrl(options.near).kind : undefined
      const runtime = target === undefined ? undefined : await loadRuntime(target)
      const declared = await loadSchemaModuleFor(
        source.path,
        runtime === undefined ? {} : { quoteIdent: runtime.quoteIdent, quoteLiteral: runtime.quoteLiteral },
      )
      const near = await moduleNear(declared.dialect, options.near, src, `Drizzle ${declared.dialect}Table()s`)
      return materializeSchema(declared.schema, near, options.introspect, {
        path: source.path,
        cwd: options.cwd,
        code: 'SCHEMA_MODULE',
      })
    }
    case 'json': {
      // The model as `keel inspect --format json` prints it: created on a scratch database like a declared schema,
      // so that what the JSON cannot recreate shows as a difference instead of being trusted.
      const [{ readSchemaJson }, { materializeSchema }] = await Promise.all([
        import('./schema-json.js'),
        import('./materialize.js'),
      ])
      return materializeSchema(readSchemaJson(source.path, src), options.near, options.introspect, {
        path: source.path,
        cwd: options.cwd,
        code: 'SCHEMA_JSON',
      })
    }
    case 'prisma': {
      const [{ loadPrismaSchema }, { materializeSchema }] = await Promise.all([
        import('./prisma/load-prisma.js'),
        import('./materialize.js'),
      ])
      const { schema, dialect } = await loadPrismaSchema(source.path, options.cwd)
      // The datasource's provider decides the dialect: a SQLite schema is normalised by SQLite, whatever is near.
      const near = await moduleNear(dialect, options.near, src, `a Prisma ${dialect} datasource`)
      return materializeSchema(schema, near, options.introspect, {
        path: source.path,
        cwd: options.cwd,
        code: 'PRISMA_SCHEMA',
      })
    }
    default:
      return assertNever(source)
  }
}

/**
 * Where a schema declared for one dialect is normalised: where that dialect says (a SQLite one by SQLite whatever is
 * near, a MySQL one only beside a MySQL or MariaDB server), or beside `near` when it names no dialect.
 */
async function moduleNear(
  dialect: DialectName | undefined,
  near: string | undefined,
  src: string,
  what: string,
): Promise<string | undefined> {
  const declared = dialect === undefined ? undefined : (await loadRuntime(dialect)).declaredScratch
  return declared === undefined ? near : declared(near, src, what)
}

async function introspectUrl(url: string, introspect?: IntrospectOptions): Promise<ReadSchema> {
  const conn = await openDatabase(url)
  try {
    // The connection is this function's own, in no transaction: introspection may read on a second one beside it.
    return { schema: await introspectConnection(conn, { ...introspect, parallel: true }), dialect: conn.dialect }
  } finally {
    await conn.close()
  }
}

async function loadSqlFile(path: string, display: string, options: LoadSourceOptions): Promise<ReadSchema> {
  const sql = stripPgDumpMeta(readFileSync(path, 'utf8'))
  const scratch = await createScratchDatabase(options.near)
  try {
    try {
      await scratch.conn.exec(sql)
    } catch (error) {
      throw sqlErrorAt(error, sql, { file: display })
    }
    const schema = await introspectConnection(scratch.conn, options.introspect)
    const { withSqlHints } = await import('./materialize.js')
    return { schema: withSqlHints(schema, sql), dialect: scratch.conn.dialect }
  } finally {
    await scratch.dispose()
  }
}

async function loadMigrationsDirectory(dir: string, options: LoadSourceOptions): Promise<ReadSchema> {
  if (!options.replayMigrations) {
    throw new KeelError('UNKNOWN_SOURCE', `a directory is a source only where migrations can be replayed: ${dir}`)
  }
  const scratch = await createScratchDatabase(options.near)
  try {
    await options.replayMigrations(scratch.conn, dir)
    const schema = await introspectConnection(scratch.conn, {
      ...options.introspect,
      excludeTables: [...(options.introspect?.excludeTables ?? []), 'keel_migrations'],
    })
    return { schema, dialect: scratch.conn.dialect }
  } finally {
    await scratch.dispose()
  }
}

/**
 * Where scratch databases go: the first of `srcs` that is a database URL whose dialect puts them beside
 * it (a PostgreSQL server, not PGlite, whose scratch databases are what no URL gives too).
 */
export async function serverNear(...srcs: readonly (string | undefined)[]): Promise<string | undefined> {
  for (const src of srcs) {
    if (src !== undefined && isDatabaseUrl(src) && (await loadRuntime(parseDatabaseUrl(src).kind)).scratchBeside)
      return src
  }
  return undefined
}
