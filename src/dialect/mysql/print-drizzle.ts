import type { PrintedSchema } from '../../interop/print/foreign-printers.js'
import {
  camel,
  columnKeys,
  drizzleHeader,
  str,
  type TablePrintContext,
  tableConstNames,
  template,
} from '../../interop/print/print-drizzle.js'
import type { Column, ColumnType, ForeignKey, Index, Schema, Table } from '../../schema/model.js'
import { enumValues } from './prisma-print.js'
import { renderMysqlType } from './type.js'

/**
 * A Drizzle schema module (drizzle-orm/mysql-core) for a MySQL or MariaDB schema, which drizzle-kit, and Keel,
 * would create it from: `mysqlTable`s with mysql-core's builders (int, bigint, smallint, tinyint, mediumint with
 * `unsigned`, boolean, decimal, float, double, varchar, char, text kinds, datetime/timestamp/time with `fsp`, date,
 * year, json, binary, varbinary, mysqlEnum), a type with no builder through `customType`, `.autoincrement()`,
 * `.onUpdateNow()`, defaults and generated expressions as `sql` templates in the server's spelling, every unique,
 * index, foreign key and check named explicitly. What mysql-core cannot say (FULLTEXT and SPATIAL indexes,
 * prefix and descending index columns, collations, comments, engines; views, triggers, routines) is listed in
 * `skipped`.
 */
export function printDrizzleMysqlSchema(schema: Schema): PrintedSchema {
  const skipped: string[] = []
  const used = new Set<string>(['mysqlTable'])
  const tableConsts = tableConstNames(schema.tables)
  const blocks = schema.tables.map((table) => tableBlock(table, { tableConsts, used, skipped }))
  for (const view of schema.views) skipped.push(`view ${view.name.name} (write it with mysqlView and its columns)`)
  for (const routine of schema.routines ?? []) skipped.push(`${routine.kind} ${routine.name.name}`)
  for (const trigger of schema.triggers ?? []) skipped.push(`trigger ${trigger.name}`)
  const header = drizzleHeader(used, 'mysql-core')
  return { text: `${[header.join('\n'), ...blocks].join('\n\n')}\n`, skipped }
}

function tableBlock(table: Table, context: TablePrintContext): string {
  const where = `table ${table.name.name}`
  const keys = columnKeys(table.columns)
  const ref = (column: string) => `t.${keys.get(column) ?? camel(column)}`
  const use = (fn: string) => context.used.add(fn)
  const inlinePk = table.primaryKey?.columns.length === 1 ? table.primaryKey.columns[0] : undefined
  const columns = table.columns.map(
    (column) =>
      `  ${keys.get(column.name)}: ${columnBuilder(column, column.name === inlinePk, context, `${where}.${column.name}`)},`,
  )
  const extras: string[] = []
  // MySQL's primary key is always named PRIMARY.
  if (table.primaryKey !== undefined && inlinePk === undefined) {
    use('primaryKey')
    extras.push(`primaryKey({ columns: [${table.primaryKey.columns.map(ref).join(', ')}] })`)
  }
  for (const unique of table.uniques) {
    use('unique')
    extras.push(`unique(${str(unique.name)}).on(${unique.columns.map(ref).join(', ')})`)
  }
  for (const index of table.indexes) {
    // The index MySQL makes for a foreign key (its name, its columns) comes back with the key; drizzle-kit refuses
    // an index named as a foreign key, as the collision it would be.
    if (table.foreignKeys.some((fk) => isForeignKeyIndex(index, fk))) continue
    const printed = indexBuilder(index, ref, context)
    if (printed === undefined) context.skipped.push(`${where}: index ${index.name} (${indexProblem(index)})`)
    else extras.push(printed)
  }
  for (const fk of table.foreignKeys) {
    const target = context.tableConsts.get(fk.references.table.name)
    if (target === undefined) {
      context.skipped.push(`${where}: foreign key ${fk.name} to a table outside the schema`)
      continue
    }
    use('foreignKey')
    const actions = `${fk.onDelete === 'NO ACTION' ? '' : `.onDelete(${str(fk.onDelete.toLowerCase())})`}${fk.onUpdate === 'NO ACTION' ? '' : `.onUpdate(${str(fk.onUpdate.toLowerCase())})`}`
    extras.push(
      `foreignKey({ name: ${str(fk.name)}, columns: [${fk.columns.map(ref).join(', ')}], foreignColumns: [${fk.references.columns.map((c) => `${target}.${camel(c)}`).join(', ')}] })${actions}`,
    )
  }
  for (const check of table.checks) {
    if (check.column !== undefined) {
      context.skipped.push(`${where}: check on column ${check.column} (mysql-core writes table checks)`)
      continue
    }
    use('check')
    use('sql')
    extras.push(`check(${str(check.name)}, sql\`${template(check.expr)}\`)`)
  }
  const mysql = table.ext?.mysql
  if (mysql?.collation !== undefined) context.skipped.push(`${where}: collation ${mysql.collation}`)
  if (mysql?.engine !== undefined) context.skipped.push(`${where}: ENGINE=${mysql.engine}`)
  if (mysql?.rowFormat !== undefined) context.skipped.push(`${where}: ROW_FORMAT=${mysql.rowFormat}`)
  if (table.comment !== undefined) context.skipped.push(`${where}: comment`)
  const name = context.tableConsts.get(table.name.name) as string
  const extra = extras.length === 0 ? '' : `, (t) => [\n${extras.map((e) => `  ${e},`).join('\n')}\n]`
  return `export const ${name} = mysqlTable(${str(table.name.name)}, {\n${columns.join('\n')}\n}${extra})`
}

