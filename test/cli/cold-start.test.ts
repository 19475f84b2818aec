/**
 * What `keel status` and `keel migrate` load before they reach the database: not the SQL parser's
 * WebAssembly, the TypeScript loader, the embedded database or the planner, which other commands need
 * and which cost a noticeable part of a cold start. A static import of any of them in the modules these
 * commands load shows up here. `keel status` and `keel --help` run from one CommonJS bundle, `keel migrate` from
 * another (scripts/build-bundle.mjs); what they require from node_modules is listed too.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { TEST_CACHE_HOME } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const BIN = join(import.meta.dirname, '../../bin/keel.js')
const dir = mkdtempSync(join(tmpdir(), 'keel-cold-start-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// A module loader hook that appends the URL of every module loaded through import to a file.
const HOOKS = `import { appendFileSync } from 'node:fs'
let file
export async function initialize(data) { file = data.file }
export async function load(url, context, next) { appendFileSync(file, url + '\\n'); return next(url, context) }
`
const REGISTER = `import { register } from 'node:module'
import { pathToFileURL } from 'node:url'
register(pathToFileURL(${JSON.stringify(join(dir, 'hooks.mjs'))}), { data: { file: process.env.KEEL_LOADED_FILE } })
`
// And every CommonJS module required (the bundle's packages from node_modules), as file URLs, and Node's own modules
// loaded (node:child_process), at exit.
const REQUIRED = `const { appendFileSync } = require('node:fs')
const { pathToFileURL } = require('node:url')
process.on('exit', () => {
  const urls = Object.keys(require.cache).map((file) => pathToFileURL(file).href)
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => 'node:' + m.slice(13))
  appendFileSync(process.env.KEEL_LOADED_FILE, [...urls, ...builtins].join('\\n') + '\\n')
})
`

/** The modules a command loads against a database that refuses connections. */
function loadedBy(command: string): string[] {
  const { loaded, run } = loadedFor([command, '--url', 'postgres://postgres@127.0.0.1:1/none'], command)
  expect(run.stderr).toContain('error[CONNECTION_REFUSED]')
  return loaded
}

