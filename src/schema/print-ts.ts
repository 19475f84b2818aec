import { standardQuoteIdent } from './dsl/render-sql.js'
import type { QualifiedName, Schema, Table, View } from './model.js'
import { LINE_WIDTH, renderLayout } from './print-ts/layout.js'
import { PrintContext, relationKey } from './print-ts/print-context.js'
import { printCollation, printDomain, printRoutine, printRule, printTrigger } from './print-ts/print-data.js'
import { printEnum, printExtension, printNamespace, printSequence, printView } from './print-ts/print-objects.js'
import { type ColumnNaming, columnNaming, printTable, type Statement } from './print-ts/print-table.js'

/** Options of `printSchemaModule`. */
export interface PrintSchemaOptions {
  /** The module the DSL is imported from; `keel/schema` unless told (tests point it at the source). */
  readonly importFrom?: string
  /**
   * The identifier quoter of the dialect the schema was read from (`Dialect.quoteIdent`), for the SQL names the
   * printer writes itself. Unless told, the SQL standard's, which `collect()` uses too (`standardQuoteIdent`).
   */
  readonly quoteIdent?: (name: string) => string
}

/**
 * Prints a schema as a TypeScript module written with Keel's DSL (`keel/schema`), as `keel inspect --format ts`
 * shows it: one import of exactly the builders used, then namespaces, extensions, enums, sequences, tables (a
 * referenced table before the tables that reference it) and views (dependencies first). Loading the module and
 * running `collect()` on its exports gives the same schema back, after normalisation: SQL names that camelCase keys
 * and the table's casing would not reproduce are passed explicitly, and so are constraint and index names that
 * differ from the DSL's default. What the DSL cannot declare (a comment on a foreign key or check, a reference to a
 * table outside the schema) is left out, with a `// keel:` note above the declaration. Pure: no IO.
 * @example printSchemaModule(await dialect.introspect(conn))
 */
export function printSchemaModule(schema: Schema, options: PrintSchemaOptions = {}): string {
  const namings = new Map<string, ColumnNaming>(
    schema.tables.map((table) => [relationKey(table.name), columnNaming(table)]),
  )
  const keys = new Map<string, ReadonlyMap<string, string>>()
  for (const table of schema.tables) {
    const naming = namings.get(relationKey(table.name)) as ColumnNaming
    keys.set(
      relationKey(table.name),
      new Map(table.columns.map((column, i) => [column.name, naming.keys[i] as string])),
    )
  }
  const tables = dependencyOrder(schema.tables, (table) => table.foreignKeys.map((fk) => fk.references.table))
  const views = dependencyOrder(schema.views, (view) => view.dependsOn)
  const ctx = new PrintContext(
    schema,
    keys,
    tables.map((table) => table.name),
    options.quoteIdent ?? standardQuoteIdent,
  )
  const known = new Map<string, QualifiedName>(
    [...schema.tables, ...schema.views].map((r) => [relationKey(r.name), r.name]),
  )
  const statements: Statement[] = [
    ...schema.namespaces.map((namespace) => printNamespace(namespace, ctx)),
    ...schema.extensions.map((extension) => printExtension(extension, ctx)),
    ...(schema.collations ?? []).map((collation) => printCollation(collation, ctx)),
    ...schema.enums.map((type) => printEnum(type, ctx)),
    ...(schema.domains ?? []).map((domain) => printDomain(domain, ctx)),
    ...schema.sequences.map((sequence) => printSequence(sequence, ctx)),
    ...(schema.routines ?? []).map((routine) => printRoutine(routine, ctx)),
    ...tables.map((table) => printTable(table, namings.get(relationKey(table.name)) as ColumnNaming, ctx)),
    ...views.map((view) => printView(view, ctx, known)),
    ...(schema.triggers ?? []).map((trigger) => printTrigger(trigger, ctx)),
    ...(schema.rules ?? []).map((rule) => printRule(rule, ctx)),
  ]
  if (statements.length === 0) return 'export {}\n'
  const body = statements.map(renderStatement).join('\n\n')
  return `${importLine(ctx.specifiers(), options.importFrom ?? 'keel/schema')}\n\n${body}\n`
}

function renderStatement(statement: Statement): string {
  const notes = statement.notes.map((note) => `// keel: ${note.replace(/\s+/g, ' ')}\n`).join('')
  const prefix = `export const ${statement.name} = `
  return `${notes}${prefix}${renderLayout(statement.value, prefix.length, 0, 0)}`
}

/**
 * Orders tables (or views) so that each comes after those it depends on, keeping the given order otherwise (a
 * depth-first walk); in a cycle (tables referencing each other) the member reached last comes first.
 */
function dependencyOrder<T extends Table | View>(
  items: readonly T[],
  dependencies: (item: T) => readonly QualifiedName[],
): T[] {
  const byKey = new Map(items.map((item) => [relationKey(item.name), item]))
  const seen = new Set<string>()
  const ordered: T[] = []
  const visit = (item: T): void => {
    const key = relationKey(item.name)
    if (seen.has(key)) return
    seen.add(key)
    for (const dependency of dependencies(item)) {
      const target = byKey.get(relationKey(dependency))
      if (target !== undefined) visit(target)
    }
    ordered.push(item)
  }
  for (const item of items) visit(item)
  return ordered
}

/** The import line, specifiers sorted as Biome sorts them, broken one per line when it is too long. */
function importLine(specifiers: readonly string[], from: string): string {
  const sorted = [...specifiers].sort((a, b) => compareSpecifiers(a.replace(/^type /, ''), b.replace(/^type /, '')))
  const source = `'${from.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
  const line = `import { ${sorted.join(', ')} } from ${source}`
  return line.length <= LINE_WIDTH ? line : `import {\n${sorted.map((s) => `  ${s},\n`).join('')}} from ${source}`
}

/** Biome's order: letter by letter ignoring case, an upper-case letter before its lower-case twin. */
function compareSpecifiers(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string
    const y = b[i] as string
    if (x.toLowerCase() !== y.toLowerCase()) return x.toLowerCase() < y.toLowerCase() ? -1 : 1
    if (x !== y) return x === x.toUpperCase() ? -1 : 1
  }
  return a.length - b.length
}
