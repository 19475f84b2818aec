import type { Privilege } from '../model.js'
import { attachState, BRAND } from './brand-of.js'
import type { ColumnRef } from './column-ref.js'
import type { SequenceInput } from './sequence-options.js'

/** Options of `sequence()`. */
export interface SequenceConfig extends SequenceInput {
  readonly schema?: string
  /** The sequence's integer type; `bigint` (the default) when omitted. */
  readonly type?: 'smallint' | 'integer' | 'bigint'
  /** `OWNED BY`: the sequence is dropped with this column. */
  readonly ownedBy?: ColumnRef | (() => ColumnRef)
  readonly comment?: string
  /** `GRANT ... ON SEQUENCE` (see `Privilege` in the model). */
  readonly privileges?: readonly Privilege[]
}

/** What a sequence declaration holds, under its brand. */
export interface SequenceState {
  readonly kind: 'sequence'
  readonly name: string
  readonly config: SequenceConfig
}

/** A defined sequence. Interpolated in a `sql` template it renders as its quoted name: sql`nextval(${seq})`. */
export interface SequenceDef {
  readonly [BRAND]: SequenceState
  readonly sequenceName: string
}

/**
 * Defines a standalone sequence (`CREATE SEQUENCE`). Options equal to PostgreSQL's defaults are left out of the
 * model, so `sequence('s', { increment: 1 })` and `sequence('s')` are the same.
 * @example export const orderNumbers = sequence('order_numbers', { start: 1000, cache: 20 })
 */
export function sequence(name: string, config: SequenceConfig = {}): SequenceDef {
  const def = { sequenceName: name }
  return Object.freeze(attachState(def, { kind: 'sequence', name, config } satisfies SequenceState)) as SequenceDef
}
