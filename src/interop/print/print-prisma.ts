import type {
  Column,
  ColumnType,
  ForeignKey,
  Index,
  QualifiedName,
  ReferentialAction,
  Schema,
  Table,
} from '../../schema/model.js'
import { type PrismaNames, prismaNames } from '../../source/prisma/constraint-names.js'

/** A Prisma schema for a Keel schema, and what it could not express (each a line for the user). */
export interface PrintedPrisma {
  readonly text: string
  readonly skipped: readonly string[]
}

/** The datasource providers Keel prints for: PostgreSQL's (PGlite's too) and SQLite's. */
export type PrismaPrintProvider = 'postgresql' | 'sqlite'

const NAMES = prismaNames(63)
/** Prisma does not shorten default names on SQLite, which keeps identifiers of any length. */
const UNSHORTENED_NAMES = prismaNames(Number.POSITIVE_INFINITY)

/**
 * SQLite's declared types as Prisma Migrate writes each scalar (dialect/sqlite/prisma-provider.ts), as the model
 * type that prints as that scalar with no `@db.*` attribute; any other declared type is Unsupported("...").
 */
const SQLITE_SCALARS: Readonly<Record<string, ColumnType>> = {
  TEXT: { kind: 'text' },
  BOOLEAN: { kind: 'boolean' },
  INTEGER: { kind: 'integer', bytes: 4 },
  BIGINT: { kind: 'integer', bytes: 8 },
  REAL: { kind: 'float', bytes: 8 },
  DECIMAL: { kind: 'decimal', precision: 65, scale: 30 },
  DATETIME: { kind: 'timestamp', withTimeZone: false, precision: 3 },
  JSONB: { kind: 'jsonb' },
  BLOB: { kind: 'bytes' },
}

/** A SQLite schema with each declared type Prisma writes for a scalar read as that scalar. */
function sqliteScalars(schema: Schema): Schema {
  const scalar = (type: ColumnType): ColumnType =>
    type.kind === 'native' ? (SQLITE_SCALARS[type.sql.trim().toUpperCase()] ?? type) : type
  return {
    ...schema,
    tables: schema.tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, type: scalar(c.type) })) })),
  }
}

/**
 * The Prisma schema (PostgreSQL) that Prisma Migrate would create this schema from, as `prisma db pull`
 * writes one: a model per table (`@@map`/`@map` where a name is no PSL identifier), Prisma's scalars with
 * `@db.*` where the column is not Prisma's default type, keys, unique and plain indexes with `map:` where
 * the name is not Prisma's default, relations on both sides with their actions. What PSL cannot say (checks,
 * views, expression or partial indexes, identity columns, unique constraints as opposed to indexes,
 * NOT NULL arrays, functions...) is listed in `skipped` and left out.
 */
