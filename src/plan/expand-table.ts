import { deepEqual } from '../schema/equal.js'
import type { Column, ColumnType, Table } from '../schema/model.js'
import { type EnumSwap, namesSwapped, retarget, retargetColumn, retargetText, throughText } from './enum-swap.js'
import type { ExpansionHooks, TableExpansion } from './expansion.js'
import { indexMentions, mentions } from './mentions.js'
import type { ColumnSync } from './phase-sql.js'
import { interimDrawn, noSwapReason, retypeKind } from './retype-kind.js'

export function expandTable(
  before: Table,
  after: Table,
  columnRenames: ReadonlyMap<string, string>,
  hooks: ExpansionHooks,
  swaps: ReadonlyMap<string, EnumSwap>,
  callsSwapped: (text: string) => boolean = () => false,
): { readonly table: Table; readonly facts: TableExpansion } | undefined {
  // A column's type with each swapped enum replaced by its temporary twin (EnumSwap).
  const retargeted = (type: ColumnType) => retarget(type, swaps)
  // A new column on a swapped enum: on its twin (retargeted).
  const twinned: string[] = []
  const onTwin = (column: Column): Column => {
    const moved = retargetColumn(column, swaps, hooks, callsSwapped)
    if (moved !== column) twinned.push(column.name)
    return moved
  }
  const old = new Map(before.columns.map((c) => [c.name, c]))
  const filling = hooks.stillFilling?.(before.name) ?? new Set<string>()
  const target = (column: Column): Column => ({ ...column, type: retargeted(column.type) })
  const renamedAway = new Set<string>()
  const carried = new Map<string, string>()
  const syncs: ColumnSync[] = []
  const retyped: { column: string; temp: string; keyed: boolean }[] = []
  const noSwap = new Map<string, string>()
  for (const column of after.columns) {
    const prior = old.get(column.name)
    const reason = prior === undefined ? undefined : noSwapReason(before, prior, target(column), hooks)
    if (reason !== undefined) noSwap.set(column.name, reason)
  }
  // A column whose rewriting type change is built beside it and swapped in at the contract (the loop below), unless
  // a generated column that reads it holds it.
  const swappable = (name: string) => {
    const prior = old.get(name)
    const column = after.columns.find((c) => c.name === name)
    if (prior === undefined || column === undefined || noSwap.has(name) || filling.has(name)) return false
    return retypeKind(before, prior, target(column), hooks) !== undefined
  }
  const regenerated = regeneratedReaders(before, after, retargeted, swappable, (expr) =>
    namesSwapped(expr, [...swaps.values()], hooks),
  )
  const held = new Set([...heldColumns(before, after, retargeted, regenerated, swappable), ...noSwap.keys()])
  const filledLater: string[] = []
  // A column a kept generated column reads is held (heldColumns). A new generated column that reads a column changing
  // type waits for the contract, which adds it after the swap (added in the expand, it would read the old column,
  // and DROP COLUMN at the swap would refuse); a dropped one goes just before the swap (droppedReaders).
  const retyping = new Set(
    after.columns.flatMap((c) => {
      const prior = old.get(c.name)
      return prior !== undefined && JSON.stringify(prior.type) !== JSON.stringify(retargeted(c.type)) ? [c.name] : []
    }),
  )
  // So does one that calls a routine taking a swapped enum: the routine takes the old type until the contract makes it
  // again, and the column's argument is on the twin by then (function is_mood(mood_keel_new) does not exist).
  const readsRetyped = (column: Column) =>
    column.generated !== undefined &&
    (mentions([column.generated.expr], new Set([...retyping].filter((name) => name !== column.name))) ||
      callsSwapped(column.generated.expr))
  const deferred: string[] = []
  const columns: Column[] = []
  for (const column of after.columns) {
    const source = columnRenames.get(column.name)
    // A column a stopped push added and still fills is new still: it gets its sync and backfill again.
    const prior = filling.has(column.name) ? undefined : old.get(column.name)
    // A held column that the desired schema lets hold NULL does so from the expand on: the new release may write
    // NULL into it before the contract (which only changes its type), and the old one reads it as before. Not a
    // column of a unique key: NOT NULL may be what makes that key the one the backfill walks the table by.
    if (prior !== undefined && held.has(column.name))
      columns.push(
        column.nullable && !prior.nullable && !inUniqueKey(before, column.name) ? { ...prior, nullable: true } : prior,
      )
    // Left out of the expand, with what is built on it: the contract adds it (see above).
    else if (prior === undefined && source === undefined && readsRetyped(column)) deferred.push(column.name)
    // A renamed generated column computes its values: no sync (the trigger and the backfill cannot write it: "column
    // can only be updated to DEFAULT") and nothing carried. Added as a new one is, in the expand or, when it reads a
    // column swapped at the contract (or calls a routine taking a swapped enum), by the contract; its old name goes
    // at the contract (just before the swap, when it reads a swapped column: droppedReaders).
    else if (source !== undefined && prior === undefined && old.has(source) && column.generated !== undefined) {
      renamedAway.add(source)
      if (readsRetyped(column)) deferred.push(column.name)
      else columns.push(onTwin(unhinted(column)))
    } else if (source !== undefined && prior === undefined && old.has(source)) {
      const sourceColumn = old.get(source) as Column
      renamedAway.add(source)
      carried.set(source, column.name)
      const sameType = JSON.stringify(sourceColumn.type) === JSON.stringify(column.type)
      const mirrored = column.backfill === undefined && sourceColumn.generated === undefined && sameType
      // Filled one way (not mirrored), it can be on a swapped enum's twin: its value goes there through text. A mirror
      // copies both ways on one type (the enum is then converted in place: unswappable-enums.ts says so).
      const moved = mirrored ? column : onTwin(column)
      const twin = (expr: string) => (moved.type === column.type ? expr : throughText(expr, moved.type, hooks))
      syncs.push(
        column.backfill !== undefined
          ? { kind: 'derive', column: column.name, expr: twin(column.backfill) }
          : sourceColumn.generated !== undefined
            ? // A BEFORE trigger sees a stored generated column before it is computed (NULL on insert, the old value on
              // update): copied from it, the old release's writes left the new column NULL or stale, and the contract
              // dropped the values. Computed as it is instead (another type by assignment, as a backfill hint is).
              { kind: 'derive', column: column.name, expr: twin(`(${sourceColumn.generated.expr})`) }
            : mirrored
              ? { kind: 'mirror', column: column.name, from: source }
              : { kind: 'derive', column: column.name, expr: hooks.cast(source, sourceColumn.type, moved.type) },
      )
      columns.push(expanded(moved))
    } else if (prior === undefined && column.backfill !== undefined) {
      // On a swapped enum's twin, the hint's value (of the enum, or text) goes through text (throughText).
      const moved = onTwin(column)
      const expr = moved.type === column.type ? column.backfill : throughText(column.backfill, moved.type, hooks)
      syncs.push({ kind: 'derive', column: column.name, expr })
      columns.push(expanded(moved))
    } else if (prior === undefined && unfilled(column)) {
      // Nothing says what the rows have: it comes nullable, the new release fills it, and the contract proves
      // it NOT NULL through a validated check (which fails, naming the column, while a row is still null).
      filledLater.push(column.name)
      columns.push({ ...onTwin(unhinted(column)), nullable: true })
    } else if (prior !== undefined && retypeKind(before, prior, target(column), hooks) !== undefined) {
      const temp = hooks.tempName(column.name)
      const type = retargeted(column.type)
      retyped.push({ column: column.name, temp, keyed: retypeKind(before, prior, target(column), hooks) === 'keyed' })
      syncs.push({ kind: 'derive', column: temp, expr: column.backfill ?? hooks.cast(column.name, prior.type, type) })
      columns.push(interimDrawn(prior, column) ?? prior, expanded({ ...column, name: temp, type }))
    } else columns.push(prior === undefined ? onTwin(unhinted(column)) : unhinted(column))
  }
  const afterNames = new Set(after.columns.map((c) => c.name))
  const dropped = before.columns.filter((c) => !afterNames.has(c.name) && !renamedAway.has(c.name))
  if (
    syncs.length === 0 &&
    dropped.length === 0 &&
    renamedAway.size === 0 &&
    held.size === 0 &&
    filledLater.length === 0 &&
    twinned.length === 0 &&
    deferred.length === 0
  )
    return undefined
  const swappedNames = new Set(retyped.map((r) => r.column))
  const droppedReaders = [
    ...[...dropped, ...before.columns.filter((c) => renamedAway.has(c.name))]
      .filter((c) => c.generated !== undefined && mentions([c.generated.expr], swappedNames))
      .map((c) => c.name),
    ...regenerated,
  ]
  const retired = [...renamedAway, ...dropped.map((c) => c.name)]
  // The new release stops writing a retired column: a NOT NULL without a default would refuse its inserts.
  for (const name of retired) columns.push(relaxed(old.get(name) as Column, renamedAway.has(name)))
  // What the desired schema builds on a new column, a column swapped or held, waits for the contract.
  const fresh = new Set([
    ...syncs.map((s) => s.column),
    ...retyped.map((r) => r.column),
    ...held,
    ...filledLater,
    ...deferred,
    ...twinned,
  ])
  const oldSide = new Set([...retired, ...retyped.map((r) => r.column), ...held])
  // A check the expand adds (new, or changed) that names a swapped enum is added on its twin, which the contract
  // renames to the enum: on the old type, DROP TYPE refused it, and the contract dropped it and added and validated it
  // again (an ACCESS EXCLUSIVE lock and a scan for nothing). One that calls a routine taking the enum stays on the old
  // type, which the routine takes until the contract (which takes it away before the swap, and adds it after).
  const onTwins = (desired: Table['checks'], prior: Table['checks']): Table['checks'] =>
    swaps.size === 0
      ? desired
      : desired.map((check) => {
          const kept = prior.find((p) => p.name === check.name)
          if ((kept !== undefined && deepEqual(kept, check)) || callsSwapped(check.expr)) return check
          const expr = retargetText(check.expr, swaps, hooks)
          return expr === check.expr ? check : { ...check, expr }
        })
  const { primaryKey: _pk, ...rest } = after
  const table: Table = {
    ...rest,
    columns,
    ...keyOf(before, after, fresh, oldSide),
    uniques: merge(after.uniques, before.uniques, fresh, oldSide, (u) => u.columns),
    indexes: merge(after.indexes, before.indexes, fresh, oldSide, indexMentions),
    foreignKeys: merge(after.foreignKeys, before.foreignKeys, fresh, oldSide, (f) => f.columns),
    checks: merge(onTwins(after.checks, before.checks), before.checks, fresh, oldSide, (c) => [c.expr]),
  }
  return {
    table,
    facts: {
      before,
      after,
      syncs,
      retyped,
      held: [...held],
      droppedReaders,
      deferred,
      retargeted: twinned,
      noSwap,
      retired,
      carried,
    },
  }
}

