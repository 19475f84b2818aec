#!/usr/bin/env node
// `keel --version` alone is answered before any module loads (the CLI, commander, the config loader): it is
// what scripts run most often to probe for the tool, and it needs only package.json.
const args = process.argv.slice(2)
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs')
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`)
} else {
  // `keel lint` parses with libpg_query's WebAssembly build (1.7 MB). V8 compiles it with Liftoff, then compiles
  // the hot parser functions again with TurboFan in the background, and the process waits for those compiles
  // before it exits: for one CLI run that costs more than it saves (300 migration files: 1.23 s of CPU, 0.95 s
  // with Liftoff alone; one file: 0.62 s, 0.38 s). Other commands keep the default: PGlite's WebAssembly
  // (the embedded database) runs whole migrations and gains from TurboFan.
  if (args.find((arg) => !arg.startsWith('-')) === 'lint') {
    const { setFlagsFromString } = await import('node:v8')
    setFlagsFromString('--liftoff-only')
  }
  const { main } = await import('../dist/cli/main.js')
  process.exitCode = await main(args)
}
