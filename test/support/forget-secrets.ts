/**
 * Setup file of every test project (vitest.config.ts): the files share workers (isolate: false), and the passwords
 * one file's in-process keel runs remembered (src/db/secrets.ts) would scrub the output of the next file in the
 * worker. Each file starts with none.
 */
import { beforeAll } from 'vitest'
import { forgetSecrets } from '../../src/db/secrets.js'

beforeAll(forgetSecrets)
