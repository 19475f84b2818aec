/**
 * `keel migrate` SIGKILLed mid-migration, then run again (test/support/suites/crash.ts), on the system server and a
 * SQLite file. What only PostgreSQL's server sessions show (a killed runner's session that commits its text, or is
 * ended before its COMMIT; a backfill's last batch) is processes.test.ts and crash-safety.test.ts.
 */
import { crashSuite } from '../../support/suites/crash.js'
import { SUITE_TARGETS, suiteDialect } from '../../support/suites/dialects.js'

// Not on PGlite: a PGlite directory killed mid-write is PostgreSQL's crash recovery in WebAssembly, which these
// tests do not set out to prove; its one-process lock file is pglite-processes.test.ts.
for (const target of SUITE_TARGETS.filter((t) => t.name !== 'pglite'))
  crashSuite(target.name, target.withUrl, await suiteDialect(target.name))
