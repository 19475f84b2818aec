#!/usr/bin/env node
// CommonJS (bin/package.json): a CommonJS entry starts without Node's ES module loader, which `keel --version`
// never needs and `keel status` and `keel migrate` load from CommonJS bundles (see below) without; `keel --help` is
// printed from a file made at build time (builtHelp).
'use strict'
const { join } = require('node:path')

const args = process.argv.slice(2)
/** The commands run from a bundle, and its file in dist/ (scripts/build-bundle.mjs makes the same ones). */
const BUNDLES = { status: 'cli-bundle.cjs', migrate: 'migrate-bundle.cjs' }
// `keel --version` alone is answered before any module loads (the CLI, commander, the config loader): it is
// what scripts run most often to probe for the tool, and it needs only package.json.
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = require('node:fs')
  process.stdout.write(`${JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version}\n`)
} else {
  // A reader that goes away (`keel status | head`) closes the pipe: the writes after that fail with EPIPE, which
  // Node raises as an unhandled 'error' event and a stack trace. The command goes on to its end with its output
  // dropped: a migration half-way keeps running to its own end rather than stopping where the reader stopped.
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error
  })
  run().then((code) => {
    process.exitCode = code
  })
}

async function run() {
  const help = args.length === 1 && ['--help', '-h', 'help'].includes(args[0]) ? builtHelp() : undefined
  if (help !== undefined) {
    process.stdout.write(help)
    return 0
  }
  const main = bundledMain() ?? (await moduleMain())
  // Keel's folder of the user's cache directory, looked up when a command asks (keel status's checksum cache).
  return main(args, { cacheFolder: () => require('./code-cache.js').keelCacheFolder() })
}

/**
 * `keel status`, `keel --help` and `keel help status` run from dist/cli-bundle.cjs, `keel migrate` from
 * dist/migrate-bundle.cjs (scripts/build-bundle.mjs): the modules they load as one script, compiled from V8's code
 * cache after the first run (code-cache.js). Cold, at 1,000 applied migrations, `keel status` ran 545M instructions
 * on the main thread from dist/'s modules, 372M from the bundle and its cache; `keel migrate` of 200 migrations,
 * 1,530M and 1,204M (callgrind, Node 20). Undefined for the other commands, which no bundle holds, and when there is
 * no bundle (dist/ built by tsc alone) or tsc built dist/ again after it (compiledSince).
 */
function bundledMain() {
  const words = args.filter((arg) => !arg.startsWith('-'))
  const named = words[0] === 'help' ? words[1] : words[0]
  // `keel --help` (no command named) from status's bundle.
  const command = named ?? 'status'
  if (!Object.hasOwn(BUNDLES, command)) return undefined
  const file = join(__dirname, '..', 'dist', BUNDLES[command])
  if (compiledSince(file)) return undefined
  // Before the bundle compiles: V8 checks its flags against those of the code cache, so a run with Liftoff alone
  // keeps a cache of its own.
  const liftoff = words[0] === 'migrate' && liftoffOnly()
  if (liftoff) {
    loadBuiltinsBeforeFlags()
    require('node:v8').setFlagsFromString('--liftoff-only')
  }
  const { requireWithCodeCache } = require('./code-cache.js')
  try {
    return requireWithCodeCache(file, liftoff ? 'migrateliftoff' : (named ?? 'help')).main
  } catch (error) {
    if (error.code === 'ENOENT' && error.path === file) return undefined
    throw error
  }
}

/**
 * Loads the built-in modules that `keel migrate` goes on to load, before --liftoff-only is set. Node compiles a
 * built-in from the code cache it ships only while V8's flags are those the cache was made with; after the flag, each
 * one loaded is compiled from source (46 of them in a run of 200 migrations: crypto and its parts, net, dns, tty,
 * perf_hooks, vm, module, os). Loaded here they come from the cache: 200 migrations, 1,134M -> 1,085M main-thread
 * instructions (callgrind, Node 20); nothing to migrate, 742M -> 693M. None is loaded that the run does not load anyway.
 */
function loadBuiltinsBeforeFlags() {
  const builtins = 'crypto net dns tty os vm module perf_hooks diagnostics_channel process util/types'
  for (const id of builtins.split(' ')) require(`node:${id}`)
  // node-postgres takes crypto.webcrypto (for SCRAM) as it loads; its parts load on that first use.
  void require('node:crypto').webcrypto
}

