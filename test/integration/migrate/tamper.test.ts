/**
 * A tampered migrations directory (test/support/suites/tamper.ts) on the system server, PGlite and a SQLite file.
 */
import { SUITE_TARGETS, suiteDialect } from '../../support/suites/dialects.js'
import { tamperSuite } from '../../support/suites/tamper.js'

for (const target of SUITE_TARGETS) tamperSuite(target.name, target.withUrl, await suiteDialect(target.name))
