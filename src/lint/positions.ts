/**
 * Maps offsets in a file to 1-based lines and columns. libpg_query reports node locations as byte offsets
 * into the UTF-8 text; people count characters.
 */
export class Positions {
  private readonly lineStarts: number[] = [0]
  private readonly ascii: boolean
  private readonly bytes: Buffer | undefined

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1)
    this.ascii = Buffer.byteLength(text, 'utf8') === text.length
    this.bytes = this.ascii ? undefined : Buffer.from(text, 'utf8')
  }

  /** Line and column of a character offset. */
  ofChar(offset: number): { readonly line: number; readonly column: number } {
    let low = 0
    let high = this.lineStarts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if ((this.lineStarts[mid] as number) <= offset) low = mid
      else high = mid - 1
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] as number) + 1 }
  }

  /** Line and column of a byte offset (a parse tree `location`). */
  ofByte(offset: number): { readonly line: number; readonly column: number } {
    if (this.bytes === undefined) return this.ofChar(offset)
    return this.ofChar(this.bytes.subarray(0, offset).toString('utf8').length)
  }

  /** Byte offset of a character offset. */
  byteOf(charOffset: number): number {
    return this.ascii ? charOffset : Buffer.byteLength(this.text.slice(0, charOffset), 'utf8')
  }

  /** The text of a 1-based line. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length
    const end = this.lineStarts[line] ?? this.text.length + 1
    return this.text.slice(start, end - 1).replace(/\r$/, '')
  }
}
