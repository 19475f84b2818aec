import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { progress } from './stats.mjs'

/** bench/, which has its own package.json so that the peers never enter Keel's own install. */
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')
/** The repository root (bin/keel.js, dist/). */
export const ROOT_DIR = join(BENCH_DIR, '..')
export const KEEL_BIN = join(ROOT_DIR, 'bin', 'keel.js')

const BIN = join(BENCH_DIR, 'node_modules', '.bin')

/**
 * Installs the peers into bench/node_modules when it is missing: `npm ci` from the lock file, and `npm install`
 * when that fails. npm 11's `ci` refuses a lock that lacks the optional platform packages of a peer (squawk-cli's
 * `@squawk-cli/darwin-*` and others), and a lock written on a machine whose registry serves only linux-x64 lacks
 * them; `npm install` still honours the versions the lock pins. Returns undefined when the peers are there, or why
 * they are not, which every peer row of the table then shows.
 */
export function ensurePeersInstalled() {
  if (existsSync(join(BENCH_DIR, 'node_modules'))) return undefined
  const commands = existsSync(join(BENCH_DIR, 'package-lock.json')) ? ['ci', 'install'] : ['install']
  let failure
  for (const command of commands) {
    progress(`installing the peer tools: npm ${command} --prefix bench (first run only)`)
    const result = spawnSync('npm', [command, '--no-audit', '--no-fund'], {
      cwd: BENCH_DIR,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    if (result.error) return `npm ${command} could not start: ${result.error.message}`
    if (result.status === 0) return undefined
    failure = `npm ${command} --prefix bench failed (exit ${result.status})`
  }
  return failure
}

/**
 * The path of a peer's executable, or why it cannot be run. `installError` is the reason the whole
 * install failed, if it did.
 */
export function peerBin(name, installError) {
  if (installError) return { error: `not installed: ${installError}` }
  const path = join(BIN, name)
  if (!existsSync(path)) return { error: `not installed: bench/node_modules/.bin/${name} is missing` }
  return { path }
}

/** A peer package's version, as installed in bench/node_modules (or undefined). */
export function peerVersion(name) {
  try {
    return JSON.parse(readFileSync(join(BENCH_DIR, 'node_modules', name, 'package.json'), 'utf8')).version
  } catch {
    return undefined
  }
}
