import { deepEqual } from '../../schema/equal.js'
import type {
  Column,
  ColumnType,
  ForeignKey,
  Index,
  IndexPart,
  QualifiedName,
  ReferentialAction,
  Schema,
  Table,
} from '../../schema/model.js'
import { type PrismaNames, prismaNames } from '../../source/prisma/constraint-names.js'
import type { PrismaScalar } from '../../source/prisma/datamodel.js'
import type { PrismaFieldType, PrismaPrinting } from './prisma-printing.js'

/** A Prisma schema for a Keel schema, and what it could not express (each a line for the user). */
export interface PrintedPrisma {
  readonly text: string
  readonly skipped: readonly string[]
}

/**
 * The Prisma schema that Prisma Migrate would create this schema from, as `prisma db pull` writes one, for the
 * dialect's provider (`printing`, from the dialect's folder): a model per table (`@@map`/`@map` where a name is
 * no PSL identifier), Prisma's scalars with `@db.*` where the column is not the scalar's own type, keys, unique,
 * plain, prefix and full-text indexes with `map:` where the name is not Prisma's default, relations on both sides
 * with their actions. What PSL cannot say (checks, views, expression or partial indexes, generated columns,
 * identity columns on PostgreSQL, NOT NULL arrays, functions, triggers, and what the dialect adds) is listed in
 * `skipped` and left out.
 */
export function printPrismaSchema(declared: Schema, printing: PrismaPrinting): PrintedPrisma {
  const schema = printing.prepare?.(declared) ?? declared
  const skipped: string[] = []
  const namespaces = [...new Set([...schema.tables, ...schema.enums].map((o) => o.name.schema ?? 'public'))].sort()
  const multiSchema = namespaces.some((n) => n !== 'public')
  const modelNames = uniqueNames(schema.tables.map((t) => t.name.name))
  const enumNames = uniqueNames(
    schema.enums.map((e) => e.name.name),
    new Set(modelNames.values()),
  )
  const modelOf = (name: QualifiedName) => modelNames.get(name.name) ?? name.name
  const context: Context = {
    schema,
    skipped,
    multiSchema,
    modelOf,
    enumOf: (n) => enumNames.get(n.name) ?? n.name,
    printing,
    names: prismaNames(printing.maxIdentifierLength),
  }
  const blocks = [
    `datasource db {\n  provider = ${JSON.stringify(printing.provider)}\n  url      = env("DATABASE_URL")${multiSchema ? `\n  schemas  = [${namespaces.map((n) => JSON.stringify(n)).join(', ')}]` : ''}\n}`,
    'generator client {\n  provider = "prisma-client-js"\n}',
    ...schema.enums.map((e) => {
      const name = context.enumOf(e.name)
      const values = e.values.map((v) => (identifier(v) ? `  ${v}` : `  ${enumMember(v)} @map(${JSON.stringify(v)})`))
      return `enum ${name} {\n${values.join('\n')}${name !== e.name.name ? `\n\n  @@map(${JSON.stringify(e.name.name)})` : ''}${schemaAttr(e.name, context)}\n}`
    }),
    ...schema.tables.map((table) => modelBlock(table, context)),
  ]
  for (const view of schema.views) skipped.push(`view ${view.name.name}: Prisma Migrate does not manage views`)
  for (const sequence of schema.sequences) skipped.push(`sequence ${sequence.name.name}`)
  for (const routine of schema.routines ?? []) skipped.push(`${routine.kind} ${routine.name.name}`)
  for (const trigger of schema.triggers ?? []) skipped.push(`trigger ${trigger.name}`)
  for (const extension of schema.extensions) skipped.push(`extension ${extension.name}`)
  return { text: `${blocks.join('\n\n')}\n`, skipped }
}

interface Context {
  readonly schema: Schema
  readonly skipped: string[]
  readonly multiSchema: boolean
  readonly modelOf: (name: QualifiedName) => string
  readonly enumOf: (name: QualifiedName) => string
  readonly printing: PrismaPrinting
  readonly names: PrismaNames
}

