import type { Index, IndexPart, QualifiedName } from '../model.js'
import { type ChainCall, call, chain, type Layout, text } from './layout.js'
import { ownColumn, ownRef, stringArg } from './print-constraints.js'
import type { PrintContext } from './print-context.js'
import { tsString } from './ts-text.js'

/**
 * An index of a table (`on: 'table'`, columns as `t.key`) or of a materialized view (`on: 'view'`, columns by
 * SQL name), e.g. `index('recent').on(t.authorId, t.createdAt.desc()).where(sql\`deleted_at IS NULL\`)`.
 */
export function printIndex(index: Index, relation: QualifiedName, on: 'table' | 'view', ctx: PrintContext): Layout {
  const named = !ctx.defaults.index(relation.schema, relation.name, index)
  const head = call(ctx.use(index.unique ? 'uniqueIndex' : 'index'), named ? [stringArg(index.name)] : [])
  const parts = index.parts.map((part) => printPart(part, relation, on, ctx))
  const calls: ChainCall[] = [
    index.method === undefined
      ? { name: 'on', args: parts }
      : { name: 'using', args: [stringArg(index.method), ...parts] },
  ]
  if (index.where !== undefined) calls.push({ name: 'where', args: [text(ctx.sql(index.where))] })
  if (index.include.length > 0) {
    const include = index.include.map((column) =>
      on === 'table' ? ownColumn(relation, column, ctx) : stringArg(column),
    )
    calls.push({ name: 'include', args: include })
  }
  if (index.nullsNotDistinct === true) calls.push({ name: 'nullsNotDistinct', args: [] })
  if (index.comment !== undefined) calls.push({ name: 'comment', args: [stringArg(index.comment)] })
  return chain(head, calls)
}

/** One key part: a column or a `sql` expression, with `.desc()`, `.nullsFirst()`, `.op()`, `.collate()` as needed. */
function printPart(part: IndexPart, relation: QualifiedName, on: 'table' | 'view', ctx: PrintContext): Layout {
  const modifiers: string[] = []
  if (part.descending === true) modifiers.push('.desc()')
  if (part.nullsFirst !== undefined) modifiers.push(part.nullsFirst ? '.nullsFirst()' : '.nullsLast()')
  if (part.opclass !== undefined) modifiers.push(`.op(${tsString(part.opclass)})`)
  if (part.expr !== undefined) {
    // A `sql` fragment has no .collate(); .asc() (the default order) makes it a key part that has.
    if (part.collation !== undefined)
      modifiers.push(`${modifiers.length === 0 ? '.asc()' : ''}.collate(${tsString(part.collation)})`)
    return text(ctx.sql(part.expr) + modifiers.join(''))
  }
  const column = part.column ?? ''
  // A partition's or INHERITS child's column from its parent has no `t.key`: it is named like a view's.
  if (on === 'table' && ctx.columnKey(relation, column) !== undefined) {
    if (part.collation !== undefined) modifiers.push(`.collate(${tsString(part.collation)})`)
    return text(ownRef(relation, column, ctx) + modifiers.join(''))
  }
  // A view's columns are named by strings, which have no modifiers: an IndexPart states them.
  const options: string[] = []
  if (part.descending === true) options.push('descending: true')
  if (part.nullsFirst !== undefined) options.push(`nulls: ${tsString(part.nullsFirst ? 'first' : 'last')}`)
  if (part.opclass !== undefined) options.push(`opclass: ${tsString(part.opclass)}`)
  if (part.collation !== undefined) options.push(`collation: ${tsString(part.collation)}`)
  if (options.length === 0) return stringArg(column)
  return text(`new ${ctx.use('IndexPart')}(${tsString(column)}, { ${options.join(', ')} })`, { simple: false })
}
