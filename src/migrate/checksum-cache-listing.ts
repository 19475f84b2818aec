import { SUM_FILE } from './directory.js'

/**
 * A walk through the directory's listing as the checksum cache records it (checksum-cache-file.ts: each entry's kind,
 * d, f or o, and name, joined by /), matching its folders to the recorded folders one by one, in their order, while
 * they are checked (checksum-cache.ts checkRecorded): no string is made for an entry. Dotfiles are passed over, as a
 * reading passes over them, and keel.sum is noted.
 */
export class ListingWalk {
  private at = 0
  /** Whether a keel.sum file was passed. */
  sum = false

  constructor(private readonly listing: string) {}

  /** Whether the next entry but dotfiles and keel.sum is the folder `folder`; the walk moves past it. */
  nextIs(folder: string): boolean {
    const start = this.skip()
    if (start === -1 || this.listing.charCodeAt(start) !== 100 /* d */) return false
    const end = start + 1 + folder.length
    if (!this.listing.startsWith(folder, start + 1) || (end < this.listing.length && this.listing[end] !== '/')) {
      return false
    }
    this.at = end + 1
    return true
  }

  /** Whether nothing is left but dotfiles and keel.sum (anything else: for a reading to refuse or read). */
  atEnd(): boolean {
    return this.skip() === -1
  }

  /** Moves past dotfiles and keel.sum; where the next other entry starts, or -1 at the end. */
  private skip(): number {
    const listing = this.listing
    while (this.at < listing.length) {
      let end = listing.indexOf('/', this.at)
      if (end === -1) end = listing.length
      const nameAt = this.at + 1
      const isSum = listing.charCodeAt(this.at) === 102 /* f */ && end - nameAt === SUM_FILE.length
      if (isSum && listing.startsWith(SUM_FILE, nameAt)) this.sum = true
      else if (listing.charCodeAt(nameAt) !== 46 /* . */) return this.at
      this.at = end + 1
    }
    return -1
  }
}