/**
 * The columns present on both sides that the expand must leave alone (TableExpansion.held): a column that becomes
 * generated or changes its expression; a generated column that reads a column changing type or collation, and
 * that column (unless the desired schema drops the reader: then it is dropped before the swap).
 */
function heldColumns(
  before: Table,
  after: Table,
  retargeted: (type: ColumnType) => ColumnType,
  regenerated: readonly string[],
  swappable: (name: string) => boolean,
): ReadonlySet<string> {
  const old = new Map(before.columns.map((c) => [c.name, c]))
  const held = new Set<string>()
  const retyping = new Set<string>()
  for (const column of after.columns) {
    const prior = old.get(column.name)
    if (prior === undefined) continue
    if (regenerates(prior, column)) held.add(column.name)
    else if (
      JSON.stringify(prior.type) !== JSON.stringify(retargeted(column.type)) ||
      prior.collation !== column.collation
    )
      retyping.add(column.name)
  }
  for (const reader of before.columns) {
    if (reader.generated === undefined) continue
    const expr = reader.generated.expr
    const read = [...retyping].filter((name) => name !== reader.name && mentions([expr], new Set([name])))
    if (read.length === 0) continue
    // A reader the desired schema drops is dropped before the swap instead (TableExpansion.droppedReaders).
    if (!after.columns.some((c) => c.name === reader.name)) continue
    held.add(reader.name)
    // A reader dropped before the swap (regeneratedReaders) holds no column that can be swapped.
    for (const name of read) if (!regenerated.includes(reader.name) || !swappable(name)) held.add(name)
  }
  return held
}

