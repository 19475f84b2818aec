import type { Deferrable, ReferentialAction } from '../model.js'

/** A referential action, in upper or lower case: `'cascade'`, `'SET NULL'`, ... */
export type ReferentialActionInput = ReferentialAction | Lowercase<ReferentialAction>

/** `true` for DEFERRABLE INITIALLY IMMEDIATE, or say which. */
export type DeferrableInput = boolean | { readonly initiallyDeferred: boolean }

/** The options a foreign key shares between `.references()` and `foreignKey()`. */
export interface ForeignKeyActions {
  readonly onDelete?: ReferentialActionInput
  readonly onUpdate?: ReferentialActionInput
  readonly deferrable?: DeferrableInput
  /** `MATCH FULL` instead of the default `MATCH SIMPLE`. */
  readonly matchFull?: boolean
}

/** The model's spelling of an action; NO ACTION when omitted, as in SQL. */
export function referentialAction(input: ReferentialActionInput | undefined): ReferentialAction {
  return input === undefined ? 'NO ACTION' : (input.toUpperCase() as ReferentialAction)
}

/** The model's `deferrable`, or `undefined` for NOT DEFERRABLE. */
export function deferrableOf(input: DeferrableInput | undefined): Deferrable | undefined {
  if (input === undefined || input === false) return undefined
  return input === true ? { initiallyDeferred: false } : { initiallyDeferred: input.initiallyDeferred }
}
