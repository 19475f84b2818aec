import type { ColumnAspect } from '../../diff/change.js'
import { KeelError } from '../../errors.js'
import { deepEqual, omitKeys } from '../../schema/equal.js'
import type { Column } from '../../schema/model.js'
import type { ChangeOf } from './context.js'
import { typeChangeFacts } from './type-change.js'

type AlterColumn = ChangeOf<'alterColumn'>

/** One statement-sized move of a column from one state to the next. */
export type TransitionKind =
  | 'recreate'
  | 'dropIdentity'
  | 'serialOff'
  | 'dropExpression'
  | 'dropDefault'
  | 'dropNotNull'
  | 'type'
  | 'setNotNull'
  | 'setDefault'
  | 'serialOn'
  | 'identity'
  | 'comment'

/** A transition and the single-aspect `alterColumn` change that describes it exactly. */
export interface Transition {
  readonly kind: TransitionKind
  readonly change: AlterColumn
}

/**
 * Splits an `alterColumn` into transitions, each one ALTER COLUMN form, in an order PostgreSQL
 * accepts: first what goes away (identity, serial, expression, a default that would not survive a
 * cast, NOT NULL), then the type with its collation, then what comes (NOT NULL, default, serial,
 * identity, comment). A column that becomes generated, or changes its expression, is dropped and
 * added again (SET EXPRESSION needs PostgreSQL 17).
 *
 * Each transition's change differs from its `from` in one aspect only, so its inverse is one
 * transition too: that is how each step gets its own reverse.
 */
export function columnTransitions(change: AlterColumn): Transition[] {
  const { from, to } = change
  if (needsRecreate(from, to)) return [{ kind: 'recreate', change: { ...change, aspects: ['generated'] } }]
  const transitions: Transition[] = []
  let current = from
  const move = (kind: TransitionKind, aspects: readonly ColumnAspect[], next: Column) => {
    if (deepEqual(current, next)) return
    transitions.push({ kind, change: { ...change, from: current, to: next, aspects } })
    current = next
  }
  const typeChanges = !deepEqual(from.type, to.type) || from.collation !== to.collation
  const castsDefault = typeChanges && typeChangeFacts(from.type, to.type).needsUsing

  if (current.identity !== undefined && to.identity === undefined)
    move('dropIdentity', ['identity'], omitKeys(current, 'identity'))
  if (current.serial && !to.serial) move('serialOff', ['default'], omitKeys(current, 'serial'))
  if (current.generated !== undefined && to.generated === undefined) {
    move('dropExpression', ['generated'], omitKeys(current, 'generated'))
  }
  // A default that needs a cast would make ALTER COLUMN TYPE fail: drop it first, set it again after.
  if (current.default !== undefined && (to.default === undefined || castsDefault)) {
    move('dropDefault', ['default'], omitKeys(current, 'default'))
  }
  if (!current.nullable && to.nullable) move('dropNotNull', ['nullable'], { ...current, nullable: true })
  if (typeChanges) {
    const aspects: ColumnAspect[] = []
    if (!deepEqual(from.type, to.type)) aspects.push('type')
    if (from.collation !== to.collation) aspects.push('collation')
    move('type', aspects, withField({ ...current, type: to.type }, 'collation', to.collation))
  }
  if (current.nullable && !to.nullable) move('setNotNull', ['nullable'], { ...current, nullable: false })
  if (!deepEqual(current.default, to.default))
    move('setDefault', ['default'], withField(current, 'default', to.default))
  if (!current.serial && to.serial) move('serialOn', ['default'], { ...current, serial: true })
  if (!deepEqual(current.identity, to.identity))
    move('identity', ['identity'], withField(current, 'identity', to.identity))
  if (current.comment !== to.comment) move('comment', ['comment'], withField(current, 'comment', to.comment))

  // The hints say how a new column is filled (plan/phases.ts): nothing to change on a column that exists.
  if (!deepEqual(omitKeys(current, 'renamedFrom', 'backfill'), omitKeys(to, 'renamedFrom', 'backfill'))) {
    throw new KeelError('INTERNAL', `cannot plan the change of column ${from.name}: ${JSON.stringify({ from, to })}`)
  }
  return transitions
}

/** A column that becomes generated, changes its expression, or stops being a virtual generated column. */
function needsRecreate(from: Column, to: Column): boolean {
  if (to.generated !== undefined) return !deepEqual(from.generated, to.generated)
  // DROP EXPRESSION works on stored generated columns only.
  return from.generated !== undefined && !from.generated.stored
}

/** `value` with `key` set, or without it when `field` is undefined (the model omits defaults). */
export function withField<T extends object, K extends keyof T>(value: T, key: K, field: T[K] | undefined): T {
  if (field === undefined) return omitKeys(value, key) as T
  return { ...value, [key]: field }
}
