import type { Rename } from '../diff/change.js'
import { routineKey } from '../diff/diff-routines.js'
import { namesDomain } from '../diff/diff-types.js'
import { mayReadColumns } from '../diff/rename-identifier.js'
import { deepEqual } from '../schema/equal.js'
import type {
  Column,
  ColumnType,
  Domain,
  EnumType,
  IntegerType,
  Schema,
  SequenceOptions,
  Table,
  View,
} from '../schema/model.js'
import { displayName, nameKey } from '../schema/name.js'
import {
  denotes,
  type EnumSwap,
  enumOf,
  namesSwapped,
  onlyAdds,
  recreatedEnums,
  retarget,
  retargetColumn,
  retargetTable,
  retargetText,
} from './enum-swap.js'
import type { ColumnSync, ReadReferences } from './phase-sql.js'

/** What the expand/contract pattern does to one table that exists before and after the change. */
export interface TableExpansion {
  /** The table before (`from`) and after (`to`); `to.name` differs when the table is renamed. */
  readonly before: Table
  readonly after: Table
  /** How each new column gets its values while both releases write (the trigger and the backfill). */
  readonly syncs: readonly ColumnSync[]
  /**
   * Columns whose type changes with a rewrite: built beside the old one as `temp`, swapped in at contract.
   * `keyed`: the column is in the primary key, a unique constraint or an index (maybe referenced by foreign
   * keys): the contract builds those again on `temp` before the swap (plan/phases.ts).
   */
  readonly retyped: readonly { readonly column: string; readonly temp: string; readonly keyed: boolean }[]
  /**
   * Columns the expand keeps exactly as they are, for the contract to change: those that become generated or change
   * their expression, the generated columns that read a column changing type (PostgreSQL refuses the type change
   * while they exist), and those columns. The planner drops such a generated column and adds it again, and a drop
   * belongs to the contract.
   */
  readonly held: readonly string[]
  /**
   * Generated columns the desired schema drops that read a column swapped in at contract: dropped just before the
   * swap (PostgreSQL refuses to drop a column a generated column reads), not with the contract's other drops.
   */
  readonly droppedReaders: readonly string[]
  /**
   * New generated columns that read a column swapped at contract, or call a routine taking a swapped enum: the contract
   * adds them after the swap (in the expand they would read the old column, and block its drop; or call the routine,
   * which takes the old type until then, over the twin), with the indexes and views over them.
   */
  readonly deferred: readonly string[]
  /** New columns on a swapped enum, added on its twin (EnumSwap): what is built on them waits for the contract. */
  readonly retargeted: readonly string[]
  /**
   * Held columns (in `held`) whose rewriting type change has no online form, with why (noSwapReason): the contract
   * changes their type in place, and says so.
   */
  readonly noSwap: ReadonlyMap<string, string>
  /** Columns of `before` that the contract drops (replaced, renamed away, or dropped). */
  readonly retired: readonly string[]
  /** Retired columns whose values live on in a new column (renamed away): `from` → `to`. */
  readonly carried: ReadonlyMap<string, string>
}

/** The expanded schema: old and new side by side, with what the trigger, backfill and contract need. */
export interface Expansion {
  readonly schema: Schema
  readonly tables: readonly TableExpansion[]
  /** Tables renamed in place, whose old name a view keeps working until contract. */
  readonly renamedTables: readonly { readonly from: Table['name']; readonly to: Table['name'] }[]
  /** Tables the contract drops (kept until then, so that the running release can still use them). */
  readonly droppedTables: readonly Table[]
  /** Enums recreated through a swap of their columns (plan/enum-swap.ts). */
  readonly enumSwaps: readonly EnumSwap[]
  /**
   * Enums that lose or reorder values but cannot be swapped, each with why when the reason is that a column using it
   * has no online form (a stored generated column reads it): the contract recreates them in place, converting their
   * columns under ACCESS EXCLUSIVE. Without a reason, a case the swap does not cover yet.
   */
  readonly enumsInPlace: ReadonlyMap<string, string | undefined>
  /**
   * Tables that join a parent whose rows they must match exactly (a partition moved to another partitioned table, or a
   * table attached as one: TableHierarchy's partitionOf), each with that parent: left as the desired schema has them
   * (no column built beside a retyped one, which the attach would refuse), so that their changes are the one-step
   * plan's, in the expand; a rewriting type change there has no online form (plan/phases.ts says so).
   */
  readonly joining: readonly { readonly table: Table['name']; readonly parent: Table['name'] }[]
}

