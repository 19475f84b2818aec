#!/usr/bin/env node
// `keel --version` alone is answered before any module loads (the CLI, commander, the config loader): it is
// what scripts run most often to probe for the tool, and it needs only package.json.
const args = process.argv.slice(2)
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs')
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`)
} else {
  // Node 22.1 and later keep V8's compiled code of each module in a cache on disk (os.tmpdir()/node-compile-cache,
  // NODE_COMPILE_CACHE elsewhere, NODE_DISABLE_COMPILE_CACHE=1 none), as TypeScript's tsc does: a cold start then
  // parses and compiles less of the ~460 KB of JavaScript a command loads (`keel status` at 1,000 applied
  // migrations, Node 22.23: 6% fewer main-thread instructions, callgrind, 503M -> 474M). Node 20 has no such
  // cache and skips this.
  const { enableCompileCache } = await import('node:module')
  enableCompileCache?.()
  // `keel lint` parses with libpg_query's WebAssembly build (1.7 MB). V8 compiles it with Liftoff, then compiles
  // the hot parser functions again with TurboFan in the background, and the process waits for those compiles
  // before it exits: for one CLI run that costs more than it saves (300 migration files: 1.23 s of CPU, 0.95 s
  // with Liftoff alone; one file: 0.62 s, 0.38 s). Other commands keep the default: PGlite's WebAssembly
  // (the embedded database) runs whole migrations and gains from TurboFan. `keel migrate` parses and lints its
  // pending files the same way, and takes Liftoff alone too when its target is known here to be a server or SQLite
  // (--url, else DATABASE_URL): 200 migrations, 1.3 -> 1.0 s of CPU; 1,000, 2.3 -> 2.1 s (loaded machine).
  const command = args.find((arg) => !arg.startsWith('-'))
  const server = /^(postgres|postgresql|mysql|mariadb|sqlite):/i
  if (command === 'lint' || (command === 'migrate' && server.test(targetUrl()))) {
    const { setFlagsFromString } = await import('node:v8')
    setFlagsFromString('--liftoff-only')
  }
  // A reader that goes away (`keel status | head`) closes the pipe: the writes after that fail with EPIPE, which
  // Node raises as an unhandled 'error' event and a stack trace. The command goes on to its end with its output
  // dropped: a migration half-way keeps running to its own end rather than stopping where the reader stopped.
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error
  })
  // `keel status` loads its modules beside the CLI's (commander, main.js) rather than after them: ESM loading waits
  // on file reads, and one graph's waits are another's turns. With the database named here (--url, DATABASE_URL), its
  // driver loads meanwhile too. Each import is the one the command makes later (a module loads once); a failure
  // here is left to that import to report.
  if (command === 'status' && !args.includes('--help') && !args.includes('-h')) {
    const preload = (promise) => promise.catch(() => {})
    preload(import('../dist/cli/commands/status.js'))
    preload(import('../dist/cli/context.js'))
    const url = targetUrl()
    if (url !== '') preload(import('../dist/db/open.js').then(({ loadDriver }) => loadDriver(url)))
  }
  const { main } = await import('../dist/cli/main.js')
  process.exitCode = await main(args)
}

/** The URL the command line or the environment names (`--url X`, `--url=X`, else DATABASE_URL), or ''. */
function targetUrl() {
  const at = args.indexOf('--url')
  const inline = args.find((arg) => arg.startsWith('--url='))
  return (at >= 0 ? args[at + 1] : inline?.slice('--url='.length)) ?? process.env.DATABASE_URL ?? ''
}
