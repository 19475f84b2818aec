import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { createScratchDatabase, type ScratchDatabase } from '../../../src/db/scratch.js'
import { readMigrationsDirectory } from '../../../src/migrate/directory.js'
import { writeSum } from '../../../src/migrate/keel-sum.js'
import { dropEverything } from '../../../src/migrate/reset.js'
import { type TestDialect, withDatabase } from '../../support/databases.js'
import { seedPgliteDir } from '../../support/pglite-dir.js'

/** A throw-away project directory with a migrations folder, for runner and CLI tests. */
export interface TestProject {
  readonly root: string
  readonly migrations: string
  readonly config: string
  /** Writes a migration folder (files by name) and, unless told not to, rewrites keel.sum. */
  add(id: string, files: Readonly<Record<string, string>>, options?: { readonly sum?: boolean }): string
  rehash(): void
  dispose(): void
}

/** `createProject` for a test file whose projects are all disposed after its last test (call at the top level). */
export function projectsDisposedAfterAll(): () => TestProject {
  const projects: TestProject[] = []
  afterAll(() => {
    for (const project of projects) project.dispose()
  })
  return () => {
    const project = createProject()
    projects.push(project)
    return project
  }
}

/**
 * A fresh project for each test of the file or describe block it is called in (at its top level): created before
 * each test, disposed after it. The object it returns reads the running test's project.
 */
export function useProject(config?: string): TestProject {
  let current: TestProject | undefined
  beforeEach(() => {
    current = createProject(config)
  })
  afterEach(() => {
    current?.dispose()
    current = undefined
  })
  const now = (): TestProject => {
    if (current === undefined) throw new Error('useProject: read outside a test')
    return current
  }
  return {
    get root() {
      return now().root
    },
    get migrations() {
      return now().migrations
    },
    get config() {
      return now().config
    },
    add: (id, files, options) => now().add(id, files, options),
    rehash: () => now().rehash(),
    dispose: () => now().dispose(),
  }
}

export function createProject(config = 'export default { migrations: "migrations", seeds: "seeds" }\n'): TestProject {
  const root = mkdtempSync(join(tmpdir(), 'keel-migrate-'))
  const migrations = join(root, 'migrations')
  mkdirSync(migrations)
  const configFile = join(root, 'keel.config.mjs')
  writeFileSync(configFile, config)
  const project: TestProject = {
    root,
    migrations,
    config: configFile,
    add(id, files, options) {
      const dir = join(migrations, id)
      mkdirSync(dir, { recursive: true })
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
      if (options?.sum !== false) project.rehash()
      return dir
    },
    rehash() {
      writeSum(readMigrationsDirectory(migrations))
    },
    dispose() {
      rmSync(root, { recursive: true, force: true })
    },
  }
  return project
}

/** A database a test runs library calls against, and a way to look into it between calls. */
export interface Target {
  readonly dialect: TestDialect
  /** What runner functions need: the URL, and on PGlite the one in-memory connection. */
  readonly options: { readonly url: string; readonly connection?: Connection }
  readonly conn: Connection
}

/**
 * A fresh database for each call: a uniquely named PostgreSQL database, or (PGlite's initdb costs
 * seconds) one in-memory PGlite per test file, emptied between tests with `dropEverything`.
 * Call `disposeTargets()` in afterAll.
 */
export async function withTarget(dialect: TestDialect, fn: (target: Target) => Promise<void>): Promise<void> {
  if (dialect === 'postgres') {
    await withDatabase('postgres', ({ url, conn }) => fn({ dialect, conn, options: { url } }))
    return
  }
  sharedPglite ??= createScratchDatabase()
  const { url, conn } = await sharedPglite
  await dropEverything(conn)
  await fn({ dialect, conn, options: { url, connection: conn } })
}

let sharedPglite: Promise<ScratchDatabase> | undefined

export async function disposeTargets(): Promise<void> {
  const shared = sharedPglite
  sharedPglite = undefined
  await (await shared)?.dispose()
}

/**
 * A PGlite database in a directory, for commands that run in their own process (or open their own connection).
 * The directory starts as an initialised, empty database (the saved template that in-memory scratch databases
 * load, see test/support/pglite-dir.ts) so that the first command does not spend seconds in initdb; a command that finds
 * an empty directory and initialises it is tested where that is the point (test/cli/).
 */
export async function withPgliteDir(fn: (url: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keel-pglite-'))
  try {
    await seedPgliteDir(dir)
    await fn(`pglite:${dir}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A fresh database the CLI can open by URL: a uniquely named PostgreSQL database, or a PGlite directory. */
export async function withUrl(dialect: TestDialect, fn: (url: string) => Promise<void>): Promise<void> {
  if (dialect === 'pglite') return withPgliteDir(fn)
  return withDatabase('postgres', ({ url }) => fn(url))
}

/** What a CLI run printed and returned. */
export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `keel ARGS --config <project> --url URL` in this process through main(), capturing its output. */
export async function runKeel(project: TestProject, url: string, ...args: readonly string[]): Promise<CliRun> {
  const { main } = await import('../../../src/cli/main.js')
  let stdout = ''
  let stderr = ''
  const out = process.stdout.write.bind(process.stdout)
  const err = process.stderr.write.bind(process.stderr)
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  }) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk)
    return true
  }) as typeof process.stderr.write
  try {
    const code = await main([...args, '--config', project.config, '--url', url])
    return { code, stdout, stderr }
  } finally {
    process.stdout.write = out
    process.stderr.write = err
  }
}

/** Opens a connection for a moment (PGlite directories allow one at a time). */
export async function withConnection<T>(url: string, fn: (conn: Connection) => Promise<T>): Promise<T> {
  const { openDatabase } = await import('../../../src/db/open.js')
  const conn = await openDatabase(url)
  try {
    return await fn(conn)
  } finally {
    await conn.close()
  }
}