/** Facts the expansion asks of the dialect. */
export interface ExpansionHooks {
  /** Whether changing a column's type rewrites the table (then it is expanded beside the old one). */
  readonly rewrites: (table: Table, from: Column, to: Column) => boolean
  /** `column`, of type `from`, cast to `type` (the implicit backfill of a type change). */
  readonly cast: (column: string, from: ColumnType, type: ColumnType) => string
  /** A name for the column built beside `column` during a type change. */
  readonly tempName: (column: string) => string
  /** The types and functions an expression or a view's query names, by the dialect's parser (an enum swap's casts). */
  readonly references: ReadReferences
  /** The dialect's one identifier quoter (an enum swap's twin named in an expression). */
  readonly quoteIdent: (name: string) => string
  /**
   * A table on both sides as the differ compares it when it leaves or joins a parent (NO INHERIT or DETACH PARTITION,
   * INHERIT or ATTACH PARTITION, in the expand): `before` holding the columns of the parents it leaves as its own,
   * `after` those of the parents it joins (diff/diff-partitions.ts). Without it a column kept from a parent it leaves
   * looked new, and a NOT NULL one (an inherited key) was relaxed in the expand and proven again at the contract, so
   * rows written in between could break it; and a column it already held that a parent it joins has too looked
   * dropped: relaxed, and INHERIT refused it (42804).
   */
  readonly asInherited?: (before: Table, after: Table) => { readonly before: Table; readonly after: Table }
  /**
   * The parent `after` joins as a partition (another partitioned table than `before`'s, or one where `before` stood
   * alone), whose columns it must then match exactly: undefined when it joins none. See Expansion.joining.
   */
  readonly joinsParent?: (before: Table, after: Table) => Table['name'] | undefined
  /**
   * The columns of `table` (as `from` names it) that a stopped push's expand added and its sync function still fills
   * (plan/leftover-sync.ts, stillFilling): expanded again as the new columns they still are, not as columns that exist.
   * Seen as existing, a hinted one lost its sync and backfill (its rows stayed unset, and the push failed), and a
   * renamed one its mirror, while the contract dropped the column it was renamed from.
   */
  readonly stillFilling?: (table: Table['name']) => ReadonlySet<string>
}

/**
 * Builds the expanded schema between `from` and `to`: the desired schema, except that each change that
 * would break the running release is held half-way. A renamed column, or a new column with a backfill
 * hint, exists nullable and without its default next to the old columns (kept, NOT NULL relaxed where the
 * new release will no longer write them); a column whose type change rewrites gets a new column of the new
 * type beside it; dropped columns and tables stay. Indexes and constraints on the new columns wait for the
 * contract (they are built after the backfill); those on the old ones stay until then. Pure.
 */
export function expandSchema(from: Schema, to: Schema, renames: readonly Rename[], hooks: ExpansionHooks): Expansion {
  // Each recreated enum is swapped when every column that uses it in `to` can be: else it is recreated in place at
  // the contract, and the expansion is made again without it (a few rounds at most: one per enum).
  const swaps = recreatedEnums(from, to, hooks.tempName)
  const inPlace = new Map<string, string | undefined>()
  for (;;) {
    const expansion = expandWith(from, to, renames, hooks, swaps)
    const blocked = unswappable(expansion, from, to, swaps, hooks)
    if (blocked.size === 0) return { ...expansion, enumsInPlace: inPlace }
    for (const [key, reason] of blocked) {
      swaps.delete(key)
      inPlace.set(key, reason)
    }
  }
}

