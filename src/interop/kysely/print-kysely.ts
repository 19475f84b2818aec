import { assertNever } from '../../assert-never.js'
import type { Column, ColumnType, QualifiedName, Schema } from '../../schema/model.js'

/** The columns of a view as the database describes them (views carry no column list in the model). */
export type ViewColumns = ReadonlyMap<string, readonly Pick<Column, 'name' | 'type' | 'nullable'>[]>

/** The key of a relation in `ViewColumns` and in the `DB` interface: `name`, or `schema.name` off `public`. */
export function relationKey(name: QualifiedName, defaultNamespace = 'public'): string {
  return name.schema === undefined || name.schema === defaultNamespace ? name.name : `${name.schema}.${name.name}`
}

/**
 * Kysely's `DB` interface for a schema, as kysely-codegen writes it for PostgreSQL: one interface per table
 * and view (PascalCase names; `schema.table` keys off `public`), `Generated<T>` for columns the database
 * fills in (defaults, serial, identity BY DEFAULT), `GeneratedAlways<T>` for identity ALWAYS and generated
 * columns (never written), `Timestamp`/`Int8`/`Numeric` as `ColumnType`s that accept what node-postgres
 * accepts and return what it returns, enums as unions of their values, `T | null` for nullable columns.
 */
export function printKyselyTypes(schema: Schema, viewColumns: ViewColumns): string {
  const used = new Set<string>()
  const names = new Map<string, string>()
  const typeName = (key: string) => {
    let name = pascal(key)
    for (let n = 2; [...names.values()].includes(name); n++) name = `${pascal(key)}${n}`
    names.set(key, name)
    return name
  }
  const enums = schema.enums.map((e) => {
    const name = typeName(`enum:${relationKey(e.name)}`)
    return { key: nameKey(e.name), name, text: `export type ${name} = ${e.values.map(quote).join(' | ') || 'never'};` }
  })
  const enumNames = new Map(enums.map((e) => [e.key, e.name]))
  const domains = new Map((schema.domains ?? []).map((d) => [nameKey(d.name), d.type]))
  const context: TypeContext = { enumNames, domains, used }
  const relations = [
    ...schema.tables.map((table) => ({ key: relationKey(table.name), columns: table.columns })),
    ...schema.views.map((view) => ({
      key: relationKey(view.name),
      columns: viewColumns.get(relationKey(view.name)) ?? [],
    })),
  ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const interfaces = relations.map((relation) => {
    const name = typeName(relation.key)
    const fields = relation.columns.map((column) => `  ${property(column.name)}: ${columnTs(column, context)};`)
    return { key: relation.key, name, text: `export interface ${name} {\n${fields.join('\n')}\n}` }
  })
  const db = `export interface DB {\n${interfaces.map((i) => `  ${property(i.key)}: ${i.name};`).join('\n')}\n}`
  const helpers = HELPERS.filter((h) => h.needs.some((n) => used.has(n))).map((h) => h.text)
  const imports = [
    ...(helpers.length > 0 ? ["import type { ColumnType } from 'kysely';"] : []),
    ...(used.has('Interval') ? ["import type { IPostgresInterval } from 'postgres-interval';"] : []),
  ]
  return [
    '/**\n * Kysely row types written by `keel types`. Do not edit: run `keel types` again after a schema change.\n */',
    ...(imports.length > 0 ? [imports.join('\n')] : []),
    ...helpers,
    ...enums.map((e) => e.text),
    ...interfaces.map((i) => i.text),
    db,
  ]
    .join('\n\n')
    .concat('\n')
}

interface TypeContext {
  readonly enumNames: ReadonlyMap<string, string>
  readonly domains: ReadonlyMap<string, ColumnType>
  readonly used: Set<string>
}

function columnTs(column: Pick<Column, 'type' | 'nullable'> & Partial<Column>, context: TypeContext): string {
  const base = typeTs(column.type, context)
  const value = column.nullable ? `${base} | null` : base
  if (column.generated !== undefined || column.identity?.always === true) {
    context.used.add('GeneratedAlways')
    return `GeneratedAlways<${value}>`
  }
  if (column.default !== undefined || column.serial === true || column.identity !== undefined) {
    context.used.add('Generated')
    return `Generated<${value}>`
  }
  return value
}

function typeTs(type: ColumnType, context: TypeContext): string {
  const use = (name: string) => {
    context.used.add(name)
    return name
  }
  switch (type.kind) {
    case 'integer':
      return type.bytes === 8 ? use('Int8') : 'number'
    case 'decimal':
      return use('Numeric')
    case 'float':
      return 'number'
    case 'text':
    case 'uuid':
    case 'time':
      return 'string'
    case 'boolean':
      return 'boolean'
    case 'date':
    case 'timestamp':
      return use('Timestamp')
    case 'interval':
      return use('Interval')
    case 'bytes':
      return 'Buffer'
    case 'json':
    case 'jsonb':
      return use('Json')
    case 'enum':
      return context.enumNames.get(nameKey(type.enum)) ?? 'string'
    case 'array': {
      const element = typeTs(type.element, context)
      return /^(string|number|boolean|[A-Z]\w*)$/.test(element) &&
        !['Int8', 'Numeric', 'Timestamp', 'Json', 'Interval'].includes(element)
        ? `${element}[]`
        : `${use('ArrayType')}<${element}>`
    }
    case 'native':
      return nativeTs(type.sql, context)
    default:
      return assertNever(type)
  }
}

/** Types Keel keeps verbatim, as node-postgres returns them (kysely-codegen's PostgreSQL scalars). */
function nativeTs(sql: string, context: TypeContext): string {
  const domain =
    context.domains.get(sql.replaceAll('"', '')) ?? context.domains.get(`public.${sql.replaceAll('"', '')}`)
  if (domain !== undefined) return typeTs(domain, context)
  const name = sql.replace(/\(.*$/, '').trim().toLowerCase()
  if (name === 'oid') return 'number'
  if (name === 'point') {
    context.used.add('Point')
    return 'Point'
  }
  if (name === 'circle') {
    context.used.add('Circle')
    return 'Circle'
  }
  // node-postgres returns every type it has no parser for as a string.
  return 'string'
}

const HELPERS: readonly { readonly needs: readonly string[]; readonly text: string }[] = [
  {
    needs: ['Generated'],
    text: 'export type Generated<T> = T extends ColumnType<infer S, infer I, infer U>\n  ? ColumnType<S, I | undefined, U>\n  : ColumnType<T, T | undefined, T>;',
  },
  {
    needs: ['GeneratedAlways'],
    text: 'export type GeneratedAlways<T> = T extends ColumnType<infer S, infer _I, infer _U>\n  ? ColumnType<S, never, never>\n  : ColumnType<T, never, never>;',
  },
  {
    needs: ['ArrayType'],
    text: 'export type ArrayType<T> = ArrayTypeImpl<T> extends (infer U)[] ? U[] : ArrayTypeImpl<T>;\n\nexport type ArrayTypeImpl<T> = T extends ColumnType<infer S, infer I, infer U> ? ColumnType<S[], I[], U[]> : T[];',
  },
  {
    needs: ['Int8'],
    text: 'export type Int8 = ColumnType<string, bigint | number | string, bigint | number | string>;',
  },
  { needs: ['Numeric'], text: 'export type Numeric = ColumnType<string, number | string, number | string>;' },
  { needs: ['Timestamp'], text: 'export type Timestamp = ColumnType<Date, Date | string, Date | string>;' },
  {
    needs: ['Interval'],
    text: 'export type Interval = ColumnType<IPostgresInterval, IPostgresInterval | number | string, IPostgresInterval | number | string>;',
  },
  {
    needs: ['Json'],
    text: 'export type Json = JsonValue;\n\nexport type JsonArray = JsonValue[];\n\nexport type JsonObject = { [x: string]: JsonValue | undefined };\n\nexport type JsonPrimitive = boolean | number | string | null;\n\nexport type JsonValue = JsonArray | JsonObject | JsonPrimitive;',
  },
  { needs: ['Point'], text: 'export type Point = { x: number; y: number };' },
  { needs: ['Circle'], text: 'export type Circle = { x: number; y: number; radius: number };' },
]

function nameKey(name: QualifiedName): string {
  return `${name.schema ?? 'public'}.${name.name}`
}

/** `billing.invoice_lines` → `BillingInvoiceLines`; a leading digit gets an underscore. */
function pascal(text: string): string {
  const name = text
    .replace(/^enum:/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('')
  return /^[0-9]/.test(name) || name === '' ? `_${name}` : name
}

function property(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name)
}

function quote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}
