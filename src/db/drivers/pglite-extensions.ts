import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import type { PGlite } from '@electric-sql/pglite'
import { parseTar } from 'nanotar'

/**
 * Where each extension PGlite can load comes from, by the name `CREATE EXTENSION` takes: the module to import
 * and its export. PGlite's contrib extensions are `@electric-sql/pglite/contrib/<module>`; pgvector (`vector`)
 * is not among them but ships as its own package, `@electric-sql/pglite-pgvector`, built the same way. An
 * extension missing here fails as PostgreSQL says it does (`extension "x" is not available`).
 */
interface ExtensionSource {
  readonly specifier: string
  readonly exported: string
}

const CONTRIB: ReadonlyMap<string, ExtensionSource> = new Map(
  [
    'amcheck',
    'auto_explain',
    'bloom',
    'btree_gin',
    'btree_gist',
    'citext',
    'cube',
    'dict_int',
    'dict_xsyn',
    'earthdistance',
    'file_fdw',
    'fuzzystrmatch',
    'hstore',
    'intarray',
    'isn',
    'lo',
    'ltree',
    'moddatetime',
    'pageinspect',
    'pg_buffercache',
    'pg_freespacemap',
    'pg_stat_statements',
    'pg_surgery',
    'pg_trgm',
    'pg_visibility',
    'pg_walinspect',
    'pgcrypto',
    'seg',
    'tablefunc',
    'tcn',
    'tsm_system_rows',
    'tsm_system_time',
    'unaccent',
  ]
    .map((name): [string, string] => [name, name])
    .concat([['uuid-ossp', 'uuid_ossp']])
    .map(([name, module]): [string, ExtensionSource] => [
      name,
      { specifier: `@electric-sql/pglite/contrib/${module}`, exported: module },
    ])
    .concat([['vector', { specifier: '@electric-sql/pglite-pgvector', exported: 'vector' }]]),
)

/** `CREATE EXTENSION [IF NOT EXISTS] name`, the name bare (folded to lower case) or double-quoted. */
const CREATE_EXTENSION = /\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?(?:"((?:[^"]|"")+)"|([a-z_][\w$]*))/gi

/** The contrib extensions that `sql` creates (a mention inside a comment or a string counts: loading one too many is harmless). */
export function contribExtensionsIn(sql: string): string[] {
  if (!/create\s+extension/i.test(sql)) return []
  const names: string[] = []
  for (const match of sql.matchAll(CREATE_EXTENSION)) {
    const name = match[1] !== undefined ? match[1].replaceAll('""', '"') : (match[2] as string).toLowerCase()
    if (CONTRIB.has(name) && !names.includes(name)) names.push(name)
  }
  return names
}

/**
 * Makes contrib extensions available to a running PGlite, loading only those asked for.
 *
 * Why this way. Loading all of PGlite's contrib bundles at every start costs about a second, for schemas
 * that mostly use none. PGlite's own way takes the list when the database is constructed, which would
 * mean knowing every extension before opening; the alternative, waiting for `extension "x" is not
 * available` and retrying, cannot work where it matters: the error aborts the migration's or the scratch
 * schema's transaction (the retry would run again what the runner already journaled), and an in-memory
 * scratch database cannot be restarted without losing what it holds. A bundle is only files (control,
 * SQL scripts, a WebAssembly .so that PostgreSQL dlopens on first use), so it can be written into the
 * running instance's file system, about 15 ms each, just before the statement that needs it. The
 * connection scans what it is asked to run for `CREATE EXTENSION` (every source, migration and scratch
 * replay passes through it, so no caller has to know), and on opening a directory loads the extensions
 * already installed there (their types and operators need the .so as soon as a table is read).
 */
export class PgliteExtensions {
  readonly #db: PGlite
  readonly #loaded = new Set<string>()

  constructor(db: PGlite) {
    this.#db = db
  }

  /** Loads the contrib extensions `sql` creates, before it runs. */
  async beforeRunning(sql: string): Promise<void> {
    for (const name of contribExtensionsIn(sql)) await this.load(name)
  }

  /** Loads the contrib extensions installed in the database (a persisted directory reopened). */
  async loadInstalled(): Promise<void> {
    const { rows } = await this.#db.query<{ extname: string }>('SELECT extname FROM pg_catalog.pg_extension')
    for (const { extname } of rows) if (CONTRIB.has(extname)) await this.load(extname)
  }

  async load(name: string): Promise<void> {
    const source = CONTRIB.get(name)
    if (source === undefined || this.#loaded.has(name)) return
    const exported = (await import(source.specifier)) as Record<string, ContribExtension>
    const extension = exported[source.exported]
    if (extension === undefined) return
    const { bundlePath } = await extension.setup(this.#db, {})
    const files = parseTar(gunzipSync(await readFile(fileURLToPath(bundlePath))))
    const fs = this.#db.Module.FS
    const root = this.#db.Module.WASM_PREFIX
    for (const file of files) {
      const path = `${root}/${file.name.replace(/\/$/, '')}`
      if (file.type === 'directory') {
        if (!fs.analyzePath(path).exists) fs.mkdirTree(path)
        continue
      }
      if (file.type !== 'file' || file.data === undefined || file.name.startsWith('.')) continue
      const dir = path.slice(0, path.lastIndexOf('/'))
      if (!fs.analyzePath(dir).exists) fs.mkdirTree(dir)
      fs.writeFile(path, file.data)
    }
    this.#loaded.add(name)
  }
}

interface ContribExtension {
  readonly setup: (db: PGlite, emscriptenOptions: object) => Promise<{ readonly bundlePath: URL }>
}
