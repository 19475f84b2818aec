import type { Change, CommentTarget } from '../../diff/change.js'
import type { StepCategory } from '../../plan/order.js'
import { omitKeys } from '../../schema/equal.js'
import type { ForeignKey, QualifiedName } from '../../schema/model.js'
import type { Unit } from './context.js'

/** Positions of created tables (referenced first) and of dropped tables (referencing first). */
export interface TableRanks {
  readonly created: ReadonlyMap<string, number>
  readonly dropped: ReadonlyMap<string, number>
  /** Tables outside the created ones that gain a primary key, unique constraint or unique index in the plan. */
  readonly keysAdded?: ReadonlySet<string>
  /** Tables outside the dropped ones that lose a primary key, unique constraint or unique index in the plan. */
  readonly keysDropped?: ReadonlySet<string>
}

/** A unit in `category` carrying `change`, from `origin`. */
export function unit(category: StepCategory, change: Change, origin: Change, rank = 0): Unit {
  return { category, rank, change, origin }
}

/** A unit that sets the comment of a newly created object. */
export function commentUnit(target: CommentTarget, comment: string | undefined, origin: Change): Unit[] {
  return comment === undefined
    ? []
    : [unit('comment', { kind: 'setComment', target, from: undefined, to: comment }, origin)]
}

/** An `addForeignKey` unit and the unit for its comment. */
export function addForeignKeyUnits(table: QualifiedName, fk: ForeignKey, origin: Change): Unit[] {
  return [
    unit('addForeignKey', { kind: 'addForeignKey', table, foreignKey: omitKeys(fk, 'comment') }, origin),
    ...constraintComment(table, fk, origin),
  ]
}

/** The unit setting the comment of a constraint created with `origin`. */
export function constraintComment(
  table: QualifiedName,
  constraint: { readonly name: string; readonly comment?: string },
  origin: Change,
): Unit[] {
  return commentUnit({ kind: 'constraint', table, constraint: constraint.name }, constraint.comment, origin)
}
