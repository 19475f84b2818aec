/**
 * The versioned lifecycle through the CLI on the system server, PGlite and a SQLite file; the suite itself is
 * test/support/suites/lifecycle.ts, which the version matrix (test/matrix/) runs on other PostgreSQL versions.
 */
import { SUITE_TARGETS, suiteDialect } from '../../support/suites/dialects.js'
import { lifecycleSuite } from '../../support/suites/lifecycle.js'

for (const target of SUITE_TARGETS) {
  lifecycleSuite(target.name, { withUrl: target.withUrl, dialect: await suiteDialect(target.name) })
}
