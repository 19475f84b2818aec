import type { Rename } from '../diff/change.js'
import { routineKey } from '../diff/diff-routines.js'
import { namesDomain } from '../diff/diff-types.js'
import { deepEqual } from '../schema/equal.js'
import type { Domain, EnumType, Schema, Table, View } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import { type EnumSwap, onlyAdds, recreatedEnums, retargetTable, retargetText } from './enum-swap.js'
import { expandTable } from './expand-table.js'
import type { Expansion, ExpansionHooks, TableExpansion } from './expansion.js'
import { indexMentions, mentions } from './mentions.js'
import { callsOf } from './swapped-calls.js'
import { unswappable } from './unswappable-enums.js'
import { viewsReading } from './views-reading.js'

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
  const callsSwapped = callsOf(callees, hooks)
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
      return retargetTable(created, swaps, hooks, callsSwapped)
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
