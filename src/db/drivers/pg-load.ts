import { createRequire } from 'node:module'
import type PgModule from 'pg'

const require = createRequire(import.meta.url)

/**
 * The `pg` module, loaded without its runtime probe's cost. On loading, pg asks whether it runs in a Cloudflare
 * Worker: where `navigator` is missing (Node 20) it builds a `Response` to find out, and that first touch of
 * `Response` loads Node's whole fetch implementation (undici), tens of milliseconds of every command's cold
 * start for nothing. A `navigator` that is not Cloudflare's answers the probe at once; it is there only while
 * pg loads (Node 21+ has its own, and then nothing is changed).
 */
export function loadPg(): typeof PgModule {
  if ('navigator' in globalThis) return require('pg') as typeof PgModule
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Node.js' }, configurable: true })
  try {
    return require('pg') as typeof PgModule
  } finally {
    Reflect.deleteProperty(globalThis, 'navigator')
  }
}
