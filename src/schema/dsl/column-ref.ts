import type { ColumnBuilder, ColumnInfo } from './column-builder.js'
import { IndexPart } from './index-part.js'
import type { AnyTable } from './table.js'

/**
 * A column of a defined table: `users.id`, or `t.email` inside a table's extras. Constraints, indexes,
 * foreign keys and `sql` templates take these; index modifiers (`.desc()`, `.op()`, ...) turn one into an
 * index key part.
 */
export class ColumnRef<T extends ColumnInfo = ColumnInfo> {
  readonly '~keel' = 'ref' as const
  /** Type-level only: what `Row`/`NewRow` see. Never set at run time. */
  declare readonly $info: T

  constructor(
    /** The table the column belongs to. */
    readonly table: AnyTable,
    /** The column's TypeScript key in the table. */
    readonly key: string,
    /** The column's declaration. */
    readonly column: ColumnBuilder<T>,
  ) {}

  /** This column as an ascending index key part. */
  asc(): IndexPart {
    return new IndexPart(this).asc()
  }

  /** This column as a descending index key part. */
  desc(): IndexPart {
    return new IndexPart(this).desc()
  }

  /** This column as an index key part with `NULLS FIRST`. */
  nullsFirst(): IndexPart {
    return new IndexPart(this).nullsFirst()
  }

  /** This column as an index key part with `NULLS LAST`. */
  nullsLast(): IndexPart {
    return new IndexPart(this).nullsLast()
  }

  /** This column as an index key part with an operator class (`text_pattern_ops`, `gin_trgm_ops`, ...). */
  op(opclass: string): IndexPart {
    return new IndexPart(this).op(opclass)
  }

  /** This column as an index key part with a collation. */
  collate(collation: string): IndexPart {
    return new IndexPart(this).collate(collation)
  }
}

/** Any column reference, e.g. for annotating a self-referencing `.references((): AnyColumn => tree.id)`. */
export type AnyColumn = ColumnRef<ColumnInfo>
