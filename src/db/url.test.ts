import { describe, expect, it } from 'vitest'
import { redactUrl } from './url.js'

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
