/**
 * Several `keel migrate` processes on one database (test/support/suites/concurrency.ts) on the system server, a
 * PGlite directory and a SQLite file. What only PostgreSQL's server sessions show (an orphaned session that commits
 * after its runner died, a lock held by another program) is processes.test.ts; PGlite's lock file, pglite-processes.
 */
import { concurrencySuite } from '../../support/suites/concurrency.js'
import { SUITE_TARGETS, suiteDialect } from '../../support/suites/dialects.js'

for (const target of SUITE_TARGETS) concurrencySuite(target.name, target.withUrl, await suiteDialect(target.name))
