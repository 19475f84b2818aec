/**
 * Setup file of the integration tests (vitest.config.ts): when a file's tests and its own afterAll hooks are done,
 * the system server's databases its tests finished with are dropped before the file counts as passed
 * (databases.ts dropAfterFile says why they are not dropped at once).
 */
import { afterAll } from 'vitest'
import { dropPendingDatabases } from './databases.js'

afterAll(dropPendingDatabases)
