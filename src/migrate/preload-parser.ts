import { type DialectName, loadRuntime } from '../dialect/runtimes.js'

/**
 * Starts loading the dialect's statement parser without waiting for it: on PostgreSQL, libpg_query's WebAssembly
 * (1.7 MB), which V8 compiles on a background thread. The runner starts it once it knows that something is to run,
 * together with what its check loads (MigrateOptions.prepareCheck, the lint rules), so that those load on this
 * thread while the parser compiles on the other, instead of one after the other. Loaded earlier still (at the
 * start of the run), `keel migrate` with nothing to do would pay for it: 60-80 ms more CPU at 1,000 applied.
 * A failure to load is met again, and reported, by the run's own first parse.
 */
export function preloadParser(dialect: DialectName): void {
  // An empty text parses to nothing, after loading the parser.
  loadRuntime(dialect)
    .then((runtime) => runtime.runner.parseStatements('', ''))
    .catch(() => {})
}
