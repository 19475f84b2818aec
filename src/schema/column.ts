import type { ConflictResolution } from './constraint.js'
import type { QualifiedName } from './qualified-name.js'
import type { SequenceOptions } from './sequence.js'

export interface Column {
  readonly name: string
  readonly type: ColumnType
  readonly nullable: boolean
  readonly default?: Expr
  /** `GENERATED ALWAYS|BY DEFAULT AS IDENTITY` */
  readonly identity?: Identity
  /**
   * `serial`, `bigserial` or `smallserial`: an integer column whose default draws from a sequence it
   * owns, named `<table>_<column>_seq` with default options. The sequence is implied, not listed in
   * `Schema.sequences`, and the `default` is omitted.
   */
  readonly serial?: true
  /** `GENERATED ALWAYS AS (expr) STORED|VIRTUAL` */
  readonly generated?: { readonly expr: string; readonly stored: boolean }
  /** Omitted for the type's default collation (MySQL: for the table's collation). */
  readonly collation?: string
  /** SQLite `NOT NULL ON CONFLICT ...` (only on a NOT NULL column); omitted for the default (ABORT). */
  readonly notNullOnConflict?: ConflictResolution
  /** MySQL `ON UPDATE CURRENT_TIMESTAMP`: the expression as the server prints it (`current_timestamp()`). */
  readonly onUpdate?: string
  readonly comment?: string
  readonly renamedFrom?: string
  /**
   * A hint, like `renamedFrom`: where a new column's values come from, as a SQL expression over the table's
   * current columns (`first_name || ' ' || last_name`). It turns a replacing change into expand, backfill and
   * contract phases. Never compared: it says how to get to the schema, not what the schema is.
   */
  readonly backfill?: string
}

export interface Identity {
  readonly always: boolean
  readonly sequence?: SequenceOptions
}

export type IntegerType = { readonly kind: 'integer'; readonly bytes: 2 | 4 | 8; readonly unsigned?: true }

/**
 * A column type in one spelling for every dialect. Anything Keel has no structure for is `native`,
 * kept verbatim in the server's own spelling (atlas's UnsupportedType), and still compared exactly.
 */
export type ColumnType =
  | IntegerType
  | { readonly kind: 'decimal'; readonly precision?: number; readonly scale?: number }
  | { readonly kind: 'float'; readonly bytes: 4 | 8 }
  | { readonly kind: 'text'; readonly length?: number; readonly fixed?: true }
  | { readonly kind: 'timestamp'; readonly withTimeZone: boolean; readonly precision?: number }
  | { readonly kind: 'time'; readonly withTimeZone: boolean; readonly precision?: number }
  | { readonly kind: 'interval'; readonly fields?: string; readonly precision?: number }
  | { readonly kind: 'boolean' | 'date' | 'uuid' | 'bytes' | 'json' | 'jsonb' }
  | { readonly kind: 'enum'; readonly enum: QualifiedName }
  | { readonly kind: 'array'; readonly element: ColumnType }
  | { readonly kind: 'native'; readonly sql: string }

/** A SQL expression in the server's own spelling (after normalisation, as the server prints it back). */
export interface Expr {
  readonly kind: 'sql'
  readonly sql: string
}
