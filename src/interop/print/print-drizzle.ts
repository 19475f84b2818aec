import type { Column, ColumnType, Index, QualifiedName, Schema, SequenceOptions, Table } from '../../schema/model.js'

/**
 * A Drizzle schema module (drizzle-orm/pg-core) that drizzle-kit, and Keel, would create this schema from:
 * every column, constraint and index named explicitly (so no casing or naming rule can change them),
 * defaults, generated expressions, checks and index expressions as `sql` templates in the server's own
 * spelling, types Drizzle has no builder for through `customType`. Views (whose columns the model does not
 * hold), routines and triggers are listed in `skipped`.
 */
export function printDrizzleSchema(schema: Schema): { text: string; skipped: readonly string[] } {
  const skipped: string[] = []
  const constName = constNamer()
  const namespaces = new Map<string, string>()
  for (const ns of [
    ...schema.namespaces.map((n) => n.name),
    ...[...schema.tables, ...schema.enums, ...schema.sequences].map((o) => o.name.schema ?? 'public'),
  ]) {
    if (ns !== 'public' && !namespaces.has(ns)) namespaces.set(ns, constName(`${ns}Schema`))
  }
  const enumConsts = new Map(schema.enums.map((e) => [key(e.name), constName(e.name.name)]))
  const tableConsts = new Map(schema.tables.map((t) => [key(t.name), constName(t.name.name)]))
  const used = new Set<string>()
  const owner = (name: QualifiedName, fn: string) => {
    const ns = name.schema ?? 'public'
    if (ns === 'public') {
      used.add(fn)
      return fn
    }
    return `${namespaces.get(ns)}.${fn === 'pgTable' ? 'table' : fn === 'pgEnum' ? 'enum' : fn === 'pgSequence' ? 'sequence' : fn}`
  }
  const context: Context = { enumConsts, tableConsts, used, skipped }
  const blocks: string[] = []
  for (const [ns, name] of namespaces) {
    used.add('pgSchema')
    blocks.push(`export const ${name} = pgSchema(${str(ns)})`)
  }
  for (const e of schema.enums) {
    blocks.push(
      `export const ${enumConsts.get(key(e.name))} = ${owner(e.name, 'pgEnum')}(${str(e.name.name)}, [${e.values.map(str).join(', ')}])`,
    )
  }
  for (const s of schema.sequences) {
    blocks.push(
      `export const ${constName(s.name.name)} = ${owner(s.name, 'pgSequence')}(${str(s.name.name)}${sequenceArgs(s)})`,
    )
  }
  for (const table of schema.tables) blocks.push(tableBlock(table, context, owner(table.name, 'pgTable')))
  for (const view of schema.views) skipped.push(`view ${view.name.name} (write it with pgView and its columns)`)
  for (const routine of schema.routines ?? []) skipped.push(`${routine.kind} ${routine.name.name}`)
  for (const trigger of schema.triggers ?? []) skipped.push(`trigger ${trigger.name}`)
  for (const extension of schema.extensions) skipped.push(`extension ${extension.name}`)
  const header = [
    ...(used.has('sql') ? ["import { sql } from 'drizzle-orm'"] : []),
    `import { ${[...used]
      .filter((u) => u !== 'sql' && u !== 'native')
      .sort()
      .join(', ')} } from 'drizzle-orm/pg-core'`,
    ...(used.has('native')
      ? [
          '',
          '/** A column of a type drizzle-orm has no builder for, written as the database spells it. */',
          'const native = (type: string) => customType<{ data: string }>({ dataType: () => type })',
        ]
      : []),
  ]
  if (used.has('native')) used.add('customType')
  header[used.has('sql') ? 1 : 0] = `import { ${[...used]
    .filter((u) => u !== 'sql' && u !== 'native')
    .sort()
    .join(', ')} } from 'drizzle-orm/pg-core'`
  return { text: `${[header.join('\n'), ...blocks].join('\n\n')}\n`, skipped }
}

