import { describe, expect, it } from 'vitest'
import { isEmbeddedUrl, redactUrl } from './url.js'

describe('redactUrl', () => {
  it.each([
    [
      'cannot connect to postgres://app:s3cret@db:5432/shop: refused',
      'cannot connect to postgres://app:***@db:5432/shop: refused',
    ],
    // Unencoded `@` and `/` in a password: everything up to the URL's last `@` is the password.
    ['postgres://app:p@ss@db/shop', 'postgres://app:***@db/shop'],
    [
      'not a valid PostgreSQL URL: postgres://app:pa/ss@db/shop',
      'not a valid PostgreSQL URL: postgres://app:***@db/shop',
    ],
    ['postgres://app@db/shop and postgres://x:y@h/z', 'postgres://app@db/shop and postgres://x:***@h/z'],
    ['postgres://db/shop?user=app&password=s3cret', 'postgres://db/shop?user=app&password=***'],
    ['postgres://app@db:5432/shop', 'postgres://app@db:5432/shop'],
  ])('%s', (text, redacted) => {
    expect(redactUrl(text)).toBe(redacted)
  })
})

describe('isEmbeddedUrl', () => {
  it('tells the databases Keel runs in its process from the servers it connects to', () => {
    expect(isEmbeddedUrl('pglite:./.keel/db')).toBe(true)
    expect(isEmbeddedUrl('pglite:memory')).toBe(true)
    expect(isEmbeddedUrl('sqlite:app.db')).toBe(true)
    expect(isEmbeddedUrl('sqlite::memory:')).toBe(true)
    expect(isEmbeddedUrl('postgres://u@127.0.0.1:5432/db')).toBe(false)
    expect(isEmbeddedUrl('postgresql://u@127.0.0.1/db')).toBe(false)
    expect(isEmbeddedUrl('mysql://root@127.0.0.1:3306/test')).toBe(false)
    expect(isEmbeddedUrl('mariadb://root@127.0.0.1:3306/test')).toBe(false)
  })
})
