import { describe, expect, it } from 'vitest'
import { ListingWalk } from './checksum-cache-listing.js'

describe('ListingWalk', () => {
  it("matches the listing's folders in order, passing over dotfiles and noting keel.sum", () => {
    const walk = new ListingWalk('f.DS_Store/d20260101000000_a/d20260102000000_b/fkeel.sum/d.hidden')
    expect(walk.nextIs('20260101000000_a')).toBe(true)
    expect(walk.nextIs('20260102000000_b')).toBe(true)
    expect(walk.atEnd()).toBe(true)
    expect(walk.sum).toBe(true)
    const none = new ListingWalk('d20260101000000_a')
    expect(none.nextIs('20260101000000_a')).toBe(true)
    expect([none.atEnd(), none.sum]).toEqual([true, false])
  })

  it('refuses another name, a longer name, a file where a folder is, and anything left after the folders', () => {
    expect(new ListingWalk('d20260101000000_ab').nextIs('20260101000000_a')).toBe(false)
    expect(new ListingWalk('d20260101000000_a').nextIs('20260101000000_ab')).toBe(false)
    expect(new ListingWalk('f20260101000000_a').nextIs('20260101000000_a')).toBe(false)
    expect(new ListingWalk('d20260101000000_b/d20260101000000_a').nextIs('20260101000000_a')).toBe(false)
    const loose = new ListingWalk('d20260101000000_a/fnotes.txt')
    expect(loose.nextIs('20260101000000_a')).toBe(true)
    expect(loose.atEnd()).toBe(false)
    const other = new ListingWalk('d20260101000000_a/okeel.sum')
    expect(other.nextIs('20260101000000_a')).toBe(true)
    expect(other.atEnd()).toBe(false)
    expect(new ListingWalk('d20260101000000_a/d20260102000000_b').atEnd()).toBe(false)
  })
})
