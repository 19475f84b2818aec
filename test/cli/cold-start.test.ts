/**
 * What `keel status` and `keel migrate` load before they reach the database: not the SQL parser's
 * WebAssembly, the TypeScript loader, the embedded database or the planner, which other commands need
 * and which cost a noticeable part of a cold start. A static import of any of them in the modules these
 * commands load shows up here.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const BIN = join(import.meta.dirname, '../../bin/keel.js')
const dir = mkdtempSync(join(tmpdir(), 'keel-cold-start-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// A module loader hook that appends the URL of every module loaded through import to a file.
const HOOKS = `import { appendFileSync } from 'node:fs'
let file
export async function initialize(data) { file = data.file }
export async function load(url, context, next) { appendFileSync(file, url + '\\n'); return next(url, context) }
`
const REGISTER = `import { register } from 'node:module'
import { pathToFileURL } from 'node:url'
register(pathToFileURL(${JSON.stringify(join(dir, 'hooks.mjs'))}), { data: { file: process.env.KEEL_LOADED_FILE } })
`

/** The modules a command loads against a database that refuses connections. */
function loadedBy(command: string): string[] {
  const file = join(dir, `${command}.loaded`)
  const run = spawnSync(
    process.execPath,
    ['--import', join(dir, 'register.mjs'), BIN, command, '--url', 'postgres://postgres@127.0.0.1:1/none'],
    { cwd: dir, env: { ...process.env, KEEL_LOADED_FILE: file, DATABASE_URL: '', NO_COLOR: '1' }, encoding: 'utf8' },
  )
  expect(run.stderr).toContain('error[CONNECTION_REFUSED]')
  return readFileSync(file, 'utf8').trim().split('\n')
}

/**
 * The runtime half of a dialect (runtimes.ts and what each dialect's runtime.ts loads: quoting, scratch
 * databases, the runner's hooks under runner/) is light by design; its planner and introspection are not.
 */
function isRuntimeHalf(url: string): boolean {
  return /\/dist\/dialect\/[^/]+\/(runtime|quote|keywords|scratch)\.js$|\/dist\/dialect\/[^/]+\/runner\//.test(url)
}

describe('cold start', () => {
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS)
  writeFileSync(join(dir, 'register.mjs'), REGISTER)
  mkdirSync(join(dir, 'migrations'))

  it.each(['status', 'migrate'])(
    'keel %s loads no parser, TypeScript loader, embedded database or planner',
    (command) => {
      const loaded = loadedBy(command)
      expect(loaded.some((url) => url.endsWith('/dist/cli/main.js'))).toBe(true)
      const heavy = loaded.filter(
        (url) =>
          /\/node_modules\/(libpg-query|jiti|@electric-sql\/pglite)\/|\/dist\/(dialect\/(?!runtimes\.js|dialect\.js)|diff|plan\/(?!step\.js|policy\.js))/.test(
            url,
          ) && !isRuntimeHalf(url),
      )
      expect(heavy).toEqual([])
    },
  )
})