/**
 * The enums of `swaps` that cannot be swapped in `expansion`, each with the no-online-form reason when there is one:
 * one of its columns in `to` is not a swapped column of a kept table (held because a stored generated column reads
 * it, new, or in a new table). (The columns and tables the contract drops that use it go before its swap: phases.ts.)
 */
function unswappable(
  expansion: Omit<Expansion, 'enumsInPlace'>,
  from: Schema,
  to: Schema,
  swaps: ReadonlyMap<string, EnumSwap>,
  hooks: ExpansionHooks,
): Map<string, string | undefined> {
  const blocked = new Map<string, string | undefined>()
  const block = (key: string | undefined, reason?: string) => {
    if (key === undefined || !swaps.has(key)) return
    if (!blocked.has(key) || blocked.get(key) === undefined) blocked.set(key, reason)
  }
  // A domain over the enum keeps the old type (DROP TYPE at the contract would fail with 2BP01, after the expand and
  // backfill had run): left to the in-place recreation, which makes the domain again over the new type where it can
  // and refuses at planning time, naming the domain, where it cannot (diff/enum-dependents.ts).
  for (const key of enumsUnderDomains(from)) block(key)
  const facts = new Map(expansion.tables.map((t) => [nameKey(t.after.name), t]))
  const existing = new Set(from.tables.map((t) => nameKey(t.name)))
  for (const table of to.tables) {
    const t = facts.get(nameKey(table.name))
    // A new table is created on the twins (retargetTable).
    if (t === undefined && !existing.has(nameKey(table.name)) && table.renamedFrom === undefined) continue
    for (const column of table.columns) {
      const key = enumOf(column.type)
      if (key === undefined) continue
      if (t?.retyped.some((r) => r.column === column.name) || t?.retargeted.includes(column.name)) continue
      const held = t?.held.includes(column.name) === true && t.before.columns.some((c) => c.name === column.name)
      block(
        key,
        held
          ? (t?.noSwap.get(column.name) ??
              `${displayName(table.name)}.${column.name} is read by a stored generated column: it cannot be swapped, and converting it in place rewrites the table under ACCESS EXCLUSIVE`)
          : undefined,
      )
    }
  }
  // After the above (whose reason names the enum column read): a kept stored generated column whose expression casts
  // to the enum (`'b'::mood = k`, or with no column of it) holds the old type, and PostgreSQL 15 cannot change a
  // generation expression (SET EXPRESSION is 17's): DROP TYPE at the contract failed (2BP01: column g of table t
  // depends on type mood). The in-place recreation converts it.
  const kept = new Map(to.tables.map((t) => [nameKey(t.name), t]))
  for (const table of from.tables) {
    const after = kept.get(nameKey(table.name))
    if (after === undefined) continue
    for (const column of table.columns) {
      if (column.generated === undefined || !after.columns.some((c) => c.name === column.name)) continue
      for (const [key, swap] of swaps) {
        if (!namesSwapped(column.generated.expr, [swap], hooks)) continue
        block(
          key,
          `${displayName(table.name)}.${column.name} is a stored generated column whose expression names ${displayName(swap.name)}: PostgreSQL cannot change it in place before version 17, so the type cannot be swapped, and recreating it in place rewrites the table under ACCESS EXCLUSIVE`,
        )
      }
    }
  }
  return blocked
}

/** nameKey of each enum of `schema` that a domain is over (directly or through an array; see enumOf). */
function enumsUnderDomains(schema: Schema): readonly string[] {
  return (schema.domains ?? []).flatMap((domain) => {
    const key = enumOf(domain.type)
    return key === undefined ? [] : [key]
  })
}

