import { applyCasing, type Casing } from '../dsl/casing.js'
import type { ForeignKey, QualifiedName, Table, UniqueConstraint } from '../model.js'
import { columnKeys } from './export-names.js'
import { array, arrow, call, type Layout, type ObjectEntry, object, text } from './layout.js'
import { type ColumnPlan, printColumn } from './print-column.js'
import { printCheck, printForeignKey, printPrimaryKey, printUnique, stringArg } from './print-constraints.js'
import { EXTRAS_PARAM, type PrintContext } from './print-context.js'
import { dataLayout } from './print-data.js'
import { printIndex } from './print-index.js'
import { propertyKey } from './ts-text.js'

/** How a table's columns are keyed: camelCase keys, the casing that maps most of them back, the rest named. */
export interface ColumnNaming {
  /** The TypeScript key of each column, in column order. */
  readonly keys: readonly string[]
  /** Whether each column passes its SQL name to its builder. */
  readonly explicit: readonly boolean[]
  /** The casing to state in the table's options; undefined when no unnamed column depends on it. */
  readonly casing?: Casing
}

const casings: readonly Casing[] = ['snake_case', 'preserve']

/**
 * Chooses column keys and the table's casing: the casing under which most keys turn back into their SQL names
 * (snake_case on a tie), with the SQL name passed explicitly for the others. A rename hint goes through the casing
 * too, so a column whose old name the casing would change is named explicitly as well.
 */
export function columnNaming(table: Table): ColumnNaming {
  const keys = columnKeys(table.columns.map((column) => column.name))
  const roundTrips = (i: number, casing: Casing): boolean => {
    const column = table.columns[i]
    if (column === undefined) return false
    const { renamedFrom } = column
    return (
      applyCasing(keys[i] as string, casing) === column.name &&
      (renamedFrom === undefined || applyCasing(renamedFrom, casing) === renamedFrom)
    )
  }
  const misses = (casing: Casing): number => keys.filter((_, i) => !roundTrips(i, casing)).length
  const casing = misses('snake_case') <= misses('preserve') ? 'snake_case' : 'preserve'
  const explicit = keys.map((_, i) => !roundTrips(i, casing))
  const dependent = keys.some((_, i) => !explicit[i] && casings.some((other) => !roundTrips(i, other)))
  return dependent ? { keys, explicit, casing } : { keys, explicit }
}

/** A printed `export const`: its name, its value, and notes about what the DSL could not declare. */
export interface Statement {
  readonly name: string
  readonly value: Layout
  readonly notes: readonly string[]
}

/**
 * `table('name', { columns }, (t) => [extras], { options })`. Single-column keys, uniques and references are
 * declared on their column; the rest (composite keys, indexes, checks, ...) in the extras callback.
 */
export function printTable(table: Table, naming: ColumnNaming, ctx: PrintContext): Statement {
  const notes: string[] = [...conflictNotes(table)]
  const uniques = declarableUniques(table, notes)
  const plans = planColumns(table, uniques, naming, ctx)
  const onColumns = new Set<unknown>(plans.flatMap((plan) => [plan.unique?.constraint, plan.reference?.foreignKey]))
  const columns: ObjectEntry[] = plans.map((plan, i) => [
    propertyKey(naming.keys[i] as string),
    printColumn(plan, table.name, ctx, notes),
  ])
  for (const fk of table.foreignKeys) {
    if (fk.comment !== undefined) notes.push(`foreign key ${fk.name} has a comment, which the DSL cannot declare`)
  }
  const extras = [
    ...(table.primaryKey !== undefined && table.primaryKey.columns.length > 1 ? [printPrimaryKey(table, ctx)] : []),
    ...uniques.filter((unique) => !onColumns.has(unique)).map((unique) => printUnique(unique, table, ctx)),
    ...table.indexes.map((index) => printIndex(index, table.name, 'table', ctx)),
    ...table.foreignKeys.filter((fk) => !onColumns.has(fk)).map((fk) => printForeignKey(fk, table, ctx, notes)),
    ...table.checks.map((check) => printCheck(check, table, ctx, notes)),
  ].filter((extra): extra is Layout => extra !== undefined)
  const options = tableOptions(table, naming)
  const args = [
    stringArg(table.name.name),
    object(columns, true),
    ...(extras.length === 0 ? [] : [arrow(extrasParams(table, onColumns, ctx), array(extras))]),
    ...(options.length === 0 ? [] : [object(options)]),
  ]
  const name = ctx.exportOf('table', table.name) as string
  return { name, value: call(ctx.use('table'), args), notes }
}

/**
 * `(t)`, typed `(t): TableExtras` when a foreign key in it points at a table printed later: TypeScript would
 * otherwise infer the callback's type from that table's, which may depend on this one (tables referencing each other).
 */
function extrasParams(table: Table, onColumns: ReadonlySet<unknown>, ctx: PrintContext): string {
  const forward = table.foreignKeys.some(
    (fk) => !onColumns.has(fk) && ctx.rank(fk.references.table) > ctx.rank(table.name),
  )
  return forward ? `(${EXTRAS_PARAM}): ${ctx.useType('TableExtras')}` : `(${EXTRAS_PARAM})`
}

