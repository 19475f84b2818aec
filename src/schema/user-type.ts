import type { ColumnType, Expr } from './column.js'
import type { Check } from './constraint.js'
import type { QualifiedName } from './qualified-name.js'

export interface EnumType {
  readonly name: QualifiedName
  readonly values: readonly string[]
  readonly comment?: string
}

/** A domain: a base type with an optional default, NOT NULL and named checks (`CREATE DOMAIN`). */
export interface Domain {
  readonly name: QualifiedName
  readonly type: ColumnType
  readonly notNull?: true
  readonly default?: Expr
  /** Omitted for the base type's default collation. */
  readonly collation?: string
  /** Named `CHECK (...)` constraints; `expr` is the condition on `VALUE`, without `CHECK (...)`. */
  readonly checks: readonly Check[]
  readonly comment?: string
}

/** A collation (`CREATE COLLATION`). Columns and domains name it in their `collation` field. */
export interface Collation {
  readonly name: QualifiedName
  readonly provider: 'libc' | 'icu' | 'builtin'
  /** The ICU or builtin locale; for libc, LC_COLLATE and LC_CTYPE when they are equal. */
  readonly locale?: string
  /** libc only, when LC_COLLATE and LC_CTYPE differ. */
  readonly lcCollate?: string
  readonly lcCtype?: string
  /** `deterministic = false`; omitted for the default (deterministic). */
  readonly nondeterministic?: true
  /** ICU tailoring rules (PostgreSQL 16+). */
  readonly rules?: string
  readonly comment?: string
}
