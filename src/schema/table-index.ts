/** One key part of an index: a column or an expression, with its order and operator class. */
export interface IndexPart {
  /** Exactly one of `column` and `expr` is set. */
  readonly column?: string
  readonly expr?: string
  readonly descending?: true
  /** Stated only when it differs from the default for the order (NULLS LAST for ASC, NULLS FIRST for DESC). */
  readonly nullsFirst?: boolean
  /** Omitted for the type's default operator class. */
  readonly opclass?: string
  readonly collation?: string
  /** MySQL prefix length (`name(10)`): only the first `length` characters (bytes for binary types) are indexed. */
  readonly length?: number
}

export interface Index {
  readonly name: string
  readonly parts: readonly IndexPart[]
  readonly unique: boolean
  /** Access method; omitted for the default (`btree`). MySQL: `FULLTEXT` or `SPATIAL` for those index kinds. */
  readonly method?: string
  /** Partial index predicate, as the server prints it. */
  readonly where?: string
  /** Non-key columns (`INCLUDE (...)`). */
  readonly include: readonly string[]
  readonly nullsNotDistinct?: true
  /** MySQL `INVISIBLE` (MariaDB `IGNORED`): maintained, but the optimizer does not use it. */
  readonly invisible?: true
  readonly comment?: string
}
