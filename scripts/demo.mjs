#!/usr/bin/env node
// `npm run demo`: Keel's main job end to end on the embedded PostgreSQL (PGlite), no server needed.
// Pushes the blog schema v1 into examples/blog/.keel/db, inspects it, shows the diff to v2 (a hinted
// rename, a new enum, a join table, online-safe index builds), pushes v2, and checks nothing is left.
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const project = join(root, 'examples', 'blog')
const keel = join(root, 'bin', 'keel.js')
rmSync(join(project, '.keel'), { recursive: true, force: true })

const steps = [
  ['Push schema v1 to the embedded database (.keel/db)', ['push', '--schema', 'schema.v1.ts']],
  ['Inspect the live database', ['inspect']],
  ['What it takes to reach schema v2 (online-safe plan)', ['diff', '--to', 'schema.v2.ts']],
  [
    'Push schema v2 (development only: the rename breaks a release still running against the old name; in production `keel generate` writes it as expand/contract migrations, docs/expand-contract.md)',
    ['push', '--schema', 'schema.v2.ts'],
  ],
  ['Diff again: nothing left to do', ['diff', '--to', 'schema.v2.ts', '--exit-code']],
]

for (const [title, args] of steps) {
  process.stdout.write(`\n\x1b[1m$ keel ${args.join(' ')}\x1b[0m   # ${title}\n`)
  const result = spawnSync(process.execPath, [keel, ...args], { cwd: project, stdio: 'inherit' })
  if (result.status !== 0) {
    process.stderr.write(`demo step failed with exit code ${result.status}\n`)
    process.exit(result.status ?? 1)
  }
}
process.stdout.write(
  '\nDone: the database in examples/blog/.keel/db matches schema.v2.ts.\n' +
    'Note: push applied the rename at once, which is fine here. A rename breaks the running release until its\n' +
    'expand/contract migrations land (`keel generate` writes them; the old name keeps working until contract).\n',
)