/** SQLite's ON CONFLICT clauses, which the DSL cannot declare: named in a note, so that leaving them out is said. */
function conflictNotes(table: Table): string[] {
  const note = (what: string, resolution: string | undefined) =>
    resolution === undefined ? [] : [`${what} has ON CONFLICT ${resolution}, which the DSL cannot declare; left out`]
  return [
    ...note(`primary key ${table.primaryKey?.name ?? ''}`, table.primaryKey?.onConflict),
    ...table.columns.flatMap((c) => note(`NOT NULL of column ${c.name}`, c.notNullOnConflict)),
    ...table.uniques.flatMap((u) => note(`unique constraint ${u.name}`, u.onConflict)),
    ...table.checks.flatMap((c) => note(`check ${c.name}`, c.onConflict)),
  ]
}

/**
 * The unique constraints the DSL accepts: it refuses one that repeats the primary key's columns or another unique's
 * (CREATE TABLE would drop it silently), though ALTER TABLE can make such a pair.
 */
function declarableUniques(table: Table, notes: string[]): UniqueConstraint[] {
  const seen = new Set(table.primaryKey === undefined ? [] : [table.primaryKey.columns.join('\u0000')])
  return table.uniques.filter((unique) => {
    const key = unique.columns.join('\u0000')
    if (seen.has(key)) {
      notes.push(`unique constraint ${unique.name} repeats the columns of another key, which the DSL refuses; left out`)
      return false
    }
    seen.add(key)
    return true
  })
}

type Plan = ColumnPlan & {
  readonly unique?: ColumnPlan['unique'] & { readonly constraint: UniqueConstraint }
}

function planColumns(
  table: Table,
  declarable: readonly UniqueConstraint[],
  naming: ColumnNaming,
  ctx: PrintContext,
): Plan[] {
  const key = table.primaryKey
  const singleKey = key !== undefined && key.columns.length === 1 ? key.columns[0] : undefined
  const uniques = new Map<string, UniqueConstraint>()
  for (const unique of declarable) {
    const [column, ...more] = unique.columns
    const plain =
      unique.nullsNotDistinct === undefined && unique.deferrable === undefined && unique.comment === undefined
    if (column !== undefined && more.length === 0 && plain && !uniques.has(column)) uniques.set(column, unique)
  }
  const references = new Map<string, ForeignKey>()
  for (const fk of table.foreignKeys) {
    const [column, ...more] = fk.columns
    // `.references()` on a column has no NOT VALID: such a key is declared in the extras.
    if (column !== undefined && more.length === 0 && !references.has(column) && fk.notValid !== true)
      references.set(column, fk)
  }
  return table.columns.map((column, i): Plan => {
    const unique = uniques.get(column.name)
    const reference = references.get(column.name)
    const keyName = ctx.defaults.primaryKey(table) ? {} : { name: key?.name as string }
    return {
      column,
      ...(naming.explicit[i] === true ? { sqlName: column.name } : {}),
      ...(singleKey === column.name ? { primaryKey: keyName } : {}),
      ...(unique === undefined
        ? {}
        : { unique: { constraint: unique, ...(ctx.defaults.unique(table, unique) ? {} : { name: unique.name }) } }),
      ...(reference === undefined
        ? {}
        : {
            reference: {
              foreignKey: reference,
              ...(ctx.defaults.foreignKey(table, reference) ? {} : { name: reference.name }),
            },
          }),
      inPrimaryKey: key?.columns.includes(column.name) === true,
    }
  })
}

function tableOptions(table: Table, naming: ColumnNaming): ObjectEntry[] {
  const options: ObjectEntry[] = []
  const { schema } = table.name
  if (schema !== undefined && schema !== 'public') options.push(['schema', stringArg(schema)])
  if (naming.casing !== undefined) options.push(['casing', stringArg(naming.casing)])
  if (table.comment !== undefined) options.push(['comment', stringArg(table.comment)])
  if (table.renamedFrom !== undefined) options.push(['renamedFrom', renamedFrom(table.renamedFrom, table.name)])
  const postgres = table.ext?.postgres
  if (postgres?.unlogged === true) options.push(['unlogged', text('true')])
  if (postgres?.partitionBy !== undefined) options.push(['partitionBy', stringArg(postgres.partitionBy)])
  if (postgres?.partitionOf !== undefined) options.push(['partitionOf', dataLayout(postgres.partitionOf)])
  if (postgres?.inherits !== undefined) options.push(['inherits', dataLayout(postgres.inherits)])
  if (postgres?.attachedIndexes !== undefined) options.push(['attachedIndexes', dataLayout(postgres.attachedIndexes)])
  if (table.exclusions !== undefined) options.push(['exclusions', dataLayout(table.exclusions)])
  if (table.privileges !== undefined) options.push(['privileges', dataLayout(table.privileges)])
  if (table.rowLevelSecurity !== undefined) options.push(['rowLevelSecurity', dataLayout(table.rowLevelSecurity)])
  if (table.policies !== undefined) options.push(['policies', dataLayout(table.policies)])
  const sqlite = table.ext?.sqlite
  if (sqlite?.withoutRowid === true) options.push(['withoutRowid', text('true')])
  if (sqlite?.strict === true) options.push(['strict', text('true')])
  return options
}

/** A rename hint: the old name alone when it is in the same namespace, else `{ schema, name }`. */
export function renamedFrom(old: QualifiedName, current: QualifiedName): Layout {
  if ((old.schema ?? 'public') === (current.schema ?? 'public')) return stringArg(old.name)
  return object([
    ...(old.schema === undefined ? [] : [['schema', stringArg(old.schema)] as const]),
    ['name', stringArg(old.name)],
  ])
}
