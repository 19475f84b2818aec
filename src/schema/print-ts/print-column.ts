import { assertNever } from '../../assert-never.js'
import type { Column, ColumnType, ForeignKey, Identity, QualifiedName } from '../model.js'
import { type ChainCall, call, chain, type Layout, object, text } from './layout.js'
import { foreignKeyOptions, referenceThunk, stringArg } from './print-constraints.js'
import type { PrintContext } from './print-context.js'
import { tsString } from './ts-text.js'

/** A column with what its table decided to declare on it rather than in the extras callback. */
export interface ColumnPlan {
  readonly column: Column
  /** The SQL name, passed to the builder, when the table's casing would not reproduce it from the key. */
  readonly sqlName?: string
  /** Declares the table's single-column primary key, named when the name is not the default. */
  readonly primaryKey?: { readonly name?: string }
  /** Declares a single-column unique constraint. */
  readonly unique?: { readonly name?: string }
  /** Declares a single-column foreign key, named when the name is not the default. */
  readonly reference?: { readonly foreignKey: ForeignKey; readonly name?: string }
  /** Part of the primary key: NOT NULL goes without saying. */
  readonly inPrimaryKey: boolean
}

/**
 * A column declaration: the type's builder, then `.array()`, key, nullability, default or identity or generation,
 * reference, collation, comment and rename hint, as method calls.
 * @example bigint().primaryKey().generatedAlwaysAsIdentity()
 */
export function printColumn(plan: ColumnPlan, table: QualifiedName, ctx: PrintContext, notes: string[]): Layout {
  const { column } = plan
  const { head, arrays } = typeHead(column, plan.sqlName, ctx, notes)
  const calls: ChainCall[] = Array.from({ length: arrays }, () => ({ name: 'array', args: [] }))
  const add = (name: string, ...args: Layout[]): void => {
    calls.push({ name, args })
  }
  if (plan.primaryKey !== undefined) add('primaryKey', ...optionalName(plan.primaryKey.name))
  const impliedNotNull = plan.inPrimaryKey || column.identity !== undefined || column.serial === true
  if (!column.nullable && !impliedNotNull) add('notNull')
  // A key or identity column declared without NOT NULL (SQLite's `id INTEGER PRIMARY KEY`): the DSL would add it.
  const explicitNullable = column.nullable && impliedNotNull
  if (plan.unique !== undefined) add('unique', ...optionalName(plan.unique.name))
  if (column.default !== undefined) {
    const sql = column.default.sql
    if (sql === 'now()') add('defaultNow')
    else if (sql === 'gen_random_uuid()') add('defaultRandom')
    else add('default', text(ctx.sql(sql)))
  }
  if (column.identity !== undefined) {
    add(
      column.identity.always ? 'generatedAlwaysAsIdentity' : 'generatedByDefaultAsIdentity',
      ...identityOptions(column.identity),
    )
  }
  if (column.generated !== undefined) {
    const expr = text(ctx.sql(column.generated.expr))
    add('generatedAlwaysAs', ...(column.generated.stored ? [expr] : [expr, object([['stored', text('false')]])]))
  }
  if (plan.reference !== undefined) {
    const thunk = referenceThunk(plan.reference.foreignKey, table, ctx, notes)
    const options = foreignKeyOptions(plan.reference.foreignKey, plan.reference.name)
    if (thunk !== undefined) add('references', thunk, ...(options.length === 0 ? [] : [object(options)]))
  }
  if (explicitNullable) add('nullable')
  if (column.collation !== undefined) add('collate', stringArg(column.collation))
  if (column.comment !== undefined) add('comment', stringArg(column.comment))
  if (column.renamedFrom !== undefined) add('renamedFrom', stringArg(column.renamedFrom))
  return chain(head, calls)
}

function optionalName(name: string | undefined): Layout[] {
  return name === undefined ? [] : [stringArg(name)]
}

function identityOptions(identity: Identity): Layout[] {
  const options = identity.sequence === undefined ? [] : sequenceEntries(identity.sequence)
  return options.length === 0 ? [] : [object(options)]
}

/**
 * The options of a sequence or identity column, in the DSL's spelling; `type` is left to the caller. A value
 * past 2^53 (a string in the model) is written as a bigint literal, which the DSL reads back exactly.
 */
