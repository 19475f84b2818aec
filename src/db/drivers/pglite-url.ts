import { existsSync, readdirSync, statSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { KeelError } from '../../errors.js'
import { messageOf, type UrlForm } from '../url-form.js'
import { PGLITE_LOCK_FILE } from './pglite-dir-lock.js'

/** `pglite:DIR` and `pglite:memory`: the embedded PostgreSQL. */
export const pgliteUrl: UrlForm<{ readonly kind: 'pglite'; readonly dir: string | 'memory' }> = {
  scheme: /^pglite:/i,
  embedded: true,
  parse(src) {
    if (!/^pglite:/i.test(src)) return undefined
    const rest = src.slice('pglite:'.length).replace(/^\/\/(?=\/|\.)/, '')
    if (rest === '') throw new KeelError('BAD_URL', 'pglite: needs a directory or `memory`, as in pglite:.keel/db')
    return { kind: 'pglite', dir: rest === 'memory' ? 'memory' : rest }
  },
  async open(parsed, applicationName, options) {
    try {
      // Drivers load on first use: PGlite's WebAssembly alone costs a noticeable part of a cold start.
      const { connectPglite } = await import('./pglite.js')
      return await connectPglite(parsed.dir, {
        applicationName: applicationName ?? `keel ${process.pid}`,
        waitMs: options.lockWaitMs ?? 0,
        ...(options.onLockWait ? { onWait: options.onLockWait } : {}),
      })
    } catch (error) {
      if (error instanceof KeelError) throw error
      throw new KeelError(
        'DATABASE_ERROR',
        `cannot open the embedded database at ${parsed.dir}: ${messageOf(error)}`,
        'Is another Keel process using the same pglite directory?',
        { cause: error },
      )
    }
  },
  isLocal: () => true,
  missing(parsed, cwd) {
    if (parsed.dir === 'memory') return undefined
    // initdb writes PG_VERSION first; a directory without it holds no cluster. A path that holds something else
    // (a file, a folder of other files) is not "missing": opening it refuses it as BAD_URL and writes nothing.
    const dir = resolve(cwd, parsed.dir)
    const missing =
      !existsSync(dir) || (statSync(dir).isDirectory() && readdirSync(dir).every((name) => name === PGLITE_LOCK_FILE))
    return missing ? relative(cwd, dir) || '.' : undefined
  },
  place: (parsed, cwd) => relative(cwd, parsed.dir) || '.',
}
