import { isPunct, tokenizeSql } from '../dsl/sql-tokens.js'
import type { EnumType, Extension, Namespace, QualifiedName, Sequence, View } from '../model.js'
import { displayName } from '../name.js'
import { array, arrow, call, type Layout, type ObjectEntry, object, text } from './layout.js'
import { sequenceEntries } from './print-column.js'
import { stringArg } from './print-constraints.js'
import { type PrintContext, relationKey } from './print-context.js'
import { dataLayout } from './print-data.js'
import { printIndex } from './print-index.js'
import { renamedFrom, type Statement } from './print-table.js'

/** The `schema` option of an object outside `public`. */
function schemaOption(name: QualifiedName): ObjectEntry[] {
  return name.schema === undefined || name.schema === 'public' ? [] : [['schema', stringArg(name.schema)]]
}

function withOptions(args: readonly Layout[], options: readonly ObjectEntry[]): Layout[] {
  return options.length === 0 ? [...args] : [...args, object(options)]
}

/** `namespace('billing', { comment })` */
export function printNamespace(namespace: Namespace, ctx: PrintContext): Statement {
  const options: ObjectEntry[] = [
    ...(namespace.comment === undefined ? [] : [['comment', stringArg(namespace.comment)] as const]),
    ...(namespace.privileges === undefined ? [] : [['privileges', dataLayout(namespace.privileges)] as const]),
  ]
  const value = call(ctx.use('namespace'), withOptions([stringArg(namespace.name)], options))
  return { name: ctx.exportOf('namespace', { name: namespace.name }) as string, value, notes: [] }
}

/** `extension('pgcrypto', { schema, version })` */
export function printExtension(extension: Extension, ctx: PrintContext): Statement {
  const options: ObjectEntry[] = [
    ...(extension.schema === undefined ? [] : [['schema', stringArg(extension.schema)] as const]),
    ...(extension.version === undefined ? [] : [['version', stringArg(extension.version)] as const]),
  ]
  const value = call(ctx.use('extension'), withOptions([stringArg(extension.name)], options))
  return { name: ctx.exportOf('extension', { name: extension.name }) as string, value, notes: [] }
}

/** `enumType('mood', ['sad', 'ok', 'happy'], { schema, comment })` */
export function printEnum(type: EnumType, ctx: PrintContext): Statement {
  const options = [
    ...schemaOption(type.name),
    ...(type.comment === undefined ? [] : [['comment', stringArg(type.comment)] as const]),
  ]
  const args = [stringArg(type.name.name), array(type.values.map(stringArg))]
  return {
    name: ctx.exportOf('enum', type.name) as string,
    value: call(ctx.use('enumType'), withOptions(args, options)),
    notes: [],
  }
}

const integerNames = { 2: 'smallint', 4: 'integer', 8: 'bigint' } as const

/** `sequence('order_numbers', { type, start, ..., ownedBy: () => orders.number, comment })` */
export function printSequence(sequence: Sequence, ctx: PrintContext): Statement {
  const notes: string[] = []
  const options: ObjectEntry[] = [...schemaOption(sequence.name)]
  if (sequence.type !== undefined && sequence.type.bytes !== 8) {
    options.push(['type', stringArg(integerNames[sequence.type.bytes])])
  }
  options.push(...sequenceEntries(sequence))
  if (sequence.ownedBy !== undefined) {
    const { table, column } = sequence.ownedBy
    const ref = ctx.columnRef(table, column)
    if (ref === undefined)
      notes.push(`OWNED BY ${displayName(table)}.${column}: the table is not in the schema; left out`)
    // A thunk: tables are declared after sequences.
    else options.push(['ownedBy', arrow('()', text(ref))])
  }
  if (sequence.comment !== undefined) options.push(['comment', stringArg(sequence.comment)])
  if (sequence.privileges !== undefined) options.push(['privileges', dataLayout(sequence.privileges)])
  const value = call(ctx.use('sequence'), withOptions([stringArg(sequence.name.name)], options))
  return { name: ctx.exportOf('sequence', sequence.name) as string, value, notes }
}

/**
 * `view('name', sql\`...\`, { materialized, dependsOn, indexes, ... })`. Without `dependsOn`, `collect()` takes
 * the exported tables and views named in the text; the list is printed, whole, only when that guess would differ.
 */
export function printView(view: View, ctx: PrintContext, known: ReadonlyMap<string, QualifiedName>): Statement {
  const notes: string[] = []
  if (view.columns !== undefined)
    notes.push(`column list (${view.columns.join(', ')}), which the DSL cannot declare; left out`)
  const options: ObjectEntry[] = [...schemaOption(view.name)]
  if (view.materialized) options.push(['materialized', text('true')])
  if (view.comment !== undefined) options.push(['comment', stringArg(view.comment)])
  if (view.privileges !== undefined) options.push(['privileges', dataLayout(view.privileges)])
  if (view.renamedFrom !== undefined) options.push(['renamedFrom', renamedFrom(view.renamedFrom, view.name)])
  const dependencies = dependsOn(view, ctx, known, notes)
  if (dependencies !== undefined) options.push(['dependsOn', array(dependencies)])
  if (view.indexes.length > 0) {
    options.push(['indexes', array(view.indexes.map((index) => printIndex(index, view.name, 'view', ctx)))])
  }
  // As the DSL and normalisation do: pg_get_viewdef's leading blank and final semicolon are not part of the query.
  const definition = view.definition.trim().replace(/\s*;$/, '')
  const args = [stringArg(view.name.name), text(ctx.sql(definition))]
  return {
    name: ctx.exportOf('view', view.name) as string,
    value: call(ctx.use('view'), withOptions(args, options)),
    notes,
  }
}

/** The `dependsOn` list, or undefined when the names in the text say the same. */
function dependsOn(
  view: View,
  ctx: PrintContext,
  known: ReadonlyMap<string, QualifiedName>,
  notes: string[],
): Layout[] | undefined {
  const own = relationKey(view.name)
  const wanted = new Set(view.dependsOn.map(relationKey).filter((key) => key !== own))
  const scanned = new Set(
    mentionedRelations(view.definition, known)
      .map(relationKey)
      .filter((key) => key !== own),
  )
  if (wanted.size === scanned.size && [...wanted].every((key) => scanned.has(key))) return undefined
  const listed: Layout[] = []
  for (const dependency of view.dependsOn) {
    const exported = ctx.exportOf('table', dependency) ?? ctx.exportOf('view', dependency)
    if (exported === undefined)
      notes.push(`depends on ${displayName(dependency)}, which is not in the schema; left out`)
    else if (relationKey(dependency) !== own) listed.push(text(exported))
  }
  return listed
}

/**
 * The relations `collect()` finds by name in a view's text (as its buildView does): an identifier that is not
 * after a dot, matching `schema.name` or a relation of the default namespace.
 */
function mentionedRelations(definition: string, known: ReadonlyMap<string, QualifiedName>): QualifiedName[] {
  const tokens = tokenizeSql(definition)
  const found: QualifiedName[] = []
  tokens.forEach((token, i) => {
    if (token.kind !== 'ident' || isPunct(tokens[i - 1], '.')) return
    const next = tokens[i + 2]
    const qualified =
      isPunct(tokens[i + 1], '.') && next?.kind === 'ident'
        ? known.get(relationKey({ schema: token.value, name: next.value }))
        : undefined
    const match = qualified ?? known.get(relationKey({ name: token.value }))
    if (match !== undefined) found.push(match)
  })
  return found
}
