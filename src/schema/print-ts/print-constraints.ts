import type { Check, ForeignKey, QualifiedName, Table, UniqueConstraint } from '../model.js'
import { displayName } from '../name.js'
import { array, arrow, type ChainCall, call, chain, type Layout, type ObjectEntry, object, text } from './layout.js'
import { EXTRAS_PARAM, type PrintContext, relationKey } from './print-context.js'
import { member, tsString } from './ts-text.js'

/** `t.key` for a column of the table whose extras are being printed. */
export function ownRef(table: QualifiedName, column: string, ctx: PrintContext): string {
  return member(EXTRAS_PARAM, ctx.columnKey(table, column) ?? column)
}

/** `t.key` as an argument. */
export function ownColumn(table: QualifiedName, column: string, ctx: PrintContext): Layout {
  // A partition or INHERITS child names the columns it has from its parent as strings: it does not declare them.
  if (ctx.columnKey(table, column) === undefined) return stringArg(column)
  return text(ownRef(table, column, ctx))
}

/** A string literal argument. */
export function stringArg(value: string): Layout {
  return text(tsString(value), { string: true })
}

/**
 * `() => users.id` for a single-column reference; typed `(): AnyColumn =>` when it points at its own table or one
 * printed later, which TypeScript could not infer (the table's type would depend on itself).
 */
export function referenceThunk(
  fk: ForeignKey,
  table: QualifiedName,
  ctx: PrintContext,
  notes: string[],
): Layout | undefined {
  const target = fk.references.table
  const ref = ctx.columnRef(target, fk.references.columns[0] ?? '')
  if (ref === undefined) {
    notes.push(`foreign key ${fk.name} references ${displayName(target)}, which is not in the schema; left out`)
    return undefined
  }
  const annotated = ctx.rank(target) >= ctx.rank(table)
  return arrow(annotated ? `(): ${ctx.useType('AnyColumn')}` : '()', text(ref))
}

/** The options a foreign key shares between `.references()` and `foreignKey()`: name, actions, deferrable, match. */
export function foreignKeyOptions(fk: ForeignKey, name: string | undefined): ObjectEntry[] {
  const entries: ObjectEntry[] = []
  if (name !== undefined) entries.push(['name', stringArg(name)])
  if (fk.onDelete !== 'NO ACTION') entries.push(['onDelete', stringArg(fk.onDelete.toLowerCase())])
  if (fk.onUpdate !== 'NO ACTION') entries.push(['onUpdate', stringArg(fk.onUpdate.toLowerCase())])
  if (fk.deferrable !== undefined) {
    entries.push([
      'deferrable',
      fk.deferrable.initiallyDeferred ? object([['initiallyDeferred', text('true')]]) : text('true'),
    ])
  }
  if (fk.matchFull === true) entries.push(['matchFull', text('true')])
  return entries
}

/** `foreignKey({ columns: [t.a, t.b], foreignColumns: [other.a, other.b], ... })` */
export function printForeignKey(fk: ForeignKey, table: Table, ctx: PrintContext, notes: string[]): Layout | undefined {
  const target = fk.references.table
  const self = relationKey(target) === relationKey(table.name)
  const foreign = fk.references.columns.map((column) =>
    self ? ownRef(table.name, column, ctx) : ctx.columnRef(target, column),
  )
  if (foreign.some((ref) => ref === undefined)) {
    notes.push(`foreign key ${fk.name} references ${displayName(target)}, which is not in the schema; left out`)
    return undefined
  }
  const name: ObjectEntry[] = ctx.defaults.foreignKey(table, fk) ? [] : [['name', stringArg(fk.name)]]
  return call(ctx.use('foreignKey'), [
    object([
      ...name,
      ['columns', array(fk.columns.map((column) => ownColumn(table.name, column, ctx)))],
      ['foreignColumns', array(foreign.map((ref) => text(ref as string)))],
      ...foreignKeyOptions(fk, undefined),
      ...(fk.notValid === true ? [['notValid', text('true')] as const] : []),
    ]),
  ])
}

/** `primaryKey(t.a, t.b)`, or `primaryKey({ name, columns: [...] })` when the name is not the default. */
export function printPrimaryKey(table: Table, ctx: PrintContext): Layout | undefined {
  const key = table.primaryKey
  if (key === undefined) return undefined
  const columns = key.columns.map((column) => ownColumn(table.name, column, ctx))
  if (ctx.defaults.primaryKey(table)) return call(ctx.use('primaryKey'), columns)
  return call(ctx.use('primaryKey'), [
    object([
      ['name', stringArg(key.name)],
      ['columns', array(columns)],
    ]),
  ])
}

/** `unique('name').on(t.a, t.b).nullsNotDistinct().deferrable().comment('...')` */
export function printUnique(unique: UniqueConstraint, table: Table, ctx: PrintContext): Layout {
  const name = ctx.defaults.unique(table, unique) ? [] : [stringArg(unique.name)]
  const calls: ChainCall[] = [{ name: 'on', args: unique.columns.map((column) => ownColumn(table.name, column, ctx)) }]
  if (unique.nullsNotDistinct === true) calls.push({ name: 'nullsNotDistinct', args: [] })
  if (unique.deferrable !== undefined) {
    calls.push({ name: 'deferrable', args: unique.deferrable.initiallyDeferred ? [text('true')] : [] })
  }
  if (unique.comment !== undefined) calls.push({ name: 'comment', args: [stringArg(unique.comment)] })
  return chain(call(ctx.use('unique'), name), calls)
}

/** `check('name', sql\`...\`)`; the DSL has no way to comment a check, so a comment becomes a note. */
export function printCheck(check: Check, table: Table, ctx: PrintContext, notes: string[]): Layout {
  if (check.comment !== undefined) notes.push(`check ${check.name} has a comment, which the DSL cannot declare`)
  const name = ctx.defaults.check(table, check) ? [] : [stringArg(check.name)]
  const flags: ObjectEntry[] = [
    ...(check.noInherit === true ? [['noInherit', text('true')] as const] : []),
    ...(check.notValid === true ? [['notValid', text('true')] as const] : []),
  ]
  const options = flags.length === 0 ? [] : [object(flags)]
  return call(ctx.use('check'), [...name, text(ctx.sql(check.expr)), ...options])
}
