import type { Dialect, DialectRuntime } from './dialect.js'

/** The name of a dialect: what a Connection speaks and a Plan is written for. */
export type DialectName = 'postgres' | 'pglite' | 'sqlite' | 'mysql'

/**
 * The light half of every dialect, one line each (the full dialects are in registry.ts), loaded on first use:
 * `keel status` against PostgreSQL then loads PostgreSQL's runner hooks alone, not MySQL's and SQLite's as well.
 * Kept apart from the registry so that the runner reaches quoting, journal and lock without loading the planner.
 */
const loaders: Record<DialectName, () => Promise<DialectRuntime>> = {
  // The embedded one first: `keel init` offers the dialects in this order, and the first is its default.
  pglite: async () => (await import('./postgres/runtime.js')).pgliteRuntime,
  postgres: async () => (await import('./postgres/runtime.js')).postgresRuntime,
  mysql: async () => (await import('./mysql/runtime.js')).mysqlRuntime,
  sqlite: async () => (await import('./sqlite/runtime.js')).sqliteRuntime,
}

/** The runtimes loaded so far, and those on their way (two callers of one name wait for one import). */
const loaded = new Map<DialectName, DialectRuntime>()
const loading = new Map<DialectName, Promise<DialectRuntime>>()

/**
 * The dialect whose SQL lint reads when told of none, and whose parse tree (libpg_query's, lint/sql/tree.ts) the
 * rules read on every dialect: the others borrow it through its `lintSql.borrowTree`.
 */
export const lintTreeDialect: DialectName = 'postgres'

/** Every dialect's name, in the order above. */
export function dialectNames(): readonly DialectName[] {
  return Object.keys(loaders) as DialectName[]
}

/**
 * Loads the runtime half of a dialect (once) and returns it; afterwards {@link runtimeOf} answers for it. The edges
 * load what they name: each driver's module loads its dialect's runtime, so that `runtimeOf(conn.dialect)` answers
 * for every Connection, and code that asks for a dialect by name awaits this (or {@link loadRuntimes}, for every
 * dialect) first, in a function, never at a module's top level: a module with a top-level await cannot go into the
 * CommonJS bundle bin/keel.js runs (scripts/build-bundle.mjs), and would load every dialect wherever it is imported.
 */
export async function loadRuntime(name: DialectName): Promise<DialectRuntime> {
  const known = loaded.get(name)
  if (known !== undefined) return known
  let pending = loading.get(name)
  if (pending === undefined) {
    const loader = loaders[name]
    if (loader === undefined) throw new Error(`no dialect named ${JSON.stringify(name)}`)
    pending = loader().then((runtime) => {
      loaded.set(name, runtime)
      return runtime
    })
    loading.set(name, pending)
  }
  return pending
}

/**
 * Loads one whole dialect (planner, normaliser, introspection) through its runtime half: what a command on one
 * database needs, without the registry, which loads every dialect (a SQLite command then loads no PostgreSQL planner).
 */
export async function loadDialect(name: DialectName): Promise<Dialect> {
  return (await loadRuntime(name)).loadDialect()
}

/**
 * Records runtime halves already loaded by a static import (dialect/registry.ts, which imports every full dialect and
 * hands out Dialects synchronously): {@link runtimeOf} then answers for them as if {@link loadRuntime} had loaded
 * them. Each must be the object its loader above returns.
 */
export function adoptRuntimes(runtimes: readonly DialectRuntime[]): void {
  for (const runtime of runtimes) if (!loaded.has(runtime.name)) loaded.set(runtime.name, runtime)
}

/** Loads every dialect's runtime half, in {@link dialectNames} order. */
export async function loadRuntimes(): Promise<readonly DialectRuntime[]> {
  return Promise.all(dialectNames().map(loadRuntime))
}

/**
 * The runtime half of a dialect: quoting, capabilities, scratch databases (and the runner's hooks). Synchronous for
 * the many places deep in the runner that ask; it is loaded by then (see {@link loadRuntime}), and asking for one
 * that is not is a bug in Keel, not in the user's input.
 */
export function runtimeOf(name: DialectName): DialectRuntime {
  const runtime = loaded.get(name)
  if (runtime === undefined) {
    throw new Error(`the ${name} dialect's runtime was asked for before it was loaded (await loadRuntime first)`)
  }
  return runtime
}

/** The runtime halves loaded so far, in the order they loaded. */
export function loadedRuntimes(): Iterable<DialectRuntime> {
  return loaded.values()
}

/**
 * Whether any loaded dialect's runner says so of an error. For questions asked of a driver error without its
 * connection at hand (is it retryable?): each driver's codes are its own (a SQLSTATE, `SQLITE_BUSY`), so no dialect
 * ever claims another's error, and the dialect of a driver that raised one is loaded (its driver loaded it).
 */
export function anyRunner(question: (runner: DialectRuntime['runner']) => boolean): boolean {
  for (const runtime of loaded.values()) if (question(runtime.runner)) return true
  return false
}
