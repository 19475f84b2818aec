import type { DatabaseTarget } from '../../config/database-url.js'
import { embeddedPlace, redactUrl } from '../../db/url.js'

/**
 * The database a command writes to, as its first line says it ("migrating postgres://app:***@db/prod (from
 * DATABASE_URL)"): in a deploy log, a run against the wrong database shows at a glance. Never the password.
 */
export function describeTarget(target: DatabaseTarget, cwd: string): string {
  if (target.origin === 'embedded') {
    const dir = embeddedPlace(target.url, cwd) ?? target.url
    return `the embedded database in ${dir} (no --url, DATABASE_URL or url in the config)`
  }
  const from = { '--url': '--url', DATABASE_URL: 'DATABASE_URL', config: 'the config', prisma: 'the Prisma datasource' }
  return `${redactUrl(target.url)} (from ${from[target.origin]})`
}
