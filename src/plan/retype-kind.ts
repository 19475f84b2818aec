import type { Column, IntegerType, SequenceOptions, Table } from '../schema/model.js'
import { displayName } from '../schema/name.js'
import type { ExpansionHooks } from './expansion.js'
import { indexMentions, isPlainIndex, mentions } from './mentions.js'

/**
 * How a type change that rewrites the table is expanded: `plain` when nothing else depends on the column (no
 * key, index, constraint, identity, sequence or generation): built beside the old column and swapped in;
 * `keyed` when it is in the primary key, a unique constraint, indexes (as a plain column: no expression or
 * predicate names it) or foreign keys of its own, and nothing else: the contract also builds those again on the
 * new column (indexes concurrently, foreign keys NOT VALID then validated), and moves the foreign keys that
 * reference it (plan/keyed-retype.ts); a serial that stays serial and an identity that stays one are keyed too (the
 * swap moves the sequence). Others (a column in an exclusion constraint or a deferrable key, which noSwapReason holds
 * for the contract; a column becoming or ceasing to be serial or identity) keep the planner's one-step plan.
 */
export function retypeKind(
  table: Table,
  from: Column,
  to: Column,
  hooks: ExpansionHooks,
): 'plain' | 'keyed' | undefined {
  if (JSON.stringify(from.type) === JSON.stringify(to.type)) return undefined
  if (from.generated || to.generated) return undefined
  // A column that draws from a sequence after the change is keyed: the swap moves the sequence the old column draws
  // from by then (interimDrawn) to the new one. One that stops drawing is retyped like any other: its sequence goes
  // with the old column at the swap.
  const drawn = to.serial === true || to.identity !== undefined
  if (drawn && interimDrawn(from, to) === undefined) return undefined
  const names = new Set([from.name])
  // Checks and expression or partial indexes over the column go with it at the swap (DROP COLUMN drops them); the
  // contract builds the desired ones again over the new column (plan/phases.ts), checks NOT VALID then validated.
  // A column an exclusion constraint names is held (noSwapReason); the table's other columns swap as usual.
  const excluded = (table.exclusions ?? []).some((x) => mentions([x.definition], names))
  if (excluded || !hooks.rewrites(table, from, to)) return undefined
  const inKey = (table.primaryKey?.columns ?? []).includes(from.name)
  const uniques = table.uniques.filter((u) => u.columns.includes(from.name))
  const indexes = table.indexes.filter((i) => mentions(indexMentions(i), names))
  // A referencing column: its foreign key is added again on the new column, like a referenced key's.
  const references = table.foreignKeys.some((f) => f.columns.includes(from.name))
  if (!inKey && uniques.length === 0 && indexes.length === 0 && !drawn && !references) return 'plain'
  const deferrable = (inKey && table.primaryKey?.deferrable !== undefined) || uniques.some((u) => u.deferrable)
  if (deferrable) return undefined
  // Only plain indexes are built again on the new column before the swap; the others wait for the contract.
  const rebuilt = indexes.filter((i) => isPlainIndex(i, names))
  return !inKey && uniques.length === 0 && rebuilt.length === 0 && !drawn && !references ? 'plain' : 'keyed'
}

/**
 * The old column of a retype as the expand leaves it, so that the old and the new release both write it until the
 * swap, and the swap can move its sequence to the new column (moveKeys): `from` itself when it is fine as it is,
 * undefined when it has no such form (the change keeps the planner's one-step plan).
 * - Becoming serial: the old column becomes the serial (a serial stays one; an identity gives way to it), so the new
 *   release's inserts draw from the sequence that the swap re-owns and widens.
 * - Becoming identity: a serial stays (the swap makes the identity where its sequence stopped); a plain NOT NULL
 *   column takes the identity BY DEFAULT (the old release's own ids are still accepted), with its sequence options
 *   when they fit the old type; a nullable one (an identity needs NOT NULL, proven by the swap's check) takes a
 *   serial, when the identity asks for no sequence options (a serial's sequence has the defaults).
 * - Ceasing to draw: an identity GENERATED ALWAYS becomes BY DEFAULT, so that the new release's own ids are accepted;
 *   the sequence goes with the old column at the swap.
 * The sequence drawn before the swap has the old column's integer type; the swap gives it the new one.
 */
export function interimDrawn(from: Column, to: Column): Column | undefined {
  const { default: _d, identity: _i, serial: _s, ...plain } = from
  if (to.serial === true || to.identity !== undefined) {
    if (from.type.kind !== 'integer' || to.type.kind !== 'integer') return undefined
    if (to.serial === true) return from.serial === true ? from : { ...plain, serial: true }
    if (from.serial === true || from.identity !== undefined) return from
    const sequence = to.identity?.sequence
    if (sequence === undefined)
      return from.nullable ? { ...plain, serial: true } : { ...plain, identity: { always: false } }
    // The interim identity's sequence has the old column's type: its bounds must fit it.
    const { type: _t, ...options } = sequence
    if (from.nullable || !fitsInteger(options, from.type)) return undefined
    return { ...plain, identity: { always: false, sequence: options } }
  }
  if (from.identity?.always === true) return { ...from, identity: { ...from.identity, always: false } }
  return from
}

/** Whether a sequence's start and bounds are values of integer type `type`. */
function fitsInteger(options: SequenceOptions, type: IntegerType): boolean {
  const limit = 2n ** BigInt(type.bytes * 8 - 1)
  return [options.start, options.min, options.max].every(
    (v) => v === undefined || (BigInt(v) >= -limit && BigInt(v) < limit),
  )
}

/**
 * Why a rewriting type change of `from` has no online form, when it has none: the column is in an exclusion constraint
 * (built only under ACCESS EXCLUSIVE: no CONCURRENTLY, no USING INDEX), or in a deferrable key (a unique index built
 * beside it checks at once, so the running release's deferred checks would fail while both exist; built at the swap,
 * it blocks writers).
 */
export function noSwapReason(table: Table, from: Column, to: Column, hooks: ExpansionHooks): string | undefined {
  if (JSON.stringify(from.type) === JSON.stringify(to.type) || from.generated || to.generated) return undefined
  const names = new Set([from.name])
  const name = `${displayName(table.name)}.${from.name}`
  const exclusion = (table.exclusions ?? []).find((x) => mentions([x.definition], names))
  const keys = [
    ...(table.primaryKey?.deferrable !== undefined && table.primaryKey.columns.includes(from.name)
      ? [table.primaryKey.name]
      : []),
    ...table.uniques.filter((u) => u.deferrable !== undefined && u.columns.includes(from.name)).map((u) => u.name),
  ]
  if ((exclusion === undefined && keys.length === 0) || !hooks.rewrites(table, from, to)) return undefined
  return exclusion !== undefined
    ? `${name} is in exclusion constraint ${exclusion.name}, which PostgreSQL builds only under ACCESS EXCLUSIVE (no CONCURRENTLY, no USING INDEX): it cannot be built again on a new column online, and changing the type in place rewrites the table`
    : `${name} is in deferrable key ${keys.join(', ')}: a unique index built beside it would check at once and fail the running release's deferred checks, and one built at the swap blocks writers; changing the type in place rewrites the table`
}
