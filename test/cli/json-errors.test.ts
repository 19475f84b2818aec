/**
 * Machine output everywhere (issue 12, point 5), through the CLI: with --json, every command's failure prints
 * `{"error": {code, message, hint}}` on stdout (nothing else there) and exits non-zero; `inspect --format ts
 * --json` is a usage error, not a silent JSON model; `keel --version` is Keel's own version.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { allCommands } from '../../src/cli/commands/all.js'
import { runKeel } from '../support/cli.js'

const root = mkdtempSync(join(tmpdir(), 'keel-json-errors-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let folders = 0
function emptyFolder(): string {
  const dir = join(root, `e${++folders}`)
  mkdirSync(dir)
  return dir
}

/** A failing invocation per command, each failing in its own way; a command not listed gets an unknown flag. */
const FAILING: Record<string, { args: readonly string[]; code: string; exit: number }> = {
  init: { args: ['--dialect', 'oracle'], code: 'USAGE', exit: 2 },
  inspect: { args: [], code: 'NO_PROJECT', exit: 2 },
  diff: { args: [], code: 'NO_PROJECT', exit: 2 },
  push: { args: ['--url', ''], code: 'USAGE', exit: 2 },
  new: { args: [], code: 'USAGE', exit: 2 },
  migrate: { args: ['--url', ''], code: 'USAGE', exit: 2 },
  rollback: { args: ['--url', ''], code: 'USAGE', exit: 2 },
  status: { args: [], code: 'NO_PROJECT', exit: 2 },
  check: { args: [], code: 'NO_PROJECT', exit: 2 },
  resolve: { args: ['20260101000000'], code: 'USAGE', exit: 2 },
  baseline: { args: ['--url', ''], code: 'USAGE', exit: 2 },
  reset: { args: [], code: 'UNSAFE_RESET', exit: 2 },
  seed: { args: ['--url', ''], code: 'USAGE', exit: 2 },
  types: { args: [], code: 'NO_PROJECT', exit: 2 },
}

function expectJsonError(result: { code: number; stdout: string; stderr: string }, code: string, exit: number): void {
  let parsed: { error?: { code?: unknown; message?: unknown; hint?: unknown } }
  try {
    parsed = JSON.parse(result.stdout)
  } catch {
    throw new Error(`stdout is not one JSON document:\n${result.stdout}\nstderr:\n${result.stderr}`)
  }
  expect(parsed.error?.code, result.stderr).toBe(code)
  expect(typeof parsed.error?.message).toBe('string')
  expect(parsed.error?.message).not.toBe('')
  expect(typeof parsed.error?.hint).toBe('string')
  expect(Object.keys(parsed)).toEqual(['error'])
  expect(result.code).toBe(exit)
  // People still get the usual line on stderr.
  expect(result.stderr).toMatch(new RegExp(`^error\\[${code}\\]|^hint: `, 'm'))
}

describe.concurrent('--json failures', () => {
  for (const { name } of allCommands) {
    const failing = FAILING[name] ?? { args: ['--keel-no-such-flag'], code: 'USAGE', exit: 2 }
    it(`keel ${name} ${failing.args.join(' ')} --json prints the error as JSON on stdout`, async () => {
      const result = await runKeel([name, ...failing.args, '--json'], { cwd: emptyFolder() })
      expectJsonError(result, failing.code, failing.exit)
    })
  }

  it('an unknown command too', async () => {
    expectJsonError(await runKeel(['frobnicate', '--json'], { cwd: emptyFolder() }), 'USAGE', 2)
  })

  it('inspect --format ts --json is a usage error, not a silent JSON model', async () => {
    const result = await runKeel(['inspect', '--format', 'ts', '--json'], { cwd: emptyFolder() })
    expectJsonError(result, 'USAGE', 2)
    expect(result.stdout).toContain('cannot be combined with --json')
  })
})

describe('keel --version', () => {
  it("prints Keel's own version, not the host app's npm_package_version", async () => {
    const own = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version
    const result = await runKeel(['--version'], { cwd: emptyFolder(), env: { npm_package_version: '9.9.9' } })
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe(own)
  })
})
