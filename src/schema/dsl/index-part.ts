import type { ColumnRef } from './column-ref.js'
import type { Sql } from './sql.js'

/** What an index key part indexes: a column, an expression, or (for views) a column named in SQL. */
export type IndexTarget = ColumnRef | Sql | string

/** Order, nulls placement, operator class and collation of one index key part. */
export interface IndexPartOptions {
  readonly descending?: boolean
  readonly nulls?: 'first' | 'last'
  readonly opclass?: string
  readonly collation?: string
}

/**
 * One key part of an index with its modifiers, made by `.desc()`, `.nullsFirst()`, `.op()` ... on a column
 * reference or a `sql` expression. Immutable: each modifier returns a new part.
 * @example index().on(t.createdAt.desc().nullsLast(), t.name.op('text_pattern_ops'))
 */
export class IndexPart {
  readonly '~keel' = 'part' as const

  constructor(
    readonly target: IndexTarget,
    readonly options: IndexPartOptions = {},
  ) {}

  /** Ascending order (the default). */
  asc(): IndexPart {
    return new IndexPart(this.target, { ...this.options, descending: false })
  }

  /** Descending order. */
  desc(): IndexPart {
    return new IndexPart(this.target, { ...this.options, descending: true })
  }

  /** `NULLS FIRST` */
  nullsFirst(): IndexPart {
    return new IndexPart(this.target, { ...this.options, nulls: 'first' })
  }

  /** `NULLS LAST` */
  nullsLast(): IndexPart {
    return new IndexPart(this.target, { ...this.options, nulls: 'last' })
  }

  /** An operator class, such as `text_pattern_ops` or `gin_trgm_ops`. */
  op(opclass: string): IndexPart {
    return new IndexPart(this.target, { ...this.options, opclass })
  }

  /** A collation for this key part. */
  collate(collation: string): IndexPart {
    return new IndexPart(this.target, { ...this.options, collation })
  }
}