function expandWith(
  from: Schema,
  to: Schema,
  renames: readonly Rename[],
  hooks: ExpansionHooks,
  swaps: ReadonlyMap<string, EnumSwap>,
): Omit<Expansion, 'enumsInPlace'> {
  const fromTables = new Map(from.tables.map((t) => [nameKey(t.name), t]))
  // A routine that takes a swapped enum takes the old type until the contract: what calls it over a twin's column
  // (a new table's check or index, a view) waits for the contract, which creates it after the swap.
  const swappedKeys = new Set(swaps.keys())
  const callees = (to.routines ?? []).filter((r) =>
    r.dependsOn.some((d) => d.kind === 'type' && swappedKeys.has(nameKey(d.name))),
  )
  // The calls as the parser reads them (a qualified, quoted or spaced call included; a name in a string not).
  const callsSwapped = (text: string, as: 'expression' | 'query' = 'expression') =>
    callees.length > 0 &&
    callees.some((r) => text.toLowerCase().includes(r.name.name.toLowerCase())) &&
    hooks.references(text, as).calls.some((call) => callees.some((r) => denotes(call, r.name)))
  const tableRenames = new Map<string, Table['name']>()
  for (const t of to.tables) if (t.renamedFrom) tableRenames.set(nameKey(t.name), t.renamedFrom)
  for (const r of renames) if (r.kind === 'table') tableRenames.set(nameKey(r.to), r.from)
  const paired = new Set<string>()
  // The generated columns of new tables that call such a routine: the contract adds them (withoutCalls).
  const callingColumns: { readonly table: Table['name']; readonly columns: ReadonlySet<string> }[] = []
  const tables: TableExpansion[] = []
  const renamedTables: { from: Table['name']; to: Table['name'] }[] = []
  const joining: { table: Table['name']; parent: Table['name'] }[] = []
  const expandedTables = to.tables.map((after) => {
    const oldName = tableRenames.get(nameKey(after.name))
    const before = fromTables.get(nameKey(oldName ?? after.name))
    if (before === undefined) {
      const created = withoutCalls(after, callsSwapped)
      const left = after.columns.filter((c) => !created.columns.includes(c)).map((c) => c.name)
      if (left.length > 0) callingColumns.push({ table: after.name, columns: new Set(left) })
      return retargetTable(created, swaps, hooks)
    }
    paired.add(nameKey(before.name))
    if (oldName !== undefined && nameKey(oldName) !== nameKey(after.name))
      renamedTables.push({ from: oldName, to: after.name })
    const columnRenames = new Map<string, string>()
    for (const c of after.columns) if (c.renamedFrom) columnRenames.set(c.name, c.renamedFrom)
    for (const r of renames) {
      if (r.kind === 'column' && nameKey(r.table) === nameKey(after.name)) columnRenames.set(r.to, r.from)
    }
    const parent = hooks.joinsParent?.(before, after)
    if (parent !== undefined) {
      joining.push({ table: after.name, parent })
      return after
    }
    const compared = hooks.asInherited?.(before, after) ?? { before, after }
    const expansion = expandTable(compared.before, compared.after, columnRenames, hooks, swaps, callsSwapped)
    if (expansion === undefined) return after
    tables.push(expansion.facts)
    return withoutMerged(expansion.table, compared.after, after)
  })
  const droppedTables = from.tables.filter((t) => !paired.has(nameKey(t.name)) && !toHas(to, t))
  // A foreign key kept from `from` (on a kept column or a kept table) stays only while the key it references does:
  // the desired schema may drop that key.
  const keys = new Map([...expandedTables, ...droppedTables].map((t) => [nameKey(t.name), keysOf(t)]))
  const referable = (t: Table): Table => {
    const foreignKeys = t.foreignKeys.filter((f) =>
      (keys.get(nameKey(f.references.table)) ?? []).includes(JSON.stringify([...f.references.columns].sort())),
    )
    return foreignKeys.length === t.foreignKeys.length ? t : { ...t, foreignKeys }
  }
  const toEnums = new Set(to.enums.map((e) => nameKey(e.name)))
  const toRoutines = new Set((to.routines ?? []).map((r) => routineKey(r.name, r.identityArgs)))
  const fromEnums = new Map(from.enums.map((e) => [nameKey(e.name), e]))
  // A view over a deferred column waits for the contract too, as do the views over it.
  const waiting = new Set([
    ...tables.flatMap((t) =>
      t.deferred.length === 0 ? [] : viewsReading(to, t.after.name, new Set(t.deferred)).map((v) => nameKey(v.name)),
    ),
    ...callingColumns.flatMap((c) => viewsReading(to, c.table, c.columns).map((v) => nameKey(v.name))),
  ])
  // A view that reads a column the expand puts on a swapped enum's twin compares it with the twin (retargetText).
  const twinColumns = new Map<string, Set<string>>()
  for (const t of to.tables) {
    const facts = tables.find((f) => nameKey(f.after.name) === nameKey(t.name))
    const names =
      facts === undefined ? (fromTables.has(nameKey(t.name)) ? [] : t.columns.map((c) => c.name)) : facts.retargeted
    if (names.length > 0) twinColumns.set(nameKey(t.name), new Set(names))
  }
  const onTwins = (v: View) =>
    v.dependsOn.some((d) => {
      const names = twinColumns.get(nameKey(d))
      return names !== undefined && mentions([v.definition], names)
    })
  const schema: Schema = {
    ...to,
    views: to.views
      .filter(
        (v) => !waiting.has(nameKey(v.name)) && !(swaps.size > 0 && onTwins(v) && callsSwapped(v.definition, 'query')),
      )
      .map((v) =>
        swaps.size > 0 && onTwins(v) ? { ...v, definition: retargetText(v.definition, swaps, hooks, 'query') } : v,
      ),
    tables: [...expandedTables, ...droppedTables].map(referable),
    // A dropped table may still use an enum the desired schema drops; an enum that loses or reorders values keeps them until
    // the contract (the running release may still write them, and recreating the type drops the generated columns,
    // checks and routines that read it), and gains its new ones in the expand.
    enums: [
      ...to.enums.map((e) => {
        const prior = fromEnums.get(nameKey(e.name))
        if (prior === undefined || onlyAdds(prior.values, e.values)) return e
        return { ...e, values: [...prior.values, ...e.values.filter((v) => !prior.values.includes(v))] }
      }),
      ...from.enums.filter((e) => !toEnums.has(nameKey(e.name))),
      // A swapped enum's desired values, under its temporary name, for the columns built beside the old ones.
      ...[...swaps.values()].map((swap): EnumType => ({ name: swap.temp, values: swap.to.values })),
    ],
    ...domainsOfOldColumns(from, to, [...expandedTables, ...droppedTables]),
    // A routine the desired schema drops stays until the contract too: a kept table's check or default may call it.
    ...(from.routines === undefined && to.routines === undefined
      ? {}
      : {
          routines: [
            ...(to.routines ?? []),
            ...(from.routines ?? []).filter((r) => !toRoutines.has(routineKey(r.name, r.identityArgs))),
          ],
        }),
  }
  return { schema, tables, renamedTables, droppedTables, enumSwaps: [...swaps.values()], joining }
}