function modelBlock(table: Table, context: Context): string {
  const { printing } = context
  const name = context.modelOf(table.name)
  const where = `table ${table.name.name}`
  const fieldNames = uniqueNames(table.columns.map((c) => c.name))
  const single = table.primaryKey?.columns.length === 1 ? table.primaryKey.columns[0] : undefined
  // Where a unique constraint is a unique index (MySQL), a one-column one prints as @unique, as db pull writes it.
  const singleUniques = [
    ...table.indexes
      .filter((i) => i.unique && isPlainIndex(i) && i.method === undefined && i.parts.length === 1)
      .map((i) => ({ name: i.name, column: i.parts[0]?.column as string, index: i as Index | undefined })),
    ...(printing.uniquesAreIndexes
      ? table.uniques
          .filter((u) => u.columns.length === 1)
          .map((u) => ({ name: u.name, column: u.columns[0] as string, index: undefined }))
      : []),
  ]
  const uniqueSingles = new Map(singleUniques.map((u) => [u.column, u]))
  const keyName = (key: NonNullable<Table['primaryKey']>) =>
    key.name === context.names.primaryKey(table.name.name) || !printing.primaryKeyNames
  const lines = table.columns.map((column) => {
    const attributes: string[] = []
    const field = fieldNames.get(column.name) as string
    if (column.name === single) {
      const key = table.primaryKey as NonNullable<Table['primaryKey']>
      attributes.push(keyName(key) ? '@id' : `@id(map: ${JSON.stringify(key.name)})`)
    }
    const unique = uniqueSingles.get(column.name)
    if (unique !== undefined) {
      attributes.push(
        unique.name === context.names.unique(table.name.name, [column.name])
          ? '@unique'
          : `@unique(map: ${JSON.stringify(unique.name)})`,
      )
    }
    const { type, native } = fieldType(column, context, where)
    const fallback = defaultAttribute(column, type, context, `${where}.${column.name}`)
    if (fallback !== undefined) attributes.push(fallback)
    if (native !== undefined) attributes.push(native)
    if (field !== column.name) attributes.push(`@map(${JSON.stringify(column.name)})`)
    if (column.generated !== undefined)
      context.skipped.push(`${where}.${column.name}: generated column (GENERATED ALWAYS AS ...)`)
    // SQLite lets a key column be declared without NOT NULL (its rowid alias is never NULL); Prisma writes NOT NULL.
    const key = printing.keyColumnsNotNull && table.primaryKey?.columns.includes(column.name) === true
    if (key && column.nullable)
      context.skipped.push(`${where}.${column.name}: key column without NOT NULL (Prisma writes NOT NULL)`)
    const optional = column.nullable && column.type.kind !== 'array' && !key ? '?' : ''
    return { field, type: `${type}${optional}`, attributes }
  })
  const relations = relationFields(table, context, new Set(fieldNames.values()))
  const fieldOf = (column: string) => fieldNames.get(column) ?? column
  const block: string[] = []
  if (table.primaryKey !== undefined && single === undefined) {
    const key = table.primaryKey
    block.push(
      `@@id([${key.columns.map(fieldOf).join(', ')}]${keyName(key) ? '' : `, map: ${JSON.stringify(key.name)}`})`,
    )
  }
  for (const index of table.indexes) {
    if (uniqueSingles.get(index.parts[0]?.column as string)?.index === index) continue
    const printed = indexAttribute(index, table, context, fieldOf)
    if (printed !== undefined) block.push(printed)
  }
  if (!printing.uniquesAreIndexes)
    for (const unique of table.uniques)
      context.skipped.push(`${where}: unique constraint ${unique.name} becomes a unique index in Prisma`)
  for (const unique of table.uniques) {
    const columns = unique.columns
    if (printing.uniquesAreIndexes && columns.length === 1) continue
    const fallback = context.names.unique(table.name.name, columns)
    block.push(
      `@@unique([${columns.map(fieldOf).join(', ')}]${unique.name === fallback ? '' : `, map: ${JSON.stringify(unique.name)}`})`,
    )
  }
  for (const check of table.checks) context.skipped.push(`${where}: check ${check.name}`)
  context.skipped.push(...(printing.tableNotes?.(table) ?? []))
  if (name !== table.name.name) block.push(`@@map(${JSON.stringify(table.name.name)})`)
  if (context.multiSchema) block.push(`@@schema(${JSON.stringify(table.name.schema ?? 'public')})`)
  const all = [...lines, ...relations]
  const width = Math.max(...all.map((l) => l.field.length))
  const typeWidth = Math.max(...all.map((l) => l.type.length))
  const body = all.map((l) =>
    `  ${l.field.padEnd(width)} ${l.type.padEnd(typeWidth)} ${l.attributes.join(' ')}`.trimEnd(),
  )
  return `model ${name} {\n${body.join('\n')}${block.length > 0 ? `\n\n${block.map((b) => `  ${b}`).join('\n')}` : ''}\n}`
}

/**
 * An index as `@@index`, `@@unique` or (MySQL) `@@fulltext`, with prefix lengths and descending columns; undefined,
 * with a note in `skipped`, for what PSL cannot write (expressions, predicates, INCLUDE, operator classes, SPATIAL...).
 */
