import type { Column, Index, Schema, Table } from '../../schema/model.js'
import {
  camel,
  columnKeys,
  drizzleHeader,
  str,
  type TablePrintContext,
  tableConstNames,
  template,
} from './print-drizzle.js'

/** SQLite's declared types that drizzle-orm/sqlite-core has a builder for, by the type it writes. */
const BUILDERS: Readonly<Record<string, string>> = {
  INTEGER: 'integer',
  TEXT: 'text',
  REAL: 'real',
  BLOB: 'blob',
  NUMERIC: 'numeric',
}

/**
 * A Drizzle schema module (drizzle-orm/sqlite-core) for a SQLite schema, which drizzle-kit, and Keel, would create it
 * from: `sqliteTable`s whose columns keep their declared types (a type with no builder through `customType`), the
 * AUTOINCREMENT key as `primaryKey({ autoIncrement: true })`, every index, unique, foreign key and check named
 * explicitly, defaults, generated columns and expressions as `sql` templates in SQLite's own spelling. Views and
 * triggers are listed in `skipped`.
 */
export function printDrizzleSqliteSchema(schema: Schema): { text: string; skipped: readonly string[] } {
  const skipped: string[] = []
  const used = new Set<string>(['sqliteTable'])
  const tableConsts = tableConstNames(schema.tables)
  const blocks = schema.tables.map((table) => tableBlock(table, { tableConsts, used, skipped }))
  for (const view of schema.views) skipped.push(`view ${view.name.name} (write it with sqliteView and its columns)`)
  for (const trigger of schema.triggers ?? []) skipped.push(`trigger ${trigger.name}`)
  const header = drizzleHeader(used, 'sqlite-core')
  return { text: `${[header.join('\n'), ...blocks].join('\n\n')}\n`, skipped }
}

function tableBlock(table: Table, context: TablePrintContext): string {
  const keys = columnKeys(table.columns)
  const ref = (column: string) => `t.${keys.get(column) ?? camel(column)}`
  const use = (fn: string) => context.used.add(fn)
  const inlinePk = table.primaryKey?.columns.length === 1 ? table.primaryKey.columns[0] : undefined
  const columns = table.columns.map(
    (column) => `  ${keys.get(column.name)}: ${columnBuilder(column, column.name === inlinePk, context)},`,
  )
  const extras: string[] = []
  if (table.primaryKey !== undefined && inlinePk === undefined) {
    use('primaryKey')
    extras.push(`primaryKey({ columns: [${table.primaryKey.columns.map(ref).join(', ')}] })`)
  }
  for (const unique of table.uniques) {
    use('unique')
    context.skipped.push(
      `table ${table.name.name}: unique constraint ${unique.name} becomes a unique index (as drizzle-kit writes it on SQLite)`,
    )
    extras.push(`unique(${str(unique.name)}).on(${unique.columns.map(ref).join(', ')})`)
  }
  for (const index of table.indexes) extras.push(indexBuilder(index, ref, context))
  for (const fk of table.foreignKeys) {
    const target = context.tableConsts.get(fk.references.table.name)
    if (target === undefined) {
      context.skipped.push(`table ${table.name.name}: foreign key ${fk.name} to a table outside the schema`)
      continue
    }
    use('foreignKey')
    const actions = `${fk.onDelete === 'NO ACTION' ? '' : `.onDelete(${str(fk.onDelete.toLowerCase())})`}${fk.onUpdate === 'NO ACTION' ? '' : `.onUpdate(${str(fk.onUpdate.toLowerCase())})`}`
    extras.push(
      `foreignKey({ name: ${str(fk.name)}, columns: [${fk.columns.map(ref).join(', ')}], foreignColumns: [${fk.references.columns.map((c) => `${target}.${camel(c)}`).join(', ')}] })${actions}`,
    )
  }
  for (const check of table.checks) {
    use('check')
    use('sql')
    extras.push(`check(${str(check.name)}, sql\`${template(check.expr)}\`)`)
  }
  const name = context.tableConsts.get(table.name.name) as string
  const extra = extras.length === 0 ? '' : `, (t) => [\n${extras.map((e) => `  ${e},`).join('\n')}\n]`
  return `export const ${name} = sqliteTable(${str(table.name.name)}, {\n${columns.join('\n')}\n}${extra})`
}

function columnBuilder(column: Column, primary: boolean, context: TablePrintContext): string {
  const declared = column.type.kind === 'native' ? column.type.sql : undefined
  const builder = declared === undefined ? undefined : BUILDERS[declared.trim().toUpperCase()]
  let text: string
  if (builder !== undefined) {
    context.used.add(builder)
    text = `${builder}(${str(column.name)})`
  } else {
    context.used.add('native')
    text = `native(${str(declared ?? column.type.kind)})(${str(column.name)})`
    if (declared === undefined) context.skipped.push(`column ${column.name}: type ${column.type.kind} written as is`)
  }
  if (primary) text += column.identity !== undefined ? '.primaryKey({ autoIncrement: true })' : '.primaryKey()'
  if (!column.nullable) text += '.notNull()'
  if (column.default !== undefined) {
    context.used.add('sql')
    text += `.default(sql\`${template(column.default.sql)}\`)`
  }
  if (column.generated !== undefined) {
    context.used.add('sql')
    text += `.generatedAlwaysAs(sql\`${template(column.generated.expr)}\`, { mode: ${column.generated.stored ? "'stored'" : "'virtual'"} })`
  }
  return text
}

function indexBuilder(index: Index, ref: (column: string) => string, context: TablePrintContext): string {
  const fn = index.unique ? 'uniqueIndex' : 'index'
  context.used.add(fn)
  const parts = index.parts.map((p) => {
    if (p.expr !== undefined) {
      context.used.add('sql')
      return `sql\`${template(p.expr)}\``
    }
    // sqlite-core's index columns have no order.
    if (p.descending) context.skipped.push(`index ${index.name}: DESC on ${p.column}`)
    return ref(p.column as string)
  })
  const where = index.where === undefined ? '' : `.where(sql\`${template(index.where)}\`)`
  if (where !== '') context.used.add('sql')
  return `${fn}(${str(index.name)}).on(${parts.join(', ')})${where}`
}
