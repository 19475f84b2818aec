import type { ReadReferences } from '../plan/phase-sql.js'
import type { Column, QualifiedName, Routine, Schema, Table, View } from '../schema/model.js'
import { nameKey, sameName } from '../schema/name.js'
import type { Change, EnumUsage } from './change.js'
import { indexExpressionsUse, indexUsesColumns } from './diff-indexes.js'
import { markPartitioned } from './diff-partitions.js'
import { onlyAddsValues, usesEnum } from './diff-types.js'
import { viewsReading } from './diff-views.js'
import { mentionsIdentifier } from './rename-identifier.js'
import type { TableHierarchy } from './table-hierarchy.js'

/**
 * An enum that only gains values is changed with ALTER TYPE ... ADD VALUE, which leaves everything that uses it
 * alone. Its reverse cannot: PostgreSQL has no way to remove a value, so the reverse recreates the type and
 * converts its columns, and that needs what the forward recreation needs (see diffTables): checks, index
 * expressions and predicates, generated columns and views that read those columns, and routines that take the
 * type, dropped before and created again after. This gives each such `alterEnum` those objects, as the drops to
 * run (`dependents`); the planner runs them, and their inverses, around the recreation in the reverse.
 *
 * They are the objects as the database holds them when the reverse runs, which is right after ADD VALUE: `from`'s
 * objects, less those the plan drops before (tables, columns, constraints, indexes and views all go before enums
 * are altered; routines that take the type too, see dialect/postgres/expand.ts), under the names renames give them.
 *
 * Any recreation, forward or reverse, also needs out of the way what names the type only in a cast (castReaders):
 * those go in `dependents` too, and the text columns whose default casts to it in `castDefaults`.
 */
export function withEnumDependents(
  changes: readonly Change[],
  from: Schema,
  hierarchy: TableHierarchy,
  references?: ReadReferences,
): readonly Change[] {
  const gone = droppedKeys(changes)
  const renamed = renamedKeys(changes)
  const at: Survivors = {
    kept: (kind, table, name) => !gone.has(memberKey(kind, table, name)),
    name: (kind, table, name) => renamed.get(memberKey(kind, table, name)) ?? name,
  }
  return changes.map((change) => {
    if (change.kind !== 'alterEnum') return change
    const additive = onlyAddsValues(change.from, change.to)
    const casts = references === undefined ? noCastReaders : castReaders(from, change.from.name, at, gone, references)
    // A recreation the diff plans itself already drops and creates again what reads its columns (diffTables,
    // diffViews, diffRoutineObjects); what names the type only in a cast is left to it here, in both directions.
    const columnReaders = additive ? enumDependents(from, change.from.name, at, gone) : []
    const drops = markPartitioned(distinct([...columnReaders, ...casts.drops]), from, from, hierarchy)
    if (drops.length === 0 && casts.defaults.length === 0) return change
    return {
      ...change,
      ...(drops.length === 0 ? {} : { dependents: drops }),
      ...(casts.defaults.length === 0 ? {} : { castDefaults: casts.defaults }),
    }
  })
}

/**
 * Whether an enum of both schemas changes its values: then the diff needs the dialect's reader of expressions
 * (`DiffOptions.references`) to find what names the type in a cast, and a command loads it first.
 */
export function enumsChangeValues(from: Schema, to: Schema): boolean {
  const after = new Map(to.enums.map((e) => [nameKey(e.name), e.values] as const))
  return from.enums.some((e) => {
    const values = after.get(nameKey(e.name))
    return values !== undefined && values.join('\u0000') !== e.values.join('\u0000')
  })
}

const tableKey = (table: QualifiedName) => `t:${nameKey(table)}`
const memberKey = (kind: string, table: QualifiedName, name: string) => `${kind}:${nameKey(table)}\u0001${name}`

/** Keys of the objects the changes drop (a drop and an add included: the object is gone when the enum changes). */
function droppedKeys(changes: readonly Change[]): ReadonlySet<string> {
  const keys = new Set<string>()
  for (const change of changes) {
    if (change.kind === 'dropTable') keys.add(tableKey(change.table.name))
    if (change.kind === 'dropColumn') keys.add(memberKey('column', change.table, change.column.name))
    if (change.kind === 'dropCheck') keys.add(memberKey('constraint', change.table, change.check.name))
    if (change.kind === 'dropUnique') keys.add(memberKey('constraint', change.table, change.unique.name))
    if (change.kind === 'dropIndex') keys.add(memberKey('index', change.table, change.index.name))
    if (change.kind === 'dropView') keys.add(tableKey(change.view.name))
    if (change.kind === 'dropRoutine') keys.add(routineKey(change.routine))
  }
  return keys
}