interface Context {
  readonly enumConsts: ReadonlyMap<string, string>
  readonly tableConsts: ReadonlyMap<string, string>
  readonly used: Set<string>
  readonly skipped: string[]
}

function tableBlock(table: Table, context: Context, fn: string): string {
  const name = context.tableConsts.get(key(table.name)) as string
  const keys = columnKeys(table.columns)
  const ref = (column: string) => `t.${keys.get(column) ?? camel(column)}`
  const inlinePk =
    table.primaryKey?.columns.length === 1 && table.primaryKey.name === `${table.name.name}_pkey`
      ? table.primaryKey.columns[0]
      : undefined
  const columns = table.columns.map(
    (column) => `  ${keys.get(column.name)}: ${columnBuilder(column, column.name === inlinePk, context)},`,
  )
  const extras: string[] = []
  const use = (fnName: string) => context.used.add(fnName)
  if (table.primaryKey !== undefined && inlinePk === undefined) {
    use('primaryKey')
    extras.push(
      `primaryKey({ name: ${str(table.primaryKey.name)}, columns: [${table.primaryKey.columns.map(ref).join(', ')}] })`,
    )
  }
  for (const unique of table.uniques) {
    use('unique')
    extras.push(
      `unique(${str(unique.name)}).on(${unique.columns.map(ref).join(', ')})${unique.nullsNotDistinct ? '.nullsNotDistinct()' : ''}`,
    )
  }
  for (const index of table.indexes) {
    const printed = indexBuilder(index, ref, context)
    if (printed === undefined)
      context.skipped.push(`table ${table.name.name}: index ${index.name} (INCLUDE columns or a collation)`)
    else extras.push(printed)
  }
  for (const fk of table.foreignKeys) {
    use('foreignKey')
    const target = context.tableConsts.get(key(fk.references.table))
    if (target === undefined) {
      context.skipped.push(`table ${table.name.name}: foreign key ${fk.name} to a table outside the schema`)
      continue
    }
    const actions = `${fk.onDelete === 'NO ACTION' ? '' : `.onDelete(${str(fk.onDelete.toLowerCase())})`}${fk.onUpdate === 'NO ACTION' ? '' : `.onUpdate(${str(fk.onUpdate.toLowerCase())})`}`
    if (fk.matchFull || fk.deferrable)
      context.skipped.push(`table ${table.name.name}: foreign key ${fk.name}'s MATCH FULL or DEFERRABLE`)
    extras.push(
      `foreignKey({ name: ${str(fk.name)}, columns: [${fk.columns.map(ref).join(', ')}], foreignColumns: [${fk.references.columns.map((c) => `${target}.${camel(c)}`).join(', ')}] })${actions}`,
    )
  }
  for (const check of table.checks) {
    use('check')
    context.used.add('sql')
    extras.push(`check(${str(check.name)}, sql\`${template(check.expr)}\`)`)
  }
  for (const part of [table.exclusions ?? [], table.policies ?? []].flat())
    context.skipped.push(`table ${table.name.name}: ${part.name}`)
  const extra = extras.length === 0 ? '' : `, (t) => [\n${extras.map((e) => `  ${e},`).join('\n')}\n]`
  return `export const ${name} = ${fn}(${str(table.name.name)}, {\n${columns.join('\n')}\n}${extra})`
}

function columnBuilder(column: Column, primary: boolean, context: Context): string {
  let text = typeBuilder(column, context)
  if (primary) text += '.primaryKey()'
  else if (!column.nullable && !column.serial) text += '.notNull()'
  if (column.identity !== undefined) {
    const options = sequenceOptions(column.identity.sequence ?? {})
    text += `.${column.identity.always ? 'generatedAlwaysAsIdentity' : 'generatedByDefaultAsIdentity'}(${options})`
  }
  if (column.default !== undefined) {
    context.used.add('sql')
    text += `.default(sql\`${template(column.default.sql)}\`)`
  }
  if (column.generated !== undefined) {
    context.used.add('sql')
    text += `.generatedAlwaysAs(sql\`${template(column.generated.expr)}\`)`
  }
  return text
}

