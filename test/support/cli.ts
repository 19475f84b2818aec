import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const BIN = join(import.meta.dirname, '../../bin/keel.js')

/**
 * Node flags of the `keel` processes the tests start: V8 compiles PGlite's WebAssembly with its baseline compiler
 * (Liftoff) only, without the optimising tier-up. A command is a short process that boots PGlite (an embedded
 * database, or an in-memory scratch one beside a .sql source) and runs a few statements; the tier-up compiled the
 * hot part of the ~10 MB module again in background threads, more CPU than it gave back before the process ended.
 * `keel inspect` of a seeded PGlite directory on this 2-core machine: 3.8 -> 1.9 s CPU (two runs each, load 23).
 * What the WebAssembly does is the same in both tiers; only how it is compiled differs. The test workers, which
 * keep PGlite instances for hundreds of statements (round-trip-pglite), keep V8's default: there the tier-up pays.
 */
export const KEEL_NODE_FLAGS: readonly string[] = ['--liftoff-only']

/**
 * The cache directory (XDG_CACHE_HOME) of the `keel` processes the tests start: V8's code cache of `keel status` and
 * `keel --help` (bin/code-cache.js) goes to a folder of the tests', not to the user's ~/.cache/keel. Per user, and
 * kept between runs (the cache is then used, as a user's would be); the code cache refuses it if it is not theirs.
 */
export const TEST_CACHE_HOME = join(tmpdir(), `keel-test-cache-${process.getuid?.() ?? 'user'}`)

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
    const child = spawn(process.execPath, [...KEEL_NODE_FLAGS, BIN, ...args], {
      cwd: options.cwd,
      env: { ...withoutDatabaseUrl(process.env), NO_COLOR: '1', XDG_CACHE_HOME: TEST_CACHE_HOME, ...options.env },
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
