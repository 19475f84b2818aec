import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Connection } from '../../../src/db/connection.js'
import { openDatabase } from '../../../src/db/open.js'
import { KEEL_NODE_FLAGS, TEST_CACHE_HOME } from '../../support/cli.js'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const BIN = join(REPO, 'bin', 'keel.js')

/**
 * Fails early, with the fix, when dist/ is older than the runner's sources: spawned `keel` runs the
 * built code (`npm test` builds first; alone, run `npm run build`).
 */
export function assertBuilt(): void {
  const built = [join(REPO, 'dist', 'migrate', 'runner.js'), join(REPO, 'dist', 'cli', 'main.js')]
  if (!built.every((file) => existsSync(file)))
    throw new Error('dist/ is missing: run `npm run build` before the process tests')
  // Against the stamp npm run build writes (scripts/build-stamp.mjs): with the incremental build, the outputs' own
  // times cannot say it (tsc rewrites only what changed, and leaves a touched but unchanged file's output alone).
  const stamp = join(REPO, 'dist', '.build-stamp')
  const stampedAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0
  const stale = ['src/migrate', 'src/cli/commands'].flatMap((dir) =>
    readdirSync(join(REPO, dir))
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .filter((file) => statSync(join(REPO, dir, file)).mtimeMs > stampedAt),
  )
  if (stale.length > 0) {
    throw new Error(
      `dist/ is older than ${stale.join(', ')} (src/migrate, src/cli/commands): run \`npm run build\` first`,
    )
  }
}

export interface Spawned {
  readonly child: ChildProcess
  readonly done: Promise<{
    readonly code: number | null
    readonly signal: string | null
    readonly stdout: string
    readonly stderr: string
  }>
}

/** Starts `node bin/keel.js ARGS` in `cwd`. */
export function spawnKeel(cwd: string, args: readonly string[]): Spawned {
  const child = spawn(process.execPath, [...KEEL_NODE_FLAGS, BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: TEST_CACHE_HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk)
  })
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk)
  })
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolvePromise) => {
      child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }))
    },
  )
  return { child, done }
}

/**
 * Waits until a session of a `keel` runner (application_name `keel-run ...`) is running a statement whose
 * text matches `pattern` (a LIKE pattern).
 */
export async function waitForRunnerQuery(
  conn: { query(sql: string, params?: readonly unknown[]): Promise<readonly unknown[]> },
  pattern: string,
): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const found = await conn.query(
      `select 1 from pg_stat_activity where datname = current_database() and application_name like 'keel-run %'
          and query like $1 and state = 'active'`,
      [pattern],
    )
    if (found.length > 0) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`no keel session ran ${pattern}`)
}

/**
 * Resolves once the process prints `text` on stderr, counted from this call on (call it before what makes it print);
 * rejects if the process ends first.
 */
export function printed(run: Spawned, text: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let seen = ''
    const onData = (chunk: unknown) => {
      seen += String(chunk)
      if (seen.includes(text)) resolvePromise()
    }
    run.child.stderr?.on('data', onData)
    run.child.once('close', () => reject(new Error(`keel ended without printing ${JSON.stringify(text)}:\n${seen}`)))
  })
}

/** Polls `check` every 25 ms until it holds; throws after 10 s. */
export async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error('timed out')
}

/** The other MariaDB sessions running the tests' `ALTER TABLE held ADD COLUMN v` (waiting on its lock or not). */
export function heldAlterSessions(conn: {
  query(sql: string, params?: readonly unknown[]): Promise<readonly unknown[]>
}): Promise<readonly unknown[]> {
  return conn.query(
    "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE '%ALTER TABLE held ADD COLUMN v%'",
  )
}

/**
 * On MariaDB: a reader's open transaction holds `held`'s metadata lock, so the runner `start` spawns (a migration
 * with `ALTER TABLE held ADD COLUMN v`) waits server-side; once its ALTER is seen waiting, the runner is SIGKILLed.
 * `whileHeld` runs after the kill with the reader still holding the lock; the reader then commits.
 */
export async function killedWhileAlterWaits(
  url: string,
  conn: Connection,
  start: () => Spawned,
  whileHeld?: (holder: Connection) => Promise<void>,
): Promise<void> {
  const holder = await openDatabase(url)
  try {
    await holder.exec('START TRANSACTION; SELECT * FROM held')
    const run = start()
    await waitFor(async () => (await heldAlterSessions(conn)).length > 0)
    run.child.kill('SIGKILL')
    await run.done
    await whileHeld?.(holder)
  } finally {
    await holder.exec('COMMIT')
    await holder.close()
  }
}
