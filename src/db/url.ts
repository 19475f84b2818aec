import { KeelError } from '../errors.js'
import { redactUrl } from './redact-url.js'
import { rememberSecretsOf } from './secrets.js'
import { type DatabaseUrl, formOf, urlForms } from './url-forms.js'

export { redactUrl } from './redact-url.js'
export type { DatabaseUrl } from './url-forms.js'

/** Whether a SRC string looks like a database URL (as opposed to a file or directory). */
export function isDatabaseUrl(src: string): boolean {
  return urlForms.some((form) => form.scheme.test(src))
}

/**
 * Parses a database URL of any dialect's form (db/url-forms.ts): `postgres://...`, `postgresql://...`,
 * `pglite:DIR`, `pglite:memory`, `sqlite:PATH`, `sqlite::memory:`, `mysql://...`, `mariadb://...`.
 */
export function parseDatabaseUrl(src: string): DatabaseUrl {
  rememberSecretsOf(src)
  for (const form of urlForms) {
    const parsed = form.parse(src)
    if (parsed !== undefined) return parsed
  }
  throw new KeelError('BAD_URL', `not a database URL: ${redactUrl(src)}`)
}

/** Returns `url` with its database name replaced: used to reach a scratch or maintenance database. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(database)}`
  return parsed.toString()
}

/** Whether the URL points at this machine (reset refuses elsewhere without --force). */
export function isLocalUrl(src: string): boolean {
  const parsed = parseDatabaseUrl(src)
  return formOf(parsed).isLocal(parsed)
}

/** Whether the URL names an embedded database (run in this process) rather than a server's. */
export function isEmbeddedUrl(src: string): boolean {
  return formOf(parseDatabaseUrl(src)).embedded
}

/**
 * For an embedded database that opening would create (a PGlite directory, a SQLite file): its place,
 * relative to `cwd`, when nothing is there yet; undefined otherwise, and for anything not a database URL.
 */
export function missingEmbeddedDatabase(src: string, cwd: string): string | undefined {
  if (!isDatabaseUrl(src)) return undefined
  const parsed = parseDatabaseUrl(src)
  return formOf(parsed).missing?.(parsed, cwd)
}

/** Where an embedded database lives, for the first line of a command; undefined for a server. */
export function embeddedPlace(src: string, cwd: string): string | undefined {
  const parsed = parseDatabaseUrl(src)
  return formOf(parsed).place?.(parsed, cwd)
}
