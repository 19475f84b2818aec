import type { Routine } from '../schema/model.js'
import { denotes, type TypeTexts } from './enum-swap.js'

/** Whether an expression (or a view's query) calls one of some routines, as the dialect's parser reads it. */
export type CallsRoutines = (text: string, as?: 'expression' | 'query') => boolean

/**
 * Whether a text calls one of `routines` (a qualified, quoted or spaced call included; a name in a string not): the
 * routines that take a swapped enum, which take the old type until the contract makes them again. Pure.
 */
export function callsOf(routines: readonly Routine[], texts: TypeTexts): CallsRoutines {
  return (text, as = 'expression') =>
    routines.length > 0 &&
    routines.some((r) => text.toLowerCase().includes(r.name.name.toLowerCase())) &&
    texts.references(text, as).calls.some((call) => routines.some((r) => denotes(call, r.name)))
}
