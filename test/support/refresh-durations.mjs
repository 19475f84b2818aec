#!/usr/bin/env node
/**
 * Rewrites test/support/file-durations.json (read by longest-first.ts) from a vitest JSON report:
 *   npx vitest run --reporter=json --outputFile=run.json && node test/support/refresh-durations.mjs run.json
 * Every file of the run is listed, rounded to whole seconds, so that the sequencer can tell a new file (not
 * listed, started first) from a known short one. A file that failed (a timeout inflates its time) or did not run
 * keeps the seconds it had; a file that no longer exists is dropped.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const [reportFile] = process.argv.slice(2)
if (reportFile === undefined) {
  console.error('usage: node test/support/refresh-durations.mjs REPORT.json')
  process.exit(2)
}
const target = new URL('./file-durations.json', import.meta.url)
const root = new URL('../..', import.meta.url).pathname
const old = JSON.parse(readFileSync(target, 'utf8'))
const report = JSON.parse(readFileSync(reportFile, 'utf8'))
const seconds = { ...old }
for (const file of report.testResults) {
  const name = relative(root, file.name).split('\\').join('/')
  if (file.status === 'passed' || !(name in old)) seconds[name] = Math.round((file.endTime - file.startTime) / 1000)
}
const kept = Object.entries(seconds).filter(([name]) => existsSync(join(root, name)))
const sorted = Object.fromEntries(kept.sort(([a, x], [b, y]) => y - x || a.localeCompare(b)))
writeFileSync(target, `${JSON.stringify(sorted, null, 2)}\n`)
console.log(`${Object.keys(sorted).length} files in ${relative(process.cwd(), target.pathname)}`)