function indexAttribute(
  index: Index,
  table: Table,
  context: Context,
  fieldOf: (column: string) => string,
): string | undefined {
  const where = `table ${table.name.name}`
  const method = index.method === undefined ? undefined : context.printing.indexMethod(index.method)
  const fulltext = method !== undefined && 'fulltext' in method
  if (!isPlainIndex(index) || (index.method !== undefined && method === undefined)) {
    context.skipped.push(
      `${where}: index ${index.name} (expressions, a predicate, INCLUDE, an operator class or a method PSL cannot write)`,
    )
    return undefined
  }
  if (index.invisible || index.comment !== undefined) {
    context.skipped.push(`${where}: index ${index.name}'s ${index.invisible ? 'invisibility' : 'comment'}`)
  }
  const columns = index.parts.map((p) => p.column as string)
  const fields = index.parts.map((p) => `${fieldOf(p.column as string)}${fieldArgs(p)}`)
  const fallback = index.unique
    ? context.names.unique(table.name.name, columns)
    : context.names.index(table.name.name, columns)
  const args = [
    `[${fields.join(', ')}]`,
    ...(index.name === fallback ? [] : [`map: ${JSON.stringify(index.name)}`]),
    ...(method === undefined || !('type' in method) ? [] : [`type: ${method.type}`]),
  ]
  return `@@${fulltext ? 'fulltext' : index.unique ? 'unique' : 'index'}(${args.join(', ')})`
}

/** An index field's arguments: `(length: 10)` (a MySQL prefix), `(sort: Desc)`. */
function fieldArgs(part: IndexPart): string {
  const args = [
    ...(part.length === undefined ? [] : [`length: ${part.length}`]),
    ...(part.descending ? ['sort: Desc'] : []),
  ]
  return args.length === 0 ? '' : `(${args.join(', ')})`
}

function isPlainIndex(index: Index): boolean {
  return (
    index.where === undefined &&
    index.include.length === 0 &&
    index.nullsNotDistinct === undefined &&
    index.parts.every(
      (p) =>
        p.column !== undefined && p.opclass === undefined && p.collation === undefined && p.nullsFirst === undefined,
    )
  )
}

/** Relation fields: the owning side of each foreign key of this table, and the back side of each pointing here. */
function relationFields(table: Table, context: Context, taken: Set<string>) {
  const fields: { field: string; type: string; attributes: string[] }[] = []
  const claim = (wanted: string) => {
    let name = safeIdentifier(wanted)
    for (let n = 2; taken.has(name); n++) name = `${safeIdentifier(wanted)}${n}`
    taken.add(name)
    return name
  }
  const pairCount = (from: QualifiedName, to: QualifiedName) =>
    context.schema.tables
      .filter((t) => sameName(t.name, from))
      .flatMap((t) => t.foreignKeys)
      .filter((fk) => sameName(fk.references.table, to)).length + (sameName(from, to) ? 0 : 0)
  for (const fk of table.foreignKeys) {
    const target = context.modelOf(fk.references.table)
    const named = pairCount(table.name, fk.references.table) > 1 || sameName(table.name, fk.references.table)
    const optional = fk.columns.some((c) => table.columns.find((col) => col.name === c)?.nullable)
    const args = [
      ...(named ? [JSON.stringify(fk.name)] : []),
      `fields: [${fk.columns.map(safeIdentifier).join(', ')}]`,
      `references: [${fk.references.columns.map(safeIdentifier).join(', ')}]`,
      `onDelete: ${action(fk.onDelete)}`,
      `onUpdate: ${action(fk.onUpdate)}`,
      ...(fk.name === context.names.foreignKey(table.name.name, fk.columns) || !context.printing.foreignKeyNames
        ? []
        : [`map: ${JSON.stringify(fk.name)}`]),
    ]
    fields.push({
      field: claim(relationFieldName(fk, target)),
      type: `${target}${optional ? '?' : ''}`,
      attributes: [`@relation(${args.join(', ')})`],
    })
  }
  for (const other of context.schema.tables) {
    for (const fk of other.foreignKeys) {
      if (!sameName(fk.references.table, table.name)) continue
      const source = context.modelOf(other.name)
      const named = pairCount(other.name, table.name) > 1 || sameName(other.name, table.name)
      const oneToOne = isUniqueOn(other, fk.columns)
      fields.push({
        field: claim(`${source}${oneToOne ? '' : 's'}${named ? `_${fk.columns.join('_')}` : ''}`),
        type: `${source}${oneToOne ? '?' : '[]'}`,
        attributes: named ? [`@relation(${JSON.stringify(fk.name)})`] : [],
      })
    }
  }
  return fields
}

function relationFieldName(fk: ForeignKey, target: string): string {
  const [only] = fk.columns
  if (fk.columns.length === 1 && only !== undefined && /_?id$/i.test(only) && only.replace(/_?id$/i, '') !== '')
    return only.replace(/_?id$/i, '')
  return `${target}_${fk.columns.join('_')}`
}

