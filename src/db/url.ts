import { KeelError } from '../errors.js'
import { redactSecrets, rememberSecretsIn, rememberSecretsOf } from './secrets.js'

/** A parsed database location. */
export type DatabaseUrl =
  | { readonly kind: 'postgres'; readonly url: string }
  | { readonly kind: 'pglite'; readonly dir: string | 'memory' }
  /** `sqlite:PATH` (a file, created when missing) or `sqlite::memory:`. */
  | { readonly kind: 'sqlite'; readonly path: string | ':memory:' }
  /** `mysql://` or `mariadb://` (the same driver and dialect; which server it is, is asked of the server). */
  | { readonly kind: 'mysql'; readonly url: string }

/** Whether a SRC string looks like a database URL (as opposed to a file or directory). */
export function isDatabaseUrl(src: string): boolean {
  return /^(postgres|postgresql|pglite|sqlite|mysql|mariadb):/i.test(src)
}

/**
 * Parses `postgres://...`, `postgresql://...`, `pglite:DIR`, `pglite:memory`, `sqlite:PATH`, `sqlite::memory:`,
 * `mysql://...` and `mariadb://...`.
 */
export function parseDatabaseUrl(src: string): DatabaseUrl {
  rememberSecretsOf(src)
  if (/^postgres(ql)?:\/\//i.test(src)) {
    try {
      new URL(src)
    } catch {
      throw new KeelError('BAD_URL', `not a valid PostgreSQL URL: ${redactUrl(src)}`)
    }
    return { kind: 'postgres', url: src }
  }
  if (/^pglite:/i.test(src)) {
    const rest = src.slice('pglite:'.length).replace(/^\/\/(?=\/|\.)/, '')
    if (rest === '') throw new KeelError('BAD_URL', 'pglite: needs a directory or `memory`, as in pglite:.keel/db')
    return { kind: 'pglite', dir: rest === 'memory' ? 'memory' : rest }
  }
  if (/^sqlite:/i.test(src)) {
    // sqlite:app.db, sqlite:///abs/app.db and sqlite://./app.db (as other tools write it), sqlite::memory:.
    const rest = src.slice('sqlite:'.length).replace(/^\/\/(?=\/|\.)/, '')
    if (rest === '') throw new KeelError('BAD_URL', 'sqlite: needs a file or `:memory:`, as in sqlite:app.db')
    return { kind: 'sqlite', path: rest === ':memory:' ? ':memory:' : rest }
  }
  if (/^(mysql|mariadb):\/\//i.test(src)) {
    let parsed: URL
    try {
      parsed = new URL(src)
    } catch {
      throw new KeelError('BAD_URL', `not a valid MySQL URL: ${redactUrl(src)}`)
    }
    if (parsed.hostname === '') throw new KeelError('BAD_URL', `a MySQL URL names its host: ${redactUrl(src)}`)
    return { kind: 'mysql', url: src }
  }
  throw new KeelError('BAD_URL', `not a database URL: ${redactUrl(src)}`)
}

/**
 * Replaces the password in a URL (and in `password=` query parameters) with `***`: every password seen by
 * parseDatabaseUrl in any spelling (db/secrets.ts), then by pattern. The password runs to the last `@` of the
 * URL: people write `@`, `/` or `?` into passwords unencoded, and drivers accept some of those.
 */
export function redactUrl(text: string): string {
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

/** The database name a PostgreSQL URL points at (libpq's default is the user name). */
export function databaseNameOf(url: string): string {
  const parsed = new URL(url)
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''))
  return name || decodeURIComponent(parsed.username) || process.env.PGDATABASE || process.env.USER || 'postgres'
}

/** Whether the URL points at this machine (reset refuses elsewhere without --force). */
export function isLocalUrl(src: string): boolean {
  const parsed = parseDatabaseUrl(src)
  if (parsed.kind === 'pglite' || parsed.kind === 'sqlite') return true
  const host = new URL(parsed.url).hostname
  return host === '' || host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1'
}
