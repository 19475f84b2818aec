/**
 * A reader that stops reading (`keel status | head`) closes the pipe under Keel's output: the command must end as
 * it would have, with its own exit code, and not with Node's unhandled EPIPE stack trace and exit 1.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runKeel, TEST_CACHE_HOME, withoutDatabaseUrl } from '../support/cli.js'

const BIN = join(import.meta.dirname, '../../bin/keel.js')
const root = mkdtempSync(join(tmpdir(), 'keel-closed-pipe-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Runs the CLI, reads its first chunk of stdout and then closes the pipe, as `| head -1` does. */
function runAndCloseAfterFirstChunk(args: readonly string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...withoutDatabaseUrl(process.env), NO_COLOR: '1', XDG_CACHE_HOME: TEST_CACHE_HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stdout.once('data', () => child.stdout.destroy())
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }))
  })
}

describe('a closed stdout', () => {
  it('keel status --json whose reader stops after the first chunk exits as it would have, without EPIPE', async () => {
    const dir = join(root, 'project')
    // 2,000 migrations: the JSON (~300 KB) is far more than a pipe holds, so writes are still pending when it closes.
    for (let i = 1; i <= 2000; i++) {
      const version = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace(/\D/g, '').slice(0, 14)
      mkdirSync(join(dir, 'migrations', `${version}_step_${i}`), { recursive: true })
      writeFileSync(join(dir, 'migrations', `${version}_step_${i}`, 'up.sql'), `select ${i};\n`)
    }
    writeFileSync(join(dir, 'keel.config.ts'), `export default { url: 'pglite:./.keel/db', schema: 'schema.sql' }\n`)
    expect((await runKeel(['sum', '--rehash'], { cwd: dir })).code).toBe(0)

    const whole = await runKeel(['status', '--json'], { cwd: dir })
    expect(whole.code).toBe(0)
    expect(whole.stdout.length).toBeGreaterThan(200_000)

    const cut = await runAndCloseAfterFirstChunk(['status', '--json'], dir)
    expect(cut.stderr).not.toContain('EPIPE')
    expect(cut.code).toBe(0)
  })
})
