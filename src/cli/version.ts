import { readFileSync } from 'node:fs'

/**
 * Keel's own version, from its package.json (two levels above both src/cli and dist/cli). Not
 * `npm_package_version`: under `npm run` that is the host application's version, not Keel's.
 */
export function keelVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
  return (JSON.parse(text) as { version: string }).version
}

/**
 * Which build of Keel this is: its version, and in a development tree the time of its build (dist/.build-stamp,
 * which a published package does not ship). What Keel caches of a migrations directory is kept for one build.
 */
export function keelBuild(): string {
  let stamp = ''
  try {
    stamp = readFileSync(new URL('../.build-stamp', import.meta.url), 'utf8').trim()
  } catch {}
  return stamp === '' ? keelVersion() : `${keelVersion()} ${stamp}`
}
