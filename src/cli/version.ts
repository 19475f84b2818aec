import { readFileSync } from 'node:fs'

/**
 * Keel's own version, from its package.json (two levels above both src/cli and dist/cli). Not
 * `npm_package_version`: under `npm run` that is the host application's version, not Keel's.
 */
export function keelVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
  return (JSON.parse(text) as { version: string }).version
}
