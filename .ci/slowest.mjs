#!/usr/bin/env node
/**
 * Prints the slowest test files of a vitest JSON report (.ci/run writes one for every run), longest first, with the
 * seconds each took from its start to its end in that run, and the sum over every file: what to look at when CI
 * nears its 15 minutes. `node test/support/refresh-durations.mjs REPORT` turns the same report into the order the
 * longest-first sequencer starts files in.
 *   node .ci/slowest.mjs REPORT.json [COUNT]
 */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'

const [reportFile, count = '20'] = process.argv.slice(2)
if (reportFile === undefined || !/^\d+$/.test(count)) {
  console.error('usage: node .ci/slowest.mjs REPORT.json [COUNT]')
  process.exit(2)
}
const report = JSON.parse(readFileSync(reportFile, 'utf8'))
const files = report.testResults
  .map((file) => ({
    name: relative(process.cwd(), file.name),
    seconds: (file.endTime - file.startTime) / 1000,
    status: file.status,
  }))
  .sort((a, b) => b.seconds - a.seconds)
const total = files.reduce((sum, file) => sum + file.seconds, 0)
console.log(`== slowest test files of ${files.length} (${total.toFixed(0)} s summed over every file):`)
for (const file of files.slice(0, Number(count))) {
  const mark = file.status === 'passed' ? '' : ` (${file.status})`
  console.log(`${file.seconds.toFixed(1).padStart(8)} s  ${file.name}${mark}`)
}
