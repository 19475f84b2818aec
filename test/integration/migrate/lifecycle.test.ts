/**
 * The versioned lifecycle through the CLI on the system server and PGlite; the suite itself is
 * test/support/suites/lifecycle.ts, which the version matrix (test/matrix/) runs on other PostgreSQL versions.
 */
import { DIALECTS, withDatabase } from '../../support/databases.js'
import { lifecycleSuite } from '../../support/suites/lifecycle.js'
import { withPgliteDir } from './project.js'

for (const dialect of DIALECTS) {
  lifecycleSuite(dialect, {
    withUrl: dialect === 'pglite' ? withPgliteDir : (fn) => withDatabase('postgres', ({ url }) => fn(url)),
    full: dialect === 'postgres',
  })
}
