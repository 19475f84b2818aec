/**
 * Prisma Migrate's default constraint and index names (psl's ConstraintNames): PostgreSQL's conventions,
 * built from database names (after `@map`/`@@map`), cut to the provider's identifier length in bytes
 * before the suffix is added, never inside a multibyte character.
 */
export interface PrismaNames {
  primaryKey(table: string): string
  unique(table: string, columns: readonly string[]): string
  index(table: string, columns: readonly string[]): string
  foreignKey(table: string, columns: readonly string[]): string
}

export function prismaNames(maxLength: number): PrismaNames {
  const withSuffix = (base: string, suffix: string) => `${truncateBytes(base, maxLength - suffix.length)}${suffix}`
  return {
    primaryKey: (table) => withSuffix(table, '_pkey'),
    unique: (table, columns) => withSuffix(`${table}_${columns.join('_')}`, '_key'),
    index: (table, columns) => withSuffix(`${table}_${columns.join('_')}`, '_idx'),
    foreignKey: (table, columns) => withSuffix(`${table}_${columns.join('_')}`, '_fkey'),
  }
}

/** The longest prefix of `text` that fits in `bytes` UTF-8 bytes without splitting a character. */
export function truncateBytes(text: string, bytes: number): string {
  const encoded = Buffer.from(text, 'utf8')
  if (encoded.length <= bytes) return text
  let end = bytes
  // A UTF-8 continuation byte is 10xxxxxx: step back to the start of the character.
  while (end > 0 && ((encoded[end] as number) & 0xc0) === 0x80) end--
  return encoded.subarray(0, end).toString('utf8')
}