function isUniqueOn(table: Table, columns: readonly string[]): boolean {
  const same = (cols: readonly (string | undefined)[]) =>
    cols.length === columns.length && cols.every((c, i) => c === columns[i])
  return (
    same(table.primaryKey?.columns ?? []) ||
    table.uniques.some((u) => same(u.columns)) ||
    table.indexes.some((i) => i.unique && isPlainIndex(i) && same(i.parts.map((p) => p.column)))
  )
}

function action(value: ReferentialAction): string {
  return {
    'NO ACTION': 'NoAction',
    RESTRICT: 'Restrict',
    CASCADE: 'Cascade',
    'SET NULL': 'SetNull',
    'SET DEFAULT': 'SetDefault',
  }[value]
}

function fieldType(column: Column, context: Context, where: string): { type: string; native?: string } {
  if (column.type.kind === 'array') {
    if (!column.nullable) context.skipped.push(`${where}.${column.name}: NOT NULL (Prisma lists are nullable columns)`)
    const element = scalar(column.type.element, context, `${where}.${column.name}`)
    return { type: `${element.type}[]`, ...(element.native === undefined ? {} : { native: element.native }) }
  }
  const result = scalar(column.type, context, `${where}.${column.name}`)
  if (column.identity !== undefined && !context.printing.identityIsAutoincrement)
    context.skipped.push(`${where}.${column.name}: identity (written as autoincrement, which is serial)`)
  return result
}

/** A column type as a Prisma type: an enum, a scalar with no attribute (the provider's own table), `@db.*`, or Unsupported. */
function scalar(type: ColumnType, context: Context, where: string): { type: string; native?: string } {
  if (type.kind === 'enum') return { type: context.enumOf(type.enum) }
  const { printing } = context
  const bare = (Object.entries(printing.scalarTypes) as [PrismaScalar, ColumnType][]).find(([, t]) =>
    deepEqual(t, type),
  )
  const printed: PrismaFieldType | undefined = bare === undefined ? printing.nativeType(type) : { type: bare[0] }
  if (printed !== undefined) return printed
  const sql = printing.unsupportedSql(type)
  context.skipped.push(`${where}: type ${sql} written as Unsupported("${sql}")`)
  return { type: `Unsupported(${JSON.stringify(sql)})` }
}

/** The `@default(...)` of a column printed as Prisma type `type`: by the dialect's rules, then by the shared ones. */
function defaultAttribute(column: Column, type: string, context: Context, where: string): string | undefined {
  if (column.serial || column.identity !== undefined) return '@default(autoincrement())'
  const own = context.printing.defaultAttribute?.(column, context.skipped, where)
  if (own !== undefined) return own
  const sql = column.default?.sql
  if (sql === undefined) return undefined
  if (/^(now\(\)|CURRENT_TIMESTAMP)$/i.test(sql) && type === 'DateTime') return '@default(now())'
  const literal = /^'((?:[^']|'')*)'(?:::[\w ."]+)?$/.exec(sql)
  if (literal !== null) {
    const value = (literal[1] as string).replaceAll("''", "'")
    if (column.type.kind === 'enum') return `@default(${identifier(value) ? value : enumMember(value)})`
    if (type === 'String' || type === 'Json') return `@default(${JSON.stringify(value)})`
  }
  if (/^-?\d+(\.\d+)?$/.test(sql) && ['Int', 'BigInt', 'Float', 'Decimal'].includes(type)) return `@default(${sql})`
  if ((sql === 'true' || sql === 'false') && type === 'Boolean') return `@default(${sql})`
  return `@default(dbgenerated(${JSON.stringify(sql)}))`
}

function schemaAttr(name: QualifiedName, context: Context): string {
  return context.multiSchema ? `\n  @@schema(${JSON.stringify(name.schema ?? 'public')})` : ''
}

function sameName(a: QualifiedName, b: QualifiedName): boolean {
  return a.name === b.name && (a.schema ?? 'public') === (b.schema ?? 'public')
}

function identifier(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(text)
}

/** An enum value's member name where the value is no PSL identifier (mapped to the value with `@map`). */
function enumMember(value: string): string {
  return safeIdentifier(value)
}

function safeIdentifier(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]/g, '_')
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `x${cleaned}`
}

/** PSL names for database names, unique among themselves and not in `taken`. */
function uniqueNames(names: readonly string[], taken: ReadonlySet<string> = new Set()): Map<string, string> {
  const used = new Set(taken)
  const result = new Map<string, string>()
  for (const name of names) {
    let candidate = identifier(name) ? name : safeIdentifier(name)
    for (let n = 2; used.has(candidate); n++) candidate = `${safeIdentifier(name)}${n}`
    used.add(candidate)
    result.set(name, candidate)
  }
  return result
}