/**
 * `keel --help` as the CLI prints it at this terminal's width (80 for a pipe, as commander takes), from dist/help.json
 * (scripts/build-bundle.mjs made it with the CLI itself, at every width): the same bytes without loading the CLI and
 * commander (callgrind, Node 20: 151-154M main-thread instructions -> 96-99M; `node -e 0`, 85M). Undefined without
 * the file, when tsc built dist/ again after it, or at a width it has no text for (0); the CLI then prints it.
 */
function builtHelp() {
  const file = join(__dirname, '..', 'dist', 'help.json')
  if (compiledSince(file)) return undefined
  const width = process.stdout.isTTY ? process.stdout.columns : 80
  try {
    const { widths, texts } = JSON.parse(require('node:fs').readFileSync(file, 'utf8'))
    if (!Number.isSafeInteger(width) || width < 1) return undefined
    const text = texts[widths[Math.min(width, widths.length - 1)]]
    return typeof text === 'string' ? text : undefined
  } catch {
    return undefined
  }
}

/**
 * Whether tsc compiled dist/ again after `bundle` was made from it (`tsc -p tsconfig.build.json` or `tsc --watch`
 * alone, without scripts/build-bundle.mjs): the bundle then holds the code before that build, and status would run
 * it. dist/.tsbuildinfo is written by every tsc build that emits, and left alone by one that finds nothing to do
 * (npm run build and npm test make the bundle after it); an installed package has none.
 */
function compiledSince(bundle) {
  const { statSync } = require('node:fs')
  const compiled = statSync(join(__dirname, '..', 'dist', '.tsbuildinfo'), { throwIfNoEntry: false })
  const bundled = compiled === undefined ? undefined : statSync(bundle, { throwIfNoEntry: false })
  return bundled !== undefined && compiled.mtimeMs > bundled.mtimeMs
}

/** The CLI from dist/'s ES modules, each command's loaded on demand. */
async function moduleMain() {
  // Node 22.1 and later keep V8's compiled code of each module in a cache on disk (os.tmpdir()/node-compile-cache,
  // NODE_COMPILE_CACHE elsewhere, NODE_DISABLE_COMPILE_CACHE=1 none), as TypeScript's tsc does: a cold start then
  // parses and compiles less of the ~460 KB of JavaScript a command loads (`keel status` at 1,000 applied
  // migrations, Node 22.23: 6% fewer main-thread instructions, callgrind, 503M -> 474M). Node 20 has no such
  // cache and skips this.
  require('node:module').enableCompileCache?.()
  const command = args.find((arg) => !arg.startsWith('-'))
  if (command === 'lint' || (command === 'migrate' && liftoffOnly())) {
    require('node:v8').setFlagsFromString('--liftoff-only')
  }
  return (await import('../dist/cli/main.js')).main
}

/**
 * Whether `keel migrate` compiles WebAssembly with Liftoff alone, which it sets before anything loads. It parses and
 * lints its pending files with libpg_query's WebAssembly build (1.7 MB): V8 compiles it with Liftoff, then compiles
 * the hot parser functions again with TurboFan in the background, and the process waits for those compiles before it
 * exits: for one CLI run that costs more than it saves (`keel lint`, which always takes Liftoff alone: 300 migration
 * files, 1.23 s of CPU, 0.95 s with Liftoff alone; one file: 0.62 s, 0.38 s). Migrate takes it when its target is
 * known here to be a server or SQLite (--url, else DATABASE_URL): 200 migrations, 1.3 -> 1.0 s of CPU; 1,000, 2.3
 * -> 2.1 s (loaded machine). PGlite's WebAssembly (the embedded database) runs whole migrations and gains from TurboFan.
 */
function liftoffOnly() {
  return /^(postgres|postgresql|mysql|mariadb|sqlite):/i.test(targetUrl())
}

/** The URL the command line or the environment names (`--url X`, `--url=X`, else DATABASE_URL), or ''. */
function targetUrl() {
  const at = args.indexOf('--url')
  const inline = args.find((arg) => arg.startsWith('--url='))
  return (at >= 0 ? args[at + 1] : inline?.slice('--url='.length)) ?? process.env.DATABASE_URL ?? ''
}
