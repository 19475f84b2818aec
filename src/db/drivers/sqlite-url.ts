import { existsSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { loadRuntime } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import { messageOf, type UrlForm } from '../url-form.js'

/** `sqlite:PATH` (a file, created when missing) or `sqlite::memory:`, through better-sqlite3. */
export const sqliteUrl: UrlForm<{ readonly kind: 'sqlite'; readonly path: string | ':memory:' }> = {
  scheme: /^sqlite:/i,
  embedded: true,
  parse(src) {
    if (!/^sqlite:/i.test(src)) return undefined
    // sqlite:app.db, sqlite:///abs/app.db and sqlite://./app.db (as other tools write it), sqlite::memory:.
    const rest = src.slice('sqlite:'.length).replace(/^\/\/(?=\/|\.)/, '')
    if (rest === '') throw new KeelError('BAD_URL', 'sqlite: needs a file or `:memory:`, as in sqlite:app.db')
    return { kind: 'sqlite', path: rest === ':memory:' ? ':memory:' : rest }
  },
  async open(parsed) {
    try {
      // The dialect's runtime half before the Connection exists (see connectSqlite).
      const [{ connectSqlite }] = await Promise.all([import('./sqlite.js'), loadRuntime('sqlite')])
      return connectSqlite(parsed.path)
    } catch (error) {
      throw new KeelError(
        'DATABASE_ERROR',
        `cannot open the SQLite database ${parsed.path}: ${messageOf(error)}`,
        undefined,
        {
          cause: error,
        },
      )
    }
  },
  isLocal: () => true,
  // Opening a SQLite file that is not there creates it.
  missing(parsed, cwd) {
    if (parsed.path === ':memory:' || existsSync(resolve(cwd, parsed.path))) return undefined
    return relative(cwd, resolve(cwd, parsed.path)) || '.'
  },
}