/**
 * The desired domains, but a domain the desired schema makes anew (its base type or collation changes: the server
 * drops it and creates it again) keeps its current definition while a column of the expanded schema still has it: a
 * retyped column's old one, there until the swap. The contract makes it anew once the swap has dropped that column
 * (the server refuses to drop a domain a column has, and the differ refuses such a plan: DOMAIN_IN_USE).
 */
function domainsOfOldColumns(from: Schema, to: Schema, tables: readonly Table[]): Pick<Schema, 'domains'> {
  if (to.domains === undefined) return {}
  const current = new Map((from.domains ?? []).map((d) => [nameKey(d.name), d]))
  // A column that has it now too: a column built beside another, or moved onto the domain, is not one.
  const fromTables = new Map(from.tables.map((t) => [nameKey(t.name), t]))
  const hadIt = (table: Table, column: string, domain: Domain) =>
    fromTables.get(nameKey(table.name))?.columns.some((c) => c.name === column && namesDomain(c.type, domain.name))
  const held = (domain: Domain) =>
    tables.some((t) => t.columns.some((c) => namesDomain(c.type, domain.name) && hadIt(t, c.name, domain)))
  return {
    domains: to.domains.map((domain) => {
      const before = current.get(nameKey(domain.name))
      if (before === undefined || (deepEqual(before.type, domain.type) && before.collation === domain.collation))
        return domain
      return held(before) ? before : domain
    }),
  }
}

