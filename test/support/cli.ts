import { spawn } from 'node:child_process'
import { join } from 'node:path'

const BIN = join(import.meta.dirname, '../../bin/keel.js')

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the built CLI (`npm test` builds first) in `cwd`, as a user would, without a terminal. */
export function runKeel(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...withoutDatabaseUrl(process.env), NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

/**
 * The environment without the developer's own DATABASE_URL, so that a test never touches it: removed, not set
 * empty (an empty DATABASE_URL is a CONFIG error, as for a missing CI secret).
 */
export function withoutDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _, ...rest } = env
  return rest
}