/**
 * The kept generated columns whose expression changes (regenerates) and whose old one reads a column that can be
 * swapped, or names a swapped enum (`namesSwapped`): the contract drops such a column and adds it again anyway, so it
 * goes just before the swap (TableExpansion.droppedReaders) instead of holding that column, or the enum, back: held,
 * the column changed type in place, and the enum was recreated in place, under ACCESS EXCLUSIVE.
 */
function regeneratedReaders(
  before: Table,
  after: Table,
  retargeted: (type: ColumnType) => ColumnType,
  swappable: (name: string) => boolean,
  namesSwapped: (expr: string) => boolean,
): string[] {
  const changing = after.columns.flatMap((c) => {
    const prior = before.columns.find((p) => p.name === c.name)
    return prior !== undefined && JSON.stringify(prior.type) !== JSON.stringify(retargeted(c.type)) ? [c.name] : []
  })
  return before.columns
    .filter((reader) => {
      const goal = after.columns.find((c) => c.name === reader.name)
      if (reader.generated === undefined || goal === undefined || !regenerates(reader, goal)) return false
      const read = changing.filter((n) => n !== reader.name && mentions([reader.generated?.expr ?? ''], new Set([n])))
      return read.some(swappable) || namesSwapped(reader.generated.expr)
    })
    .map((c) => c.name)
}