export function printPrismaSchema(declared: Schema, provider: PrismaPrintProvider = 'postgresql'): PrintedPrisma {
  const sqlite = provider === 'sqlite'
  const schema = sqlite ? sqliteScalars(declared) : declared
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
    sqlite,
    names: sqlite ? UNSHORTENED_NAMES : NAMES,
  }
  const blocks = [
    `datasource db {\n  provider = ${JSON.stringify(provider)}\n  url      = env("DATABASE_URL")${multiSchema ? `\n  schemas  = [${namespaces.map((n) => JSON.stringify(n)).join(', ')}]` : ''}\n}`,
    'generator client {\n  provider = "prisma-client-js"\n}',
    ...schema.enums.map((e) => {
      const name = context.enumOf(e.name)
      const values = e.values.map((v) =>
        identifier(v) ? `  ${v}` : `  ${safeIdentifier(v)} @map(${JSON.stringify(v)})`,
      )
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
  /** SQLite: an AUTOINCREMENT key is Prisma's autoincrement(), and key columns are NOT NULL as Prisma writes them. */
  readonly sqlite: boolean
  readonly names: PrismaNames
}

function modelBlock(table: Table, context: Context): string {
  const name = context.modelOf(table.name)
  const where = `table ${table.name.name}`
  const fieldNames = uniqueNames(table.columns.map((c) => c.name))
  const single = table.primaryKey?.columns.length === 1 ? table.primaryKey.columns[0] : undefined
  const uniqueSingles = new Map(
    table.indexes
      .filter((i) => i.unique && isPlainIndex(i) && i.parts.length === 1)
      .map((i) => [i.parts[0]?.column as string, i]),
  )
  const lines = table.columns.map((column) => {
    const attributes: string[] = []
    const field = fieldNames.get(column.name) as string
    if (column.name === single) {
      const key = table.primaryKey as NonNullable<Table['primaryKey']>
      // SQLite keeps no constraint names for Prisma to map.
      attributes.push(
        key.name === context.names.primaryKey(table.name.name) || context.sqlite
          ? '@id'
          : `@id(map: ${JSON.stringify(key.name)})`,
      )
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
    const fallback = defaultAttribute(column, context, where)
    if (fallback !== undefined) attributes.push(fallback)
    if (native !== undefined) attributes.push(native)
    if (field !== column.name) attributes.push(`@map(${JSON.stringify(column.name)})`)
    // SQLite lets a key column be declared without NOT NULL (its rowid alias is never NULL); Prisma writes NOT NULL.
    const key = context.sqlite && table.primaryKey?.columns.includes(column.name) === true
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
      `@@id([${key.columns.map(fieldOf).join(', ')}]${key.name === context.names.primaryKey(table.name.name) || context.sqlite ? '' : `, map: ${JSON.stringify(key.name)}`})`,
    )
  }
  for (const index of table.indexes) {
    if (!isPlainIndex(index)) {
      context.skipped.push(
        `${where}: index ${index.name} (expressions, a predicate, INCLUDE or an operator class PSL cannot write)`,
      )
      continue
    }
    if (index.unique && index.parts.length === 1 && uniqueSingles.get(index.parts[0]?.column as string) === index)
      continue
    const columns = index.parts.map((p) => p.column as string)
    const fields = index.parts.map((p) => `${fieldOf(p.column as string)}${p.descending ? '(sort: Desc)' : ''}`)
    const fallback = index.unique
      ? context.names.unique(table.name.name, columns)
      : context.names.index(table.name.name, columns)
    const args = [
      `[${fields.join(', ')}]`,
      ...(index.name === fallback ? [] : [`map: ${JSON.stringify(index.name)}`]),
      ...(index.method === undefined ? [] : [`type: ${methodName(index.method)}`]),
    ]
    block.push(`@@${index.unique ? 'unique' : 'index'}(${args.join(', ')})`)
  }
  for (const unique of table.uniques)
    context.skipped.push(`${where}: unique constraint ${unique.name} becomes a unique index in Prisma`)
  for (const unique of table.uniques) {
    const columns = unique.columns
    const fallback = context.names.unique(table.name.name, columns)
    block.push(
      `@@unique([${columns.map(fieldOf).join(', ')}]${unique.name === fallback ? '' : `, map: ${JSON.stringify(unique.name)}`})`,
    )
  }
  for (const check of table.checks) context.skipped.push(`${where}: check ${check.name}`)
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

function methodName(method: string): string {
  return { hash: 'Hash', gist: 'Gist', gin: 'Gin', spgist: 'SpGist', brin: 'Brin', btree: 'BTree' }[method] ?? method
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
      ...(fk.name === context.names.foreignKey(table.name.name, fk.columns) || context.sqlite
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
  // SQLite's AUTOINCREMENT is what Prisma's autoincrement() writes there.
  if (column.identity !== undefined && !context.sqlite)
    context.skipped.push(`${where}.${column.name}: identity (written as autoincrement, which is serial)`)
  return result
}

function scalar(type: ColumnType, context: Context, where: string): { type: string; native?: string } {
  switch (type.kind) {
    case 'integer':
      return type.bytes === 8
        ? { type: 'BigInt' }
        : type.bytes === 2
          ? { type: 'Int', native: '@db.SmallInt' }
          : { type: 'Int' }
    case 'decimal':
      return type.precision === 65 && type.scale === 30
        ? { type: 'Decimal' }
        : {
            type: 'Decimal',
            native: type.precision === undefined ? '@db.Decimal' : `@db.Decimal(${type.precision}, ${type.scale ?? 0})`,
          }
    case 'float':
      return type.bytes === 4 ? { type: 'Float', native: '@db.Real' } : { type: 'Float' }
    case 'text':
      if (type.fixed) return { type: 'String', native: `@db.Char(${type.length ?? 1})` }
      return type.length === undefined ? { type: 'String' } : { type: 'String', native: `@db.VarChar(${type.length})` }
    case 'boolean':
      return { type: 'Boolean' }
    case 'timestamp':
      if (!type.withTimeZone && type.precision === 3) return { type: 'DateTime' }
      return {
        type: 'DateTime',
        native: `@db.${type.withTimeZone ? 'Timestamptz' : 'Timestamp'}${type.precision === undefined ? '' : `(${type.precision})`}`,
      }
    case 'time':
      return {
        type: 'DateTime',
        native: `@db.${type.withTimeZone ? 'Timetz' : 'Time'}${type.precision === undefined ? '' : `(${type.precision})`}`,
      }
    case 'date':
      return { type: 'DateTime', native: '@db.Date' }
    case 'uuid':
      return { type: 'String', native: '@db.Uuid' }
    case 'json':
      return { type: 'Json', native: '@db.Json' }
    case 'jsonb':
      return { type: 'Json' }
    case 'bytes':
      return { type: 'Bytes' }
    case 'enum':
      return { type: context.enumOf(type.enum) }
    case 'interval':
    case 'array':
    case 'native': {
      const sql = type.kind === 'native' ? type.sql : type.kind
      context.skipped.push(`${where}: type ${sql} written as Unsupported("${sql}")`)
      return { type: `Unsupported(${JSON.stringify(sql)})` }
    }
  }
}

function defaultAttribute(column: Column, context: Context, where: string): string | undefined {
  if (column.serial || column.identity !== undefined) return '@default(autoincrement())'
  const sql = column.default?.sql
  if (sql === undefined) return undefined
  if (/^(now\(\)|CURRENT_TIMESTAMP)$/i.test(sql)) return '@default(now())'
  const literal = /^'((?:[^']|'')*)'(?:::[\w ."]+)?$/.exec(sql)
  if (literal !== undefined && literal !== null) {
    const value = (literal[1] as string).replaceAll("''", "'")
    if (column.type.kind === 'enum')
      return identifier(value) ? `@default(${value})` : `@default(dbgenerated(${JSON.stringify(sql)}))`
    if (column.type.kind === 'text' || column.type.kind === 'jsonb' || column.type.kind === 'json')
      return `@default(${JSON.stringify(value)})`
  }
  if (/^-?\d+(\.\d+)?$/.test(sql) && ['integer', 'decimal', 'float'].includes(column.type.kind))
    return `@default(${sql})`
  if ((sql === 'true' || sql === 'false') && column.type.kind === 'boolean') return `@default(${sql})`
  void context
  void where
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
