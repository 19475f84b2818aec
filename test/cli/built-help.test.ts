/**
 * bin/keel.js prints `keel --help` (`-h`, `help`) from dist/help.json, made by scripts/build-bundle.mjs with the CLI
 * itself at every terminal width: what it prints must be what the CLI prints, at each width commander wraps the list
 * to (a terminal's columns, 80 for a pipe), and beyond the widest the file holds.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/keel.js')
const MAIN = pathToFileURL(join(ROOT, 'dist/cli/main.js')).href
const dir = mkdtempSync(join(tmpdir(), 'keel-built-help-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Makes stdout a terminal of the width in KEEL_TEST_COLUMNS, as the process sees it (no pty needed).
const TERMINAL = join(dir, 'terminal.cjs')
writeFileSync(
  TERMINAL,
  'if (process.env.KEEL_TEST_COLUMNS) { process.stdout.isTTY = true; process.stdout.columns = Number(process.env.KEEL_TEST_COLUMNS) }\n',
)

function run(args: readonly string[], columns: number | undefined) {
  const env = { ...process.env, KEEL_TEST_COLUMNS: columns === undefined ? '' : String(columns) }
  const result = spawnSync(process.execPath, ['-r', TERMINAL, ...args], { encoding: 'utf8', env })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** The CLI's own help, through main() as bin/keel.js would run it without dist/help.json. */
function cliHelp(columns: number | undefined) {
  const script = `import(${JSON.stringify(MAIN)}).then(async (m) => { process.exitCode = await m.main(['--help']) })`
  return run(['--input-type=module', '-e', script], columns)
}

describe('keel --help from dist/help.json', () => {
  it('is built', () => {
    expect(existsSync(join(ROOT, 'dist/help.json'))).toBe(true)
  })
  it.each([undefined, 1, 20, 45, 79, 80, 81, 100, 299, 300, 301, 1000])(
    'prints what the CLI prints at width %s',
    (columns) => {
      const expected = cliHelp(columns)
      expect(expected.code).toBe(0)
      expect(expected.stdout).toContain('Commands:')
      for (const flag of ['--help', '-h', 'help']) expect(run([BIN, flag], columns)).toEqual(expected)
    },
  )
})
