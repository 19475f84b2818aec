import { KeelError } from '../errors.js'
import { redactSecrets, rememberSecretsIn, rememberSecretsOf } from './secrets.js'
import { type DatabaseUrl, formOf, urlForms } from './url-forms.js'

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

/**
 * Replaces the password in a URL (and in `password=` query parameters) with `***`: every password seen by
 * parseDatabaseUrl in any spelling (db/secrets.ts), then by pattern. The password runs to the last `@` of the
 * URL: people write `@`, `/` or `?` into passwords unencoded, and drivers accept some of those.
 */
export function redactUrl(text: string): string {
  // Without `://` or `password=` no pattern below can match: a large result (inspect's JSON of 1,000 tables, 3 MB)
  // then costs one literal search instead of three regular-expression scans (tens of milliseconds).
  if (!text.includes('://') && !/password=/i.test(text)) return redactSecrets(text)
  // A URL met here first (resolved from config or .env) teaches its spellings, for where it is printed re-encoded.
  rememberSecretsIn(text)
  return redactSecrets(text)
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)(\S*)@/gi, '$1***@')
    .replace(/([?&]password=)[^&\s]*/gi, '$1***')
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
