#!/usr/bin/env node
// `keel --version` alone is answered before any module loads (the CLI, commander, the config loader): it is
// what scripts run most often to probe for the tool, and it needs only package.json.
const args = process.argv.slice(2)
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs')
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`)
} else {
  const { main } = await import('../dist/cli/main.js')
  process.exitCode = await main(args)
}
