/**
 * The contract's side of an enum swap (enum-swap.ts, plan/phases.ts): what goes before the old type can be dropped
 * (the routines that take it, the tables and columns the contract drops that use it), the swap itself, the schema
 * after it, and the in-place recreation of an enum that could not be swapped. Pure.
 */
import type { Column, Schema } from '../schema/model.js'
import { displayName, nameKey } from '../schema/name.js'
import {
  denotes,
  type EnumSwap,
  enumOf,
  mapTexts,
  namesSwapped,
  restore,
  restoreText,
  type TypeTexts,
} from './enum-swap.js'
import type { Expansion } from './expansion.js'
import { indexMentions, mentionsAny } from './mentions.js'
import type { PhaseSql } from './phase-sql.js'
import type { Step } from './step.js'
import type { CallsRoutines } from './swapped-calls.js'

/** The routines of `schema` that take (or otherwise depend on) a swapped enum. */
export function routinesTaking(schema: Schema, swaps: readonly EnumSwap[]): NonNullable<Schema['routines']>[number][] {
  if (swaps.length === 0) return []
  const names = new Set(swaps.map((s) => nameKey(s.name)))
  return (schema.routines ?? []).filter((r) => r.dependsOn.some((d) => d.kind === 'type' && names.has(nameKey(d.name))))
}

/**
 * `schema` without the tables and columns that `to` drops and that use a swapped enum (its old type), nor what is built
 * on them (indexes, constraints, foreign keys that reference a dropped table). Returns `schema` itself when there is none.
 */
export function withoutEnumUsers(schema: Schema, to: Schema, swaps: readonly EnumSwap[], texts?: TypeTexts): Schema {
  if (swaps.length === 0) return schema
  const names = new Set(swaps.map((s) => nameKey(s.name)))
  // A column of the old type, or a generated column whose expression casts to it (`'b'::mood > 'a'::mood`).
  const uses = (c: Column) => {
    const key = enumOf(c.type)
    if (key !== undefined && names.has(key)) return true
    return c.generated !== undefined && texts !== undefined && namesSwapped(c.generated.expr, swaps, texts)
  }
  const desired = new Map(to.tables.map((t) => [nameKey(t.name), t]))
  const goneTables = new Set(
    schema.tables.filter((t) => !desired.has(nameKey(t.name)) && t.columns.some(uses)).map((t) => nameKey(t.name)),
  )
  let changed = goneTables.size > 0
  const tables = schema.tables
    .filter((t) => !goneTables.has(nameKey(t.name)))
    .map((t) => {
      const keep = desired.get(nameKey(t.name))
      const dropped = (c: Column) => !(keep?.columns.some((k) => k.name === c.name) ?? true)
      const gone = new Set(t.columns.filter((c) => uses(c) && dropped(c)).map((c) => c.name))
      // With the generated columns that read them, which the desired schema drops too: DROP COLUMN refuses while a
      // generated column reads the column (2BP01), and the contract plan would drop them only after the swap.
      for (let grew = gone.size > 0; grew; ) {
        const readers = t.columns.filter(
          (c) => !gone.has(c.name) && c.generated !== undefined && dropped(c) && mentionsAny([c.generated.expr], gone),
        )
        for (const c of readers) gone.add(c.name)
        grew = readers.length > 0
      }
      const foreignKeys = t.foreignKeys.filter(
        (f) => !goneTables.has(nameKey(f.references.table)) && !mentionsAny(f.columns, gone),
      )
      if (gone.size === 0 && foreignKeys.length === t.foreignKeys.length) return t
      changed = true
      const { primaryKey, ...rest } = t
      return {
        ...rest,
        ...(primaryKey === undefined || mentionsAny(primaryKey.columns, gone) ? {} : { primaryKey }),
        columns: t.columns.filter((c) => !gone.has(c.name)),
        uniques: t.uniques.filter((u) => !mentionsAny(u.columns, gone)),
        indexes: t.indexes.filter((i) => !mentionsAny(indexMentions(i), gone)),
        checks: t.checks.filter((c) => !mentionsAny([c.expr], gone)),
        foreignKeys,
      }
    })
  return changed ? { ...schema, tables } : schema
}

/** The contract's swap of one enum: the old type dropped, its twin renamed to its name (catalog only). */
export function enumSwapSteps(sql: PhaseSql, from: Schema, swap: EnumSwap): Step[] {
  const prior = from.enums.find((e) => nameKey(e.name) === nameKey(swap.name)) ?? swap.to
  return sql.swapEnum(swap.name, swap.temp).map((statement) => ({
    sql: statement,
    reverse: {
      irreversible: `enum ${displayName(swap.name)} with its old values is dropped; its columns hold the new type's values`,
    },
    transactional: true,
    lock: { mode: 'none', blocks: 'nothing', on: [] },
    rewritesTable: false,
    scansTable: false,
    dataLoss: 'none',
    phase: 'contract',
    source: { kind: 'alterEnum', from: prior, to: swap.to, usages: [] },
    comment: `Swap in enum ${displayName(swap.temp)} as ${displayName(swap.name)} (catalog only)`,
  }))
}