/** Whether a kept column becomes generated, changes its expression, or stops being a virtual generated column. */
function regenerates(from: Column, to: Column): boolean {
  if (to.generated !== undefined) return JSON.stringify(from.generated) !== JSON.stringify(to.generated)
  return from.generated !== undefined && !from.generated.stored
}

/**
 * A new NOT NULL column that nothing fills: no default, identity, serial, generation or backfill hint. Added so to
 * a table with rows, it fails (and the running release's inserts would, too).
 */
function unfilled(column: Column): boolean {
  return (
    !column.nullable &&
    column.default === undefined &&
    column.identity === undefined &&
    !column.serial &&
    column.generated === undefined &&
    column.backfill === undefined
  )
}

/** A new column as the expand phase adds it: nullable and without default, so that adding it is instant. */
function expanded(column: Column): Column {
  const { default: _default, renamedFrom: _r, backfill: _b, identity: _i, serial: _s, ...rest } = column
  return { ...rest, nullable: true }
}

function unhinted(column: Column): Column {
  const { renamedFrom: _r, backfill: _b, ...rest } = column
  return rest
}

/** A retired column: a renamed one keeps NOT NULL (the trigger fills it); a dropped one loses it unless defaulted. */
function relaxed(column: Column, mirrored: boolean): Column {
  if (mirrored || column.nullable || column.default !== undefined || column.identity || column.generated) return column
  return { ...column, nullable: true }
}

function keyOf(
  before: Table,
  after: Table,
  fresh: ReadonlySet<string>,
  oldSide: ReadonlySet<string>,
): Pick<Table, 'primaryKey'> {
  const desired = after.primaryKey
  if (desired !== undefined && !mentions(desired.columns, fresh)) return { primaryKey: desired }
  const prior = before.primaryKey
  return prior !== undefined && mentions(prior.columns, oldSide) ? { primaryKey: prior } : {}
}

/**
 * The desired objects that do not use a new column, plus the old ones that use an old column (by name, the
 * old one wins): the contract replaces the latter by the former once the data is there.
 */
function merge<T extends { readonly name: string }>(
  desired: readonly T[],
  prior: readonly T[],
  fresh: ReadonlySet<string>,
  oldSide: ReadonlySet<string>,
  texts: (item: T) => readonly string[],
): T[] {
  const kept = prior.filter((item) => mentions(texts(item), oldSide))
  const names = new Set(kept.map((item) => item.name))
  return [...desired.filter((item) => !mentions(texts(item), fresh) && !names.has(item.name)), ...kept]
}

/** Whether `column` is in a unique constraint or a unique index of `table`. */
function inUniqueKey(table: Table, column: string): boolean {
  return (
    table.uniques.some((u) => u.columns.includes(column)) ||
    table.indexes.some((i) => i.unique && JSON.stringify(i.parts).includes(JSON.stringify(column)))
  )
}
