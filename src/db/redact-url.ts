import { redactSecrets, rememberSecretsIn } from './secrets.js'

/**
 * Replaces the password in a URL (and in `password=` query parameters) with `***`: every password seen by
 * parseDatabaseUrl in any spelling (db/secrets.ts), then by pattern. The password runs to the last `@` of the
 * URL: people write `@`, `/` or `?` into passwords unencoded, and drivers accept some of those. A module of its
 * own (re-exported by url.ts) so that printing, which every command and `--help` do, loads no URL forms or drivers.
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