function loadedFor(args: readonly string[], name: string) {
  const file = join(dir, `${name}.loaded`)
  writeFileSync(file, '')
  const run = spawnSync(
    process.execPath,
    ['--import', join(dir, 'register.mjs'), '--require', join(dir, 'required.cjs'), BIN, ...args],
    {
      cwd: dir,
      env: {
        ...process.env,
        KEEL_LOADED_FILE: file,
        DATABASE_URL: '',
        NO_COLOR: '1',
        KEEL_CODE_CACHE: '0',
        XDG_CACHE_HOME: TEST_CACHE_HOME,
      },
      encoding: 'utf8',
      // Standard input a file (/dev/null), as under cron or `< /dev/null`: Node makes it a file stream when read.
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  return { loaded: readFileSync(file, 'utf8').trim().split('\n').filter(Boolean), run }
}

/**
 * The runtime half of a dialect (runtimes.ts and what each dialect's runtime.ts loads: quoting, scratch
 * databases, the runner's hooks under runner/, the project template `keel init` writes, which is strings)
 * is light by design; its planner and introspection are not.
 */
function isRuntimeHalf(url: string): boolean {
  return /\/dist\/dialect\/[^/]+\/(runtime|quote|keywords|scratch|lock-table|project-template)\.js$|\/dist\/dialect\/[^/]+\/runner\//.test(
    url,
  )
}

describe('cold start', () => {
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS)
  writeFileSync(join(dir, 'register.mjs'), REGISTER)
  writeFileSync(join(dir, 'required.cjs'), REQUIRED)
  mkdirSync(join(dir, 'migrations'))

  it.each(['status', 'migrate'])(
    'keel %s loads no parser, TypeScript loader, embedded database or planner',
    (command) => {
      const loaded = loadedBy(command)
      // Each from its bundle, loading no ES module of dist/.
      expect(loaded.filter((url) => url.includes('/dist/') && !url.endsWith('-bundle.cjs'))).toEqual([])
      // Nor commander's child_process (scripts/build-bundle.mjs), nor, from looking at process.stdin, Node's file
      // streams, FileHandle, readline and fs/promises (which Node's ES module loader loads anyway).
      expect(loaded).not.toContain('node:child_process')
      expect(loaded).not.toContain('node:internal/fs/streams')
      const heavy = loaded.filter(
        (url) =>
          /\/node_modules\/(libpg-query|jiti|@electric-sql\/pglite)\/|\/dist\/(dialect\/(?!runtimes\.js|dialect\.js)|diff|plan\/(?!step\.js|policy\.js))/.test(
            url,
          ) && !isRuntimeHalf(url),
      )
      expect(heavy).toEqual([])
    },
  )

  it('keel inspect of a server loads no parser, TypeScript loader, embedded database, planner or other dialect', async () => {
    const loaded = await withDatabase('postgres', async (db) => {
      await db.conn.exec('CREATE TABLE t (id bigint PRIMARY KEY, name text)')
      const { loaded, run } = loadedFor(['inspect', '--url', db.url, '--format', 'json'], 'inspect')
      expect(run.stdout).toContain('"name": "t"')
      return loaded
    })
    expect(loaded.some((url) => url.endsWith('/dist/dialect/postgres/introspect.js'))).toBe(true)
    const heavy = loaded.filter(
      (url) =>
        /\/node_modules\/(libpg-query|jiti|@electric-sql\/pglite)\/|\/dist\/(plan\/|dialect\/registry\.js|migrate\/(?!directives\.js)|dialect\/(?!postgres\/)[^/]+\/)/.test(
          url,
        ) && !isRuntimeHalf(url),
    )
    expect(heavy).toEqual([])
  })

  // A SQLite command loads its own dialect alone: not the registry (every dialect's planner), not PostgreSQL's or
  // MySQL's folder or driver, not the SQL parser, and (push) not the phase pass or the migration runner, which SQLite's
  // plans never use; nor dotenv where there is no .env. Each cost the cold start of `keel inspect` and `keel push` on
  // Sakila milliseconds to tens of milliseconds.
  it('keel push and keel inspect of a SQLite file load no registry, other dialect, parser, phase pass, runner or dotenv', () => {
    const file = join(dir, 'app.sqlite')
    const schema = join(dir, 'schema.sql')
    writeFileSync(schema, 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);\nCREATE INDEX t_name ON t (name);\n')
    const pushed = loadedFor(['push', '--url', `sqlite:${file}`, '--schema', schema], 'push-sqlite')
    expect(pushed.run.stdout).toContain('Applied 2 statement(s)')
    const inspected = loadedFor(['inspect', '--url', `sqlite:${file}`], 'inspect-sqlite')
    expect(inspected.run.stdout).toContain('CREATE INDEX "t_name"')
    for (const loaded of [pushed.loaded, inspected.loaded]) {
      expect(loaded.some((url) => url.endsWith('/dist/dialect/sqlite/plan.js'))).toBe(true)
      const heavy = loaded.filter((url) =>
        /\/node_modules\/(libpg-query|jiti|@electric-sql\/pglite|pg|mysql2|node-sql-parser|dotenv)\/|\/dist\/(dialect\/registry\.js|dialect\/(?!sqlite\/)[^/]+\/|plan\/phases\.js|migrate\/(runner\.js|backfill\/))/.test(
          url,
        ),
      )
      expect(heavy).toEqual([])
    }
  })

  it('keel --help loads no command module, config loader, dotenv or URL form (only commander and the CLI shell)', () => {
    const { loaded, run } = loadedFor(['--help'], 'help')
    expect(run.stdout).toContain('Usage: keel')
    // From the bundle, whose modules statically imported by the CLI shell run at its start, the rest when first
    // imported: no ES module of dist/, and no package required.
    expect(loaded.filter((url) => url.includes('/dist/') || url.includes('/node_modules/'))).toEqual([])
    // commander's child_process, for executable subcommands Keel has none of, loads when it spawns one (never).
    expect(loaded).not.toContain('node:child_process')
    expect(
      loaded.filter((url) =>
        /\/dist\/(cli\/commands\/(?!all\.js)|cli\/context\.js|config\/|db\/(?!secrets\.js|redact-url\.js))|\/node_modules\/dotenv\//.test(
          url,
        ),
      ),
    ).toEqual([])
  })

  it('keel --version loads no module of the CLI', () => {
    const { loaded, run } = loadedFor(['--version'], 'version')
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/)
    expect(loaded.filter((url) => url.includes('/dist/') || url.includes('/node_modules/'))).toEqual([])
  })
})