export function sequenceEntries(options: Omit<NonNullable<Identity['sequence']>, 'type'>): [string, Layout][] {
  const entries: [string, Layout][] = []
  for (const key of ['start', 'increment', 'min', 'max', 'cache'] as const) {
    const value = options[key]
    if (value !== undefined) entries.push([key, text(typeof value === 'string' ? `${value}n` : String(value))])
  }
  if (options.cycle === true) entries.push(['cycle', text('true')])
  return entries
}

/** The builder call for a column's type (arrays unwrapped: they become `.array()` calls). */
function typeHead(
  column: Column,
  sqlName: string | undefined,
  ctx: PrintContext,
  notes: string[],
): { head: Layout; arrays: number } {
  let element: ColumnType = column.type
  let arrays = 0
  while (element.kind === 'array') {
    element = element.element
    arrays++
  }
  const name = sqlName === undefined ? [] : [stringArg(sqlName)]
  if (column.serial === true) {
    if (element.kind === 'integer' && arrays === 0) {
      return { head: call(ctx.use({ 2: 'smallserial', 4: 'serial', 8: 'bigserial' }[element.bytes]), name), arrays }
    }
    notes.push(`column ${column.name}: serial needs an integer type; declared without it`)
  }
  return { head: elementHead(element, name, ctx, column.name, notes), arrays }
}

function elementHead(
  type: Exclude<ColumnType, { kind: 'array' }>,
  name: readonly Layout[],
  ctx: PrintContext,
  column: string,
  notes: string[],
): Layout {
  const builder = (callee: string, ...args: Layout[]): Layout => call(ctx.use(callee), [...name, ...args])
  switch (type.kind) {
    case 'integer':
      if (type.unsigned === true)
        notes.push(`column ${column}: unsigned integers do not exist in PostgreSQL; declared signed`)
      return builder({ 2: 'smallint', 4: 'integer', 8: 'bigint' }[type.bytes])
    case 'decimal':
      if (type.precision === undefined && type.scale !== undefined) {
        notes.push(`column ${column}: numeric with a scale but no precision cannot be declared; declared as numeric`)
      }
      return builder(
        'numeric',
        ...(type.precision === undefined ? [] : [text(String(type.precision))]),
        ...(type.precision === undefined || type.scale === undefined ? [] : [text(String(type.scale))]),
      )
    case 'float':
      return builder(type.bytes === 4 ? 'real' : 'doublePrecision')
    case 'text':
      if (type.fixed === true) return builder('char', text(String(type.length ?? 1)))
      return type.length === undefined ? builder('text') : builder('varchar', text(String(type.length)))
    case 'timestamp':
      return builder(type.withTimeZone ? 'timestamptz' : 'timestamp', ...config([['precision', type.precision]]))
    case 'time':
      return builder(
        'time',
        ...config([
          ['withTimeZone', type.withTimeZone || undefined],
          ['precision', type.precision],
        ]),
      )
    case 'interval':
      return builder(
        'interval',
        ...config([
          ['fields', type.fields?.toLowerCase()],
          ['precision', type.precision],
        ]),
      )
    case 'boolean':
    case 'date':
    case 'uuid':
    case 'json':
    case 'jsonb':
      return builder(type.kind)
    case 'bytes':
      return builder('bytea')
    case 'enum':
      return enumHead(type.enum, name, builder, ctx, column, notes)
    case 'native':
      if (type.sql === 'character varying') return builder('varchar')
      return builder('native', stringArg(type.sql))
    default:
      return assertNever(type)
  }
}

function enumHead(
  type: QualifiedName,
  name: readonly Layout[],
  builder: (callee: string, ...args: Layout[]) => Layout,
  ctx: PrintContext,
  column: string,
  notes: string[],
): Layout {
  const exported = ctx.exportOf('enum', type)
  // The enum's own export builds the column: `mood()`, not an import.
  if (exported !== undefined) return call(exported, name)
  notes.push(
    `column ${column}: enum ${type.schema ?? 'public'}.${type.name} is not in the schema; declared as a native type`,
  )
  const quote = ctx.quoteIdent
  const qualified = type.schema === undefined ? quote(type.name) : `${quote(type.schema)}.${quote(type.name)}`
  return builder('native', stringArg(qualified))
}

/** `{ key: value }` of the options that are set, or nothing. */
function config(entries: readonly (readonly [string, string | number | boolean | undefined])[]): Layout[] {
  const set = entries.filter(([, value]) => value !== undefined)
  if (set.length === 0) return []
  return [object(set.map(([key, value]) => [key, text(typeof value === 'string' ? tsString(value) : String(value))]))]
}