/**
 * The schema after the enum swaps: each swapped enum has its desired values (its comment, which the twin lacks, comes
 * from the contract plan), its columns use it again, and the routines that took the old type are gone.
 */
export function enumsSwapped(
  schema: Schema,
  swaps: readonly EnumSwap[],
  routines: readonly NonNullable<Schema['routines']>[number][],
  texts: TypeTexts,
): Schema {
  if (swaps.length === 0) return schema
  const temps = new Set(swaps.map((s) => nameKey(s.temp)))
  const byName = new Map(swaps.map((s) => [nameKey(s.name), s]))
  return {
    ...schema,
    enums: schema.enums
      .filter((e) => !temps.has(nameKey(e.name)))
      .map((e) => {
        const swap = byName.get(nameKey(e.name))
        if (swap === undefined) return e
        const { comment: _c, ...desired } = swap.to
        return desired
      }),
    tables: schema.tables.map((t) => {
      const named = mapTexts(t, (sql) => restoreText(sql, swaps, texts))
      return {
        ...named,
        columns: named.columns.map((c) => {
          const type = restore(c.type, swaps)
          return type === c.type ? c : { ...c, type }
        }),
      }
    }),
    views: schema.views.map((v) => ({ ...v, definition: restoreText(v.definition, swaps, texts, 'query') })),
    ...(schema.routines === undefined ? {} : { routines: schema.routines.filter((r) => !routines.includes(r)) }),
  }
}

/**
 * The contract's in-place conversion of a column to a recreated enum that could not be swapped because a stored
 * generated column reads one of its columns (Expansion.enumsInPlace): it has no online form, and says why.
 */
export function enumInPlace(step: Step, expansion: Expansion): Step {
  const source = step.source
  if (source.kind !== 'alterEnum' || !step.rewritesTable || step.noOnlineForm !== undefined) return step
  const reason = expansion.enumsInPlace.get(nameKey(source.from.name))
  return reason === undefined ? step : { ...step, noOnlineForm: reason }
}

/** What reads a swapped enum's old type by name, taken away before its DROP TYPE (withoutTypeReaders). */
export interface TypeReaders {
  readonly schema: Schema
  /** nameKey of each view taken away (those that name the type, and the views over them). */
  readonly views: ReadonlySet<string>
  /** `nameKey(table) + NUL + column` of each column whose default was taken away. */
  readonly defaults: ReadonlySet<string>
}

/**
 * `schema` without what names a swapped enum's old type other than as a column's type: the views, checks, column
 * defaults and index expressions and predicates that cast to it (`CAST(m AS "Shop"."Mood")` on a text column,
 * `'happy'::mood::text`), or call a routine taking it (`calls`: DROP FUNCTION refuses while a default calls it), found
 * by the dialect's parser in any spelling, with the views over those views. PostgreSQL
 * refuses DROP TYPE while they depend on it; the contract drops them just before and creates them again after the
 * swap, in its transaction (the index, built concurrently, after it). Columns of the type were swapped to the twin
 * already, so their own defaults name the twin, not the old type.
 */
export function withoutTypeReaders(
  schema: Schema,
  swaps: readonly EnumSwap[],
  texts: TypeTexts,
  calls: CallsRoutines = () => false,
): TypeReaders {
  const none = { schema, views: new Set<string>(), defaults: new Set<string>() }
  if (swaps.length === 0) return none
  const lowered = swaps.map((s) => s.name.name.toLowerCase())
  // Or calls a routine that takes the old type (`calls`): dropped for the swap too, and refused while they call it.
  const names = (sql: string, as: 'expression' | 'query' = 'expression') =>
    (lowered.some((n) => sql.toLowerCase().includes(n)) &&
      texts.references(sql, as).types.some((t) => swaps.some((s) => denotes(t.name, s.name)))) ||
    calls(sql, as)
  const views = new Set(schema.views.filter((v) => names(v.definition, 'query')).map((v) => nameKey(v.name)))
  for (let grew = views.size > 0; grew; ) {
    grew = false
    for (const v of schema.views) {
      if (views.has(nameKey(v.name)) || !v.dependsOn.some((d) => views.has(nameKey(d)))) continue
      views.add(nameKey(v.name))
      grew = true
    }
  }
  const defaults = new Set<string>()
  let changed = views.size > 0
  const tables = schema.tables.map((t) => {
    const checks = t.checks.filter((c) => !names(c.expr))
    const indexes = t.indexes.filter((i) => ![...i.parts.map((p) => p.expr ?? ''), i.where ?? ''].some((e) => names(e)))
    let undefaulted = false
    const columns = t.columns.map((c) => {
      if (c.default === undefined || c.generated !== undefined || !names(c.default.sql)) return c
      defaults.add(`${nameKey(t.name)}\u0000${c.name}`)
      undefaulted = true
      const { default: _d, ...rest } = c
      return rest
    })
    if (checks.length === t.checks.length && indexes.length === t.indexes.length && !undefaulted) return t
    changed = true
    return { ...t, checks, indexes, columns }
  })
  if (!changed) return none
  return {
    schema: { ...schema, tables, views: schema.views.filter((v) => !views.has(nameKey(v.name))) },
    views,
    defaults,
  }
}
