import type { IntegerType } from './column.js'
import type { Privilege } from './privilege.js'
import type { QualifiedName } from './qualified-name.js'

/**
 * A sequence value (PostgreSQL's are bigint) held exactly and in one canonical form, so that plain equality
 * compares: a `number` when it is a safe integer (|n| < 2^53), otherwise its decimal digits as a string
 * (`'9007199254740993'`), which keeps the model JSON data. `schema/sequence-value.ts` makes and reads them.
 */
export type SequenceValue = number | `${bigint}`

/** Sequence options; every field is omitted when it holds PostgreSQL's default for the sequence's type. */
export interface SequenceOptions {
  readonly type?: IntegerType
  readonly start?: SequenceValue
  readonly increment?: SequenceValue
  readonly min?: SequenceValue
  readonly max?: SequenceValue
  readonly cache?: SequenceValue
  readonly cycle?: boolean
}

export interface Sequence extends SequenceOptions {
  readonly name: QualifiedName
  /** `OWNED BY table.column`: the sequence is dropped with the column. */
  readonly ownedBy?: { readonly table: QualifiedName; readonly column: string }
  readonly comment?: string
  /** `GRANT ... ON SEQUENCE`; omitted when none is granted. */
  readonly privileges?: readonly Privilege[]
}