/** New names of renamed constraints and indexes, by the key of their old name (renames run before enums change). */
function renamedKeys(changes: readonly Change[]): ReadonlyMap<string, string> {
  const names = new Map<string, string>()
  for (const change of changes) {
    if (change.kind === 'renameIndex') names.set(memberKey('index', change.table, change.from), change.to)
    if (change.kind === 'renameConstraint') names.set(memberKey('constraint', change.table, change.from), change.to)
  }
  return names
}

const routineKey = (routine: Routine) => `r:${nameKey(routine.name)}(${routine.identityArgs})`

/** What the database holds right after ADD VALUE: whether an object is still there, and under which name. */
interface Survivors {
  readonly kept: (kind: 'column' | 'constraint' | 'index', table: QualifiedName, name: string) => boolean
  readonly name: (kind: 'constraint' | 'index', table: QualifiedName, name: string) => string
}

function enumDependents(
  from: Schema,
  type: QualifiedName,
  at: Survivors,
  gone: ReadonlySet<string>,
): readonly Change[] {
  const drops: Change[] = []
  // Per table, the columns a view must not read while the type is recreated: the converted ones, and the
  // generated columns dropped and added again around the conversion.
  const tainted = new Map<string, ReadonlySet<string>>()
  for (const table of from.tables) {
    if (gone.has(tableKey(table.name))) continue
    const kept = (column: Column) => at.kept('column', table.name, column.name)
    const converted = new Set(table.columns.filter((c) => kept(c) && usesEnum(c.type, type)).map((c) => c.name))
    if (converted.size === 0) continue
    const generated = table.columns.filter(
      (c) =>
        kept(c) &&
        c.generated !== undefined &&
        [...converted].some((name) => name !== c.name && mentionsIdentifier(c.generated?.expr ?? '', name)),
    )
    drops.push(...tableDependents(table, converted, new Set(generated.map((c) => c.name)), at))
    drops.push(...generated.map((column): Change => ({ kind: 'dropColumn', table: table.name, column })))
    tainted.set(nameKey(table.name), new Set([...converted, ...generated.map((c) => c.name)]))
  }
  const views = viewsReading(
    from.views.filter((view) => !gone.has(tableKey(view.name))),
    tainted,
  )
  drops.push(...views.map((view): Change => ({ kind: 'dropView', view: withIndexesAt(view, at) })))
  const routines = (from.routines ?? []).filter(
    (routine) =>
      !gone.has(routineKey(routine)) &&
      routine.dependsOn.some((ref) => ref.kind === 'type' && sameName(ref.name, type)),
  )
  drops.push(...routines.map((routine): Change => ({ kind: 'dropRoutine', routine })))
  return drops
}

/** A materialized view with the indexes it has when the enum changes (the plan drops, renames, creates others). */
function withIndexesAt(view: View, at: Survivors): View {
  const indexes = view.indexes
    .filter((index) => at.kept('index', view.name, index.name))
    .map((index) => ({ ...index, name: at.name('index', view.name, index.name) }))
  return { ...view, indexes }
}

/**
 * The checks and indexes of a table that read a converted column in an expression or predicate (PostgreSQL
 * re-parses them against the renamed type), and the checks, indexes and unique constraints over a generated
 * column that is dropped and added again (they go with it).
 */
function tableDependents(
  table: Table,
  converted: ReadonlySet<string>,
  generated: ReadonlySet<string>,
  at: Survivors,
): readonly Change[] {
  const t = table.name
  const reads = (expr: string, columns: ReadonlySet<string>) =>
    [...columns].some((column) => mentionsIdentifier(expr, column))
  const checks = table.checks
    .filter((check) => at.kept('constraint', t, check.name))
    .filter((check) => reads(check.expr, converted) || reads(check.expr, generated))
    .map(
      (check): Change => ({
        kind: 'dropCheck',
        table: t,
        check: { ...check, name: at.name('constraint', t, check.name) },
      }),
    )
  const uniques = table.uniques
    .filter((unique) => at.kept('constraint', t, unique.name))
    .filter((unique) => unique.columns.some((column) => generated.has(column)))
    .map(
      (unique): Change => ({
        kind: 'dropUnique',
        table: t,
        unique: { ...unique, name: at.name('constraint', t, unique.name) },
      }),
    )
  const indexes = table.indexes
    .filter((index) => at.kept('index', t, index.name))
    .filter((index) => indexExpressionsUse(index, converted) || indexUsesColumns(index, generated))
    .map(
      (index): Change => ({ kind: 'dropIndex', table: t, index: { ...index, name: at.name('index', t, index.name) } }),
    )
  return [...checks, ...uniques, ...indexes]
}

