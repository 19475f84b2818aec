import type { DialectName } from '../dialect/runtimes.js'
import { mysqlUrl } from './drivers/mysql-url.js'
import { pgUrl } from './drivers/pg-url.js'
import { pgliteUrl } from './drivers/pglite-url.js'
import { sqliteUrl } from './drivers/sqlite-url.js'
import type { UrlForm } from './url-form.js'

/** Every dialect's URL form, one line each (beside runtimes.ts and registry.ts, the third registry line). */
const forms = {
  postgres: pgUrl,
  pglite: pgliteUrl,
  sqlite: sqliteUrl,
  mysql: mysqlUrl,
} as const satisfies { readonly [K in DialectName]: UrlForm<{ readonly kind: K }> }

type Parsed<F> = F extends UrlForm<infer U> ? U : never

/** A parsed database location: one variant per dialect, as its form parses it. */
export type DatabaseUrl = { readonly [K in keyof typeof forms]: Parsed<(typeof forms)[K]> }[keyof typeof forms]

/** Every form, in the order URLs are tried. */
export const urlForms: readonly UrlForm<DatabaseUrl>[] = Object.values(forms) as readonly UrlForm<DatabaseUrl>[]

/** The form of a parsed URL. */
export function formOf(parsed: DatabaseUrl): UrlForm<DatabaseUrl> {
  return forms[parsed.kind] as UrlForm<DatabaseUrl>
}
