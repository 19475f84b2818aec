import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { loadDriver, openDatabase } from './open.js'

const require = createRequire(import.meta.url)

describe('loadDriver', () => {
  it('loads node-postgres for a server URL without connecting to it', async () => {
    // Port 1 refuses every connection: loading alone must not try one, and must not fail.
    await expect(loadDriver('postgres://nobody@127.0.0.1:1/none')).resolves.toBeUndefined()
    expect(Object.keys(require.cache)).toContain(require.resolve('pg'))
  })

  it('leaves a malformed URL for openDatabase to report', async () => {
    await expect(loadDriver('postgres://[bad')).resolves.toBeUndefined()
    await expect(openDatabase('postgres://[bad')).rejects.toMatchObject({ code: 'BAD_URL' })
  })
})