/**
 * `table` without the generated columns, checks and indexes whose expressions call one of `calls`, nor the checks and
 * indexes over such a column (they wait for the contract). The same column objects otherwise: the caller finds the
 * ones left out by identity.
 */
function withoutCalls(table: Table, calls: (text: string) => boolean): Table {
  const left = new Set(
    table.columns.filter((c) => c.generated !== undefined && calls(c.generated.expr)).map((c) => c.name),
  )
  const columns = left.size === 0 ? table.columns : table.columns.filter((c) => !left.has(c.name))
  const checks = table.checks.filter((c) => !calls(c.expr) && !mentions([c.expr], left))
  const indexes = table.indexes.filter((i) => !indexMentions(i).some(calls) && !mentions(indexMentions(i), left))
  return columns.length === table.columns.length &&
    checks.length === table.checks.length &&
    indexes.length === table.indexes.length
    ? table
    : { ...table, columns, checks, indexes }
}

/**
 * The views of `schema` that read one of `columns` of `table`, and the views over those, dependents first (the order
 * they are dropped in).
 */
export function viewsReading(
  schema: Schema,
  table: Table['name'],
  columns: ReadonlySet<string>,
): readonly Schema['views'][number][] {
  // Any identifier of the definition may be a column (`o.amount` through an alias too): a view dropped and created
  // again needlessly costs nothing in the swap's transaction; one missed makes DROP COLUMN fail.
  const found: Schema['views'][number][] = schema.views.filter(
    (v) => v.dependsOn.some((d) => nameKey(d) === nameKey(table)) && mayReadColumns(v.definition, columns),
  )
  for (let i = 0; i < found.length; i++) {
    const name = nameKey((found[i] as Schema['views'][number]).name)
    for (const v of schema.views) if (!found.includes(v) && v.dependsOn.some((d) => nameKey(d) === name)) found.push(v)
  }
  return found.reverse()
}

/**
 * The expanded table without the columns it takes from a parent it joins (those of `compared` that `after` leaves
 * out): the model leaves such merged columns out of a child, as introspection does, and the differ adds them back.
 */
function withoutMerged(table: Table, compared: Table, after: Table): Table {
  const own = new Set(after.columns.map((c) => c.name))
  const merged = new Set(compared.columns.filter((c) => !own.has(c.name)).map((c) => c.name))
  if (merged.size === 0) return table
  return { ...table, columns: table.columns.filter((c) => !merged.has(c.name)) }
}

/** The column sets a foreign key may reference: the primary key's, unique constraints' and unique indexes'. */
function keysOf(table: Table): string[] {
  const sets = [
    ...(table.primaryKey === undefined ? [] : [table.primaryKey.columns]),
    ...table.uniques.map((u) => u.columns),
    ...table.indexes
      .filter((i) => i.unique && i.where === undefined && i.parts.every((p) => p.column !== undefined))
      .map((i) => i.parts.map((p) => p.column ?? '')),
  ]
  return sets.map((columns) => JSON.stringify([...columns].sort()))
}

function toHas(to: Schema, table: Table): boolean {
  return to.tables.some((t) => nameKey(t.name) === nameKey(table.name))
}