function typeBuilder(column: Column, context: Context): string {
  let type = column.type
  let dims = 0
  while (type.kind === 'array') {
    type = type.element
    dims++
  }
  const name = str(column.name)
  const use = (fn: string) => {
    context.used.add(fn)
    return fn
  }
  let text: string
  if (column.serial && type.kind === 'integer') {
    text =
      type.bytes === 8
        ? `${use('bigserial')}(${name}, { mode: 'number' })`
        : `${use(type.bytes === 2 ? 'smallserial' : 'serial')}(${name})`
  } else text = scalarBuilder(type, name, use, context)
  return text + '.array()'.repeat(dims)
}

function scalarBuilder(type: ColumnType, name: string, use: (fn: string) => string, context: Context): string {
  const opts = (o: Record<string, unknown>) => {
    const entries = Object.entries(o).filter(([, v]) => v !== undefined)
    return entries.length === 0
      ? ''
      : `, { ${entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? str(v) : String(v)}`).join(', ')} }`
  }
  switch (type.kind) {
    case 'integer':
      return type.bytes === 8
        ? `${use('bigint')}(${name}, { mode: 'number' })`
        : `${use(type.bytes === 2 ? 'smallint' : 'integer')}(${name})`
    case 'decimal':
      return `${use('numeric')}(${name}${opts({ precision: type.precision, scale: type.scale })})`
    case 'float':
      return `${use(type.bytes === 4 ? 'real' : 'doublePrecision')}(${name})`
    case 'text':
      if (type.fixed) return `${use('char')}(${name}${opts({ length: type.length })})`
      return type.length === undefined
        ? `${use('text')}(${name})`
        : `${use('varchar')}(${name}, { length: ${type.length} })`
    case 'timestamp':
    case 'time':
      return `${use(type.kind)}(${name}${opts({ precision: type.precision, withTimezone: type.withTimeZone ? true : undefined })})`
    case 'interval':
      return `${use('interval')}(${name}${opts({ fields: type.fields, precision: type.precision })})`
    case 'boolean':
    case 'date':
    case 'uuid':
    case 'json':
    case 'jsonb':
      return `${use(type.kind)}(${name})`
    case 'bytes':
      use('native')
      return `native('bytea')(${name})`
    case 'enum':
      return `${context.enumConsts.get(key(type.enum)) ?? camel(type.enum.name)}(${name})`
    case 'array':
      return scalarBuilder(type.element, name, use, context)
    case 'native':
      use('native')
      return type.sql === 'character varying' ? `${use('varchar')}(${name})` : `native(${str(type.sql)})(${name})`
  }
}

function indexBuilder(index: Index, ref: (column: string) => string, context: Context): string | undefined {
  if (index.include.length > 0 || index.parts.some((p) => p.collation !== undefined)) return undefined
  const fn = index.unique ? 'uniqueIndex' : 'index'
  context.used.add(fn)
  const parts = index.parts.map((p) => {
    if (p.expr !== undefined) {
      context.used.add('sql')
      return `sql\`${template(p.expr)}\``
    }
    let text = ref(p.column as string)
    // drizzle-orm keeps NULLS LAST after .desc() unless told otherwise, unlike PostgreSQL's DESC (NULLS FIRST).
    if (p.descending) text += p.nullsFirst === false ? '.desc()' : '.desc().nullsFirst()'
    else if (p.nullsFirst === true) text += '.nullsFirst()'
    if (p.opclass !== undefined) text += `.op(${str(p.opclass)})`
    return text
  })
  const on =
    index.method === undefined ? `.on(${parts.join(', ')})` : `.using(${str(index.method)}, ${parts.join(', ')})`
  const where = index.where === undefined ? '' : `.where(sql\`${template(index.where)}\`)`
  if (where !== '') context.used.add('sql')
  if (index.nullsNotDistinct) context.skipped.push(`index ${index.name}: NULLS NOT DISTINCT`)
  return `${fn}(${str(index.name)})${on}${where}`
}