function columnBuilder(column: Column, primary: boolean, context: TablePrintContext, where: string): string {
  let text = typeBuilder(column.type, str(column.name), context)
  if (primary) text += '.primaryKey()'
  else if (!column.nullable) text += '.notNull()'
  if (column.identity !== undefined) text += '.autoincrement()'
  if (column.default !== undefined) {
    context.used.add('sql')
    text += `.default(sql\`${template(column.default.sql)}\`)`
  }
  if (column.onUpdate !== undefined) {
    const precision = column.type.kind === 'timestamp' ? (column.type.precision ?? 0) : undefined
    const now = /^current_timestamp(?:\((\d*)\))?$/i.exec(column.onUpdate)
    // .onUpdateNow() is datetime's and timestamp's, and writes CURRENT_TIMESTAMP of the column's own precision.
    if (precision !== undefined && now !== null && Number(now[1] || 0) === precision) text += '.onUpdateNow()'
    else context.skipped.push(`${where}: ON UPDATE ${column.onUpdate}`)
  }
  if (column.generated !== undefined) {
    context.used.add('sql')
    text += `.generatedAlwaysAs(sql\`${template(column.generated.expr)}\`, { mode: ${column.generated.stored ? "'stored'" : "'virtual'"} })`
  }
  if (column.collation !== undefined) context.skipped.push(`${where}: collation ${column.collation}`)
  if (column.comment !== undefined) context.skipped.push(`${where}: comment`)
  return text
}

const NATIVE_BUILDERS: Readonly<Record<string, string>> = {
  tinyint: 'tinyint',
  mediumint: 'mediumint',
  tinytext: 'tinytext',
  mediumtext: 'mediumtext',
  longtext: 'longtext',
  year: 'year',
}

/** The mysql-core builder whose getSQLType() is the column's type, or `native(...)` where none is. */
function typeBuilder(type: ColumnType, name: string, context: TablePrintContext): string {
  const use = (fn: string) => {
    context.used.add(fn)
    return fn
  }
  const opts = (o: Record<string, string | number | boolean | undefined>) => {
    const entries = Object.entries(o).filter(([, v]) => v !== undefined)
    return entries.length === 0
      ? ''
      : `, { ${entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? str(v) : String(v)}`).join(', ')} }`
  }
  switch (type.kind) {
    case 'integer': {
      const fn = type.bytes === 2 ? 'smallint' : type.bytes === 8 ? 'bigint' : 'int'
      return `${use(fn)}(${name}${opts({ mode: type.bytes === 8 ? 'number' : undefined, unsigned: type.unsigned })})`
    }
    case 'boolean':
    case 'date':
    case 'json':
      return `${use(type.kind)}(${name})`
    case 'decimal':
      return `${use('decimal')}(${name}${opts({ precision: type.precision, scale: type.scale })})`
    case 'float':
      return `${use(type.bytes === 4 ? 'float' : 'double')}(${name})`
    case 'text':
      if (type.length === undefined) return `${use('text')}(${name})`
      return `${use(type.fixed ? 'char' : 'varchar')}(${name}, { length: ${type.length} })`
    case 'timestamp':
      return `${use(type.withTimeZone ? 'timestamp' : 'datetime')}(${name}${opts({ fsp: type.precision })})`
    case 'time':
      return `${use('time')}(${name}${opts({ fsp: type.precision })})`
    case 'native': {
      const unsigned = /^(tinyint|mediumint) unsigned$/.exec(type.sql)
      if (unsigned !== null) return `${use(unsigned[1] as string)}(${name}, { unsigned: true })`
      const builder = NATIVE_BUILDERS[type.sql]
      if (builder !== undefined) return `${use(builder)}(${name})`
      const sized = /^(binary|varbinary)\((\d+)\)$/.exec(type.sql)
      if (sized !== null) return `${use(sized[1] as string)}(${name}, { length: ${sized[2]} })`
      const values = enumValues(type.sql)
      // mysql-core writes enum values unescaped: a value with a quote or backslash stays native.
      if (values?.every((v) => !/['\\]/.test(v))) return `${use('mysqlEnum')}(${name}, [${values.map(str).join(', ')}])`
      use('native')
      return `native(${str(type.sql)})(${name})`
    }
    default:
      use('native')
      return `native(${str(renderMysqlType(type))})(${name})`
  }
}

function isForeignKeyIndex(index: Index, fk: ForeignKey): boolean {
  return (
    index.name === fk.name &&
    !index.unique &&
    indexProblem(index) === undefined &&
    index.parts.length === fk.columns.length &&
    index.parts.every((p, i) => p.column === fk.columns[i])
  )
}

/** Why mysql-core cannot write an index, or undefined when it can. */
function indexProblem(index: Index): string | undefined {
  if (index.method !== undefined) return `a ${index.method} index`
  if (index.parts.some((p) => p.length !== undefined)) return 'a prefix length'
  if (index.parts.some((p) => p.descending)) return 'a descending column'
  if (index.invisible) return 'invisible'
  if (index.comment !== undefined) return 'a comment'
  return undefined
}

function indexBuilder(index: Index, ref: (column: string) => string, context: TablePrintContext): string | undefined {
  if (indexProblem(index) !== undefined) return undefined
  const fn = index.unique ? 'uniqueIndex' : 'index'
  context.used.add(fn)
  const parts = index.parts.map((p) => {
    if (p.expr === undefined) return ref(p.column as string)
    context.used.add('sql')
    return `sql\`${template(p.expr)}\``
  })
  return `${fn}(${str(index.name)}).on(${parts.join(', ')})`
}