function expandTable(
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
    const moved = retargetColumn(column, swaps, hooks)
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
  const held = new Set([...heldColumns(before, after, retargeted), ...noSwap.keys()])
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
    else if (source !== undefined && prior === undefined && old.has(source)) {
      const sourceColumn = old.get(source) as Column
      renamedAway.add(source)
      carried.set(source, column.name)
      const sameType = JSON.stringify(sourceColumn.type) === JSON.stringify(column.type)
      syncs.push(
        column.backfill !== undefined
          ? { kind: 'derive', column: column.name, expr: column.backfill }
          : sameType
            ? { kind: 'mirror', column: column.name, from: source }
            : { kind: 'derive', column: column.name, expr: hooks.cast(source, sourceColumn.type, column.type) },
      )
      columns.push(expanded(column))
    } else if (prior === undefined && column.backfill !== undefined) {
      syncs.push({ kind: 'derive', column: column.name, expr: column.backfill })
      columns.push(expanded(onTwin(column)))
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
  if (syncs.length === 0 && dropped.length === 0 && held.size === 0 && filledLater.length === 0 && twinned.length === 0)
    return undefined
  const swappedNames = new Set(retyped.map((r) => r.column))
  const droppedReaders = dropped
    .filter((c) => c.generated !== undefined && mentions([c.generated.expr], swappedNames))
    .map((c) => c.name)
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
  const { primaryKey: _pk, ...rest } = after
  const table: Table = {
    ...rest,
    columns,
    ...keyOf(before, after, fresh, oldSide),
    uniques: merge(after.uniques, before.uniques, fresh, oldSide, (u) => u.columns),
    indexes: merge(after.indexes, before.indexes, fresh, oldSide, indexMentions),
    foreignKeys: merge(after.foreignKeys, before.foreignKeys, fresh, oldSide, (f) => f.columns),
    checks: merge(after.checks, before.checks, fresh, oldSide, (c) => [c.expr]),
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
function heldColumns(before: Table, after: Table, retargeted: (type: ColumnType) => ColumnType): ReadonlySet<string> {
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
    for (const name of read) held.add(name)
  }
  return held
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

/**
 * How a type change that rewrites the table is expanded: `plain` when nothing else depends on the column (no
 * key, index, constraint, identity, sequence or generation): built beside the old column and swapped in;
 * `keyed` when it is in the primary key, a unique constraint, indexes (as a plain column: no expression or
 * predicate names it) or foreign keys of its own, and nothing else: the contract also builds those again on the
 * new column (indexes concurrently, foreign keys NOT VALID then validated), and moves the foreign keys that
 * reference it (plan/phases.ts); a serial that stays serial and an identity that stays one are keyed too (the
 * swap moves the sequence). Others (a column in an exclusion constraint or a deferrable key, which noSwapReason holds
 * for the contract; a column becoming or ceasing to be serial or identity) keep the planner's one-step plan.
 */
function retypeKind(table: Table, from: Column, to: Column, hooks: ExpansionHooks): 'plain' | 'keyed' | undefined {
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
function interimDrawn(from: Column, to: Column): Column | undefined {
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
function noSwapReason(table: Table, from: Column, to: Column, hooks: ExpansionHooks): string | undefined {
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

/** An index that names `columns` only as plain columns (no expression or predicate reads them): moveKeys builds it again. */
export function isPlainIndex(index: Table['indexes'][number], columns: ReadonlySet<string>): boolean {
  return (
    (index.where === undefined || !mentions([index.where], columns)) &&
    index.parts.every((p) => p.column !== undefined || !mentions([p.expr ?? ''], columns))
  )
}

/** Whether any text of `texts` names one of `columns` (see mentions). */
export function mentionsAny(texts: readonly string[], columns: ReadonlySet<string>): boolean {
  return mentions(texts, columns)
}

export { indexMentions }

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

function indexMentions(index: Table['indexes'][number]): readonly string[] {
  return [
    ...index.parts.map((p) => p.column ?? p.expr ?? ''),
    ...index.include,
    ...(index.where === undefined ? [] : [index.where]),
  ]
}

/** Whether any text names one of `columns`: equal to it, or holding it as an identifier (quoted or not). */
function mentions(texts: readonly string[], columns: ReadonlySet<string>): boolean {
  if (columns.size === 0) return false
  return texts.some((text) =>
    [...columns].some(
      (c) =>
        text === c ||
        text.includes(`"${c.replaceAll('"', '""')}"`) ||
        new RegExp(`(^|[^\\w$".])${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w$"])`).test(text),
    ),
  )
}

/** Whether `column` is in a unique constraint or a unique index of `table`. */
function inUniqueKey(table: Table, column: string): boolean {
  return (
    table.uniques.some((u) => u.columns.includes(column)) ||
    table.indexes.some((i) => i.unique && JSON.stringify(i.parts).includes(JSON.stringify(column)))
  )
}
