/**
 * No password is ever printed: generated URLs whose passwords hold spaces and every odd character, unencoded
 * or percent-encoded, given as --url, --url=, DATABASE_URL or the config's url, against a server that refuses,
 * accepts (trust: any password), lacks the database or the role, through status, inspect, migrate, reset, diff
 * and rollback, plain, --json and KEEL_DEBUG=1. No run may print any piece of the password.
 * KEEL_REDACTION_RUNS raises the count (by hand: 700 runs).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js'
import { createProject, type TestProject } from '../integration/migrate/project.js'
import { POSTGRES_URL } from '../support/databases.js'

const RUNS = Number(process.env.KEEL_REDACTION_RUNS ?? 48)
const ODD = [
  ' ',
  '  ',
  '@',
  '/',
  '?',
  '#',
  ':',
  '%',
  '%2',
  '"',
  "'",
  '\\',
  '&',
  '=',
  '+',
  'é',
  '密',
  '$',
  '!',
  ';',
  '`',
  '\t',
]

let project: TestProject
let scratch: ScratchDatabase
beforeAll(async () => {
  scratch = await createScratchDatabase(POSTGRES_URL, 'keel_redact')
  project = createProject()
  project.add('20260101000000_t', { 'up.sql': 'create table t (id int);\n', 'down.sql': 'drop table t;\n' })
  writeFileSync(join(project.root, 'schema.sql'), 'create table t (id int, name text);\n')
})
afterAll(async () => {
  project.dispose()
  await scratch.dispose()
})

/**
 * Alphanumeric runs, any one of which in the output is a leak, joined by odd characters. Each run mixes an upper-case
 * letter, a lower-case letter and a digit, so that it cannot be a word of Keel's own output (the seed 2114612223 drew
 * 'apply', which reset prints as 'applying ...'), a timestamp or a hex checksum: finding it there means the password.
 */
const passwordWordArb = fc
  .stringMatching(/^[A-Za-z0-9]{5,6}$/)
  .filter((word) => /[A-Z]/.test(word) && /[a-z]/.test(word) && /[0-9]/.test(word))
const passwordArb = fc
  .tuple(
    fc.array(passwordWordArb, { minLength: 1, maxLength: 3 }),
    fc.array(fc.constantFrom(...ODD), { minLength: 1, maxLength: 3 }),
  )
  .map(([words, odd]) => ({
    words,
    text: words.flatMap((word, i) => [word, odd[i % odd.length] as string]).join(''),
  }))

const targetArb = fc.constantFrom('refused', 'server', 'no-database', 'no-role')
const commandArb = fc.constantFrom(
  ['status'],
  ['inspect'],
  ['migrate'],
  ['migrate', '--dry-run'],
  ['reset', '--force'],
  ['rollback'],
  ['diff', '--from', 'URL', '--to', 'schema.sql'],
)
const viaArb = fc.constantFrom('--url', '--url=', 'DATABASE_URL', 'config')

function urlFor(target: string, password: string): string {
  const database = new URL(scratch.url).pathname.slice(1)
  switch (target) {
    case 'refused':
      return `postgres://app:${password}@127.0.0.1:1/shop`
    case 'no-database':
      return `postgres://postgres:${password}@127.0.0.1:5432/keel_no_such_database`
    case 'no-role':
      return `postgres://keel_no_such_role:${password}@127.0.0.1:5432/${database}`
    default:
      return `postgres://postgres:${password}@127.0.0.1:5432/${database}`
  }
}

let configs = 0

/** One in-process CLI run with its own environment; output captured. */
async function run(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const saved = { ...process.env }
  // Removed, not emptied: an empty DATABASE_URL is a CONFIG error of its own.
  delete process.env.DATABASE_URL
  Object.assign(process.env, { NO_COLOR: '1' }, env)
  let output = ''
  const out = process.stdout.write.bind(process.stdout)
  const err = process.stderr.write.bind(process.stderr)
  const capture = ((chunk: string | Uint8Array) => {
    output += String(chunk)
    return true
  }) as typeof process.stdout.write
  process.stdout.write = capture
  process.stderr.write = capture
  try {
    return { code: await main(args), output }
  } finally {
    process.stdout.write = out
    process.stderr.write = err
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
}

describe('passwords in URLs', () => {
  it(`are never printed (${RUNS} generated runs)`, async () => {
    const leaks: string[] = []
    let runs = 0
    await fc.assert(
      fc.asyncProperty(
        passwordArb,
        fc.boolean(),
        targetArb,
        commandArb,
        viaArb,
        fc.boolean(),
        fc.boolean(),
        async (password, encode, target, command, via, json, debug) => {
          const url = urlFor(target, encode ? encodeURIComponent(password.text) : password.text)
          const args = command.map((arg) => (arg === 'URL' ? url : arg))
          const env: Record<string, string> = debug ? { KEEL_DEBUG: '1' } : {}
          let config = project.config
          if (via === '--url') args.push('--url', url)
          if (via === '--url=') args.push(`--url=${url}`)
          if (via === 'DATABASE_URL') env.DATABASE_URL = url
          if (via === 'config') {
            config = join(project.root, `keel.config.${++configs}.mjs`)
            writeFileSync(config, `export default { migrations: "migrations", url: ${JSON.stringify(url)} }\n`)
          }
          args.push('--config', config, ...(json ? ['--json'] : []))
          const result = await run(args, env)
          runs++
          const leaked = password.words.filter((word) => result.output.includes(word))
          if (leaked.length > 0) leaks.push(`${JSON.stringify(args)} ${JSON.stringify(env)}:\n${result.output}`)
          expect(leaked, result.output).toEqual([])
          expect([0, 1, 2]).toContain(result.code)
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    )
    expect(runs).toBe(RUNS)
    expect(leaks).toEqual([])
  })
})
