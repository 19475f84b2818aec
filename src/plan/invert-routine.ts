import { assertNever } from '../assert-never.js'
import type { RoutineChange } from '../diff/change.js'

/**
 * The change that undoes a domain, routine or trigger change: a create becomes the drop of the same
 * object and back (drops carry the whole object), and an alteration swaps its `from` and `to`.
 *
 * @example
 * invertRoutineChange({ kind: 'alterRoutine', from, to }) // { kind: 'alterRoutine', from: to, to: from }
 */
export function invertRoutineChange(change: RoutineChange): RoutineChange {
  switch (change.kind) {
    case 'createDomain':
      return { ...change, kind: 'dropDomain' }
    case 'dropDomain':
      return { ...change, kind: 'createDomain' }
    case 'createRoutine':
      return { ...change, kind: 'dropRoutine' }
    case 'dropRoutine':
      return { ...change, kind: 'createRoutine' }
    case 'createTrigger':
      return { ...change, kind: 'dropTrigger' }
    case 'dropTrigger':
      return { ...change, kind: 'createTrigger' }
    case 'alterDomain':
      return { kind: 'alterDomain', from: change.to, to: change.from }
    case 'alterRoutine':
      return { kind: 'alterRoutine', from: change.to, to: change.from }
    case 'alterTrigger':
      return { kind: 'alterTrigger', from: change.to, to: change.from }
    default:
      return assertNever(change)
  }
}