function sequenceArgs(options: SequenceOptions): string {
  const text = sequenceOptions(options)
  return text === '' ? '' : `, ${text}`
}

function sequenceOptions(options: SequenceOptions): string {
  const map: Record<string, unknown> = {
    startWith: options.start,
    increment: options.increment,
    minValue: options.min,
    maxValue: options.max,
    cache: options.cache,
    cycle: options.cycle,
  }
  const entries = Object.entries(map).filter(([, v]) => v !== undefined)
  return entries.length === 0
    ? ''
    : `{ ${entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? str(v) : String(v)}`).join(', ')} }`
}

function key(name: QualifiedName): string {
  return `${name.schema ?? 'public'}.${name.name}`
}

/** Each column's property name in its table's Drizzle object: camelCase, numbered where two would collide. */
export function columnKeys(columns: readonly Column[]): Map<string, string> {
  const keys = new Map<string, string>()
  const taken = new Set<string>()
  for (const column of columns) {
    let k = camel(column.name)
    for (let n = 2; taken.has(k); n++) k = `${camel(column.name)}${n}`
    taken.add(k)
    keys.set(column.name, k)
  }
  return keys
}

/**
 * The imports of a printed module whose builders (`used`) come from drizzle-orm/`core` (sqlite-core, mysql-core):
 * `sql` from drizzle-orm itself, and `native`, a customType for a type drizzle-orm has no builder for.
 */
/**
 * Names the module's consts: `wanted` in camelCase, numbered from 2 past the names given before and the imports
 * (`sql`, `native`) that a const would shadow.
 */
export function constNamer(): (wanted: string) => string {
  const taken = new Set<string>(['sql', 'native'])
  return (wanted) => {
    let name = camel(wanted)
    for (let n = 2; taken.has(name); n++) name = `${camel(wanted)}${n}`
    taken.add(name)
    return name
  }
}

/** What the table blocks of a one-namespace printer (mysql-core, sqlite-core) share while the module is printed. */
export interface TablePrintContext {
  /** Each table's const, by table name. */
  readonly tableConsts: ReadonlyMap<string, string>
  /** The core's builders the blocks use, for the import line. */
  readonly used: Set<string>
  readonly skipped: string[]
}

/** The consts of `tables` in a one-namespace module, by table name. */
export function tableConstNames(tables: readonly Table[]): ReadonlyMap<string, string> {
  const constName = constNamer()
  return new Map(tables.map((table) => [table.name.name, constName(table.name.name)]))
}

export function drizzleHeader(used: ReadonlySet<string>, core: string): string[] {
  const builders = [...used, ...(used.has('native') ? ['customType'] : [])].filter((u) => u !== 'sql' && u !== 'native')
  return [
    ...(used.has('sql') ? ["import { sql } from 'drizzle-orm'"] : []),
    `import { ${builders.sort().join(', ')} } from 'drizzle-orm/${core}'`,
    ...(used.has('native')
      ? [
          '',
          '/** A column of a type drizzle-orm has no builder for, written as the database spells it. */',
          'const native = (type: string) => customType<{ data: string }>({ dataType: () => type })',
        ]
      : []),
  ]
}

export function camel(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter((w) => w !== '')
  const name = words
    .map((w, i) => (i === 0 ? w[0]?.toLowerCase() + w.slice(1) : (w[0]?.toUpperCase() ?? '') + w.slice(1)))
    .join('')
  return /^[A-Za-z_$]/.test(name) ? name : `_${name}`
}

export function str(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

/** Text inside a `sql` template literal: backticks, `${` and backslashes escaped. */
export function template(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('${', '\\${')
}