/** What names a recreated enum's type only in a cast, which PostgreSQL keeps depending on the old type. */
interface CastReaders {
  /** Drops of the views (and the views over them), checks and indexes; their inverses create them again. */
  readonly drops: readonly Change[]
  /** Columns of other types whose default casts to the type: dropped and set again around the recreation. */
  readonly defaults: readonly EnumUsage[]
}

const noCastReaders: CastReaders = { drops: [], defaults: [] }

/**
 * The objects of `from` (those still there when the enum changes) that name `type` in a cast: a view's
 * `CAST(m AS "Shop"."Mood")` over a text column, a check, an index expression or predicate, a text column's default
 * `('happy'::"Shop"."Mood")::text`. PostgreSQL records that they depend on the type, so DROP TYPE of the old one
 * fails (2BP01) while they exist; they are found by the dialect's parser (`references`), in any spelling, not by a
 * text pattern, and only in texts that mention the type's name at all. Columns of the type itself are not here: their
 * defaults are the usages' (steps-enum.ts).
 */
function castReaders(
  from: Schema,
  type: QualifiedName,
  at: Survivors,
  gone: ReadonlySet<string>,
  references: ReadReferences,
): CastReaders {
  const lowered = type.name.toLowerCase()
  const names = (sql: string, as: 'expression' | 'query' = 'expression') =>
    sql.toLowerCase().includes(lowered) && references(sql, as).types.some((t) => denotes(t.name, type))
  const drops: Change[] = []
  const defaults: EnumUsage[] = []
  for (const table of from.tables) {
    const t = table.name
    if (gone.has(tableKey(t))) continue
    for (const check of table.checks) {
      if (!at.kept('constraint', t, check.name) || !names(check.expr)) continue
      drops.push({ kind: 'dropCheck', table: t, check: { ...check, name: at.name('constraint', t, check.name) } })
    }
    for (const index of table.indexes) {
      if (!at.kept('index', t, index.name)) continue
      if (![...index.parts.map((p) => p.expr ?? ''), index.where ?? ''].some((e) => names(e))) continue
      drops.push({ kind: 'dropIndex', table: t, index: { ...index, name: at.name('index', t, index.name) } })
    }
    for (const column of table.columns) {
      if (!at.kept('column', t, column.name) || usesEnum(column.type, type) || column.generated !== undefined) continue
      if (column.default !== undefined && names(column.default.sql)) defaults.push({ table: t, column })
    }
  }
  const views = from.views.filter((view) => !gone.has(tableKey(view.name)))
  const reading = new Set(views.filter((view) => names(view.definition, 'query')).map((view) => nameKey(view.name)))
  // The views over those go too: DROP VIEW refuses while another view reads it.
  for (let grew = reading.size > 0; grew; ) {
    grew = false
    for (const view of views) {
      if (reading.has(nameKey(view.name)) || !view.dependsOn.some((d) => reading.has(nameKey(d)))) continue
      reading.add(nameKey(view.name))
      grew = true
    }
  }
  drops.push(
    ...views
      .filter((view) => reading.has(nameKey(view.name)))
      .map((view): Change => ({ kind: 'dropView', view: withIndexesAt(view, at) })),
  )
  return { drops, defaults }
}

/**
 * Whether a type name as an expression writes it denotes `type`: the same name in the same schema, or unqualified
 * for a type of the default schema (the server prints a type's schema when it is not on the search path).
 */
function denotes(written: QualifiedName, type: QualifiedName): boolean {
  return written.name === type.name && (written.schema ?? 'public') === (type.schema ?? 'public')
}

/** `drops` without repeats (a check may both read a converted column and cast to the type). */
function distinct(drops: readonly Change[]): readonly Change[] {
  const seen = new Set<string>()
  return drops.filter((drop) => {
    const key = dropKey(drop)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function dropKey(drop: Change): string {
  if (drop.kind === 'dropCheck') return memberKey('constraint', drop.table, drop.check.name)
  if (drop.kind === 'dropUnique') return memberKey('constraint', drop.table, drop.unique.name)
  if (drop.kind === 'dropIndex') return memberKey('index', drop.table, drop.index.name)
  if (drop.kind === 'dropColumn') return memberKey('column', drop.table, drop.column.name)
  if (drop.kind === 'dropView') return tableKey(drop.view.name)
  if (drop.kind === 'dropRoutine') return routineKey(drop.routine)
  return JSON.stringify(drop)
}
