import type { QualifiedName, Schema } from '../schema/model.js'
import { displayName, nameKey } from '../schema/name.js'
import { type EnumSwap, enumOf, namesSwapped } from './enum-swap.js'
import type { Expansion, ExpansionHooks } from './expansion.js'

/**
 * The enums of `swaps` that cannot be swapped in `expansion`, each with the no-online-form reason when there is one:
 * one of its columns in `to` is not a swapped column of a kept table (held because a stored generated column reads
 * it, new, or in a new table). (The columns and tables the contract drops that use it go before its swap: phases.ts.)
 */
export function unswappable(
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
  for (const [key, domain] of enumsUnderDomains(from))
    block(
      key,
      `domain ${displayName(domain)} is over enum ${displayName(swaps.get(key)?.name ?? domain)}: PostgreSQL cannot move a domain to another type, so the enum cannot be swapped, and recreating it in place rewrites every table of it under ACCESS EXCLUSIVE`,
    )
  const facts = new Map(expansion.tables.map((t) => [nameKey(t.after.name), t]))
  const existing = new Set(from.tables.map((t) => nameKey(t.name)))
  // (A new column on the enum whose default calls a routine taking it is on the twin, its default cast to the twin
  // until the contract: enum-swap.ts, retargetColumn.)
  for (const table of to.tables) {
    const t = facts.get(nameKey(table.name))
    // A new table is created on the twins (retargetTable).
    if (t === undefined && !existing.has(nameKey(table.name)) && table.renamedFrom === undefined) continue
    for (const column of table.columns) {
      const key = enumOf(column.type)
      if (key === undefined) continue
      if (t?.retyped.some((r) => r.column === column.name) || t?.retargeted.includes(column.name)) continue
      const held = t?.held.includes(column.name) === true && t.before.columns.some((c) => c.name === column.name)
      const source = column.renamedFrom
      const renamed = source !== undefined && t?.carried.get(source) === column.name
      block(
        key,
        held
          ? (t?.noSwap.get(column.name) ??
              `${displayName(table.name)}.${column.name} is read by a stored generated column: it cannot be swapped, and converting it in place rewrites the table under ACCESS EXCLUSIVE`)
          : renamed
            ? // The sync trigger copies values between the two names, which it cannot between the enum and its twin.
              `${displayName(table.name)}.${column.name} is renamed from ${source}, which the trigger keeps in step with it on the old type until the contract: the enum cannot be swapped, and converting the column in place rewrites the table under ACCESS EXCLUSIVE`
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
    // One whose expression changes goes before the swap (TableExpansion.droppedReaders), and comes back after it.
    const early = expansion.tables.find((t) => nameKey(t.before.name) === nameKey(table.name))?.droppedReaders ?? []
    for (const column of table.columns) {
      if (column.generated === undefined || !after.columns.some((c) => c.name === column.name)) continue
      if (early.includes(column.name)) continue
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

/** nameKey of each enum of `schema` that a domain is over (directly or through an array; see enumOf), with the domain. */
function enumsUnderDomains(schema: Schema): readonly (readonly [string, QualifiedName])[] {
  return (schema.domains ?? []).flatMap((domain) => {
    const key = enumOf(domain.type)
    return key === undefined ? [] : [[key, domain.name] as const]
  })
}
