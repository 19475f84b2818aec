import type { Column, QualifiedName, Routine, Schema, Table, View } from '../schema/model.js'
import { nameKey, sameName } from '../schema/name.js'
import type { Change } from './change.js'
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
 */
export function withEnumDependents(
  changes: readonly Change[],
  from: Schema,
  hierarchy: TableHierarchy,
): readonly Change[] {
  const gone = droppedKeys(changes)
  const renamed = renamedKeys(changes)
  const at: Survivors = {
    kept: (kind, table, name) => !gone.has(memberKey(kind, table, name)),
    name: (kind, table, name) => renamed.get(memberKey(kind, table, name)) ?? name,
  }
  return changes.map((change) => {
    if (change.kind !== 'alterEnum' || !onlyAddsValues(change.from, change.to)) return change
    const dependents = markPartitioned(enumDependents(from, change.from.name, at, gone), from, from, hierarchy)
    return dependents.length === 0 ? change : { ...change, dependents }
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
