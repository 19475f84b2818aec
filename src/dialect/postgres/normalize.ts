import { assertNever } from '../../assert-never.js'
import type {
  Check,
  Column,
  ColumnType,
  EnumType,
  Extension,
  ForeignKey,
  Identity,
  Index,
  IndexPart,
  Namespace,
  QualifiedName,
  Schema,
  Sequence,
  Table,
  UniqueConstraint,
  View,
} from '../../schema/model.js'
import { normalizeExclusions, normalizePostgresExt, normalizeRulesOf } from './normalize-partitions.js'
import { normalizeRoutinesOf } from './normalize-routines.js'
import { normalizeSecurityOf } from './normalize-security.js'
import { parsePostgresType } from './parse-type.js'
import { normalizeSequenceOptions } from './sequence-options.js'

/** The namespace PostgreSQL resolves unqualified names in (Keel's default search_path). */
export const DEFAULT_NAMESPACE = 'public'

/**
 * Rewrites a schema into PostgreSQL's canonical spelling, so that an introspected schema and a declared
 * one compare by plain equality. Pure and idempotent. It:
 * - fills `public` into every QualifiedName without a namespace (tables, enums, sequences, views, FK
 *   targets, enum column types, view dependencies, OWNED BY);
 * - sorts the unordered lists by name (namespaces, extensions, enums, sequences, tables, views, indexes,
 *   uniques, checks, foreign keys, view dependencies), never columns, index parts or INCLUDE columns;
 * - drops optional fields that hold PostgreSQL's defaults (btree, NULLS LAST for ASC, sequence options,
 *   `public` as an extension's schema, numeric scale 0, time precision 6, empty comments, ...);
 * - resolves aliases (`int4`, `varchar(20)`, `timestamptz`; `serial` as a type becomes `serial: true`),
 *   and states what the server implies (primary key, serial and identity columns are NOT NULL);
 * - trims a view's definition of surrounding blanks and its final semicolon;
 * - puts privileges, row-level security, policies and collations in canonical form (normalize-security.ts).
 */
export function normalizePostgres(schema: Schema): Schema {
  const routines = normalizeRoutinesOf(normalizeRulesOf(normalizeObjects(schema), qualifyName), {
    qualifyName,
    normalizeType,
  })
  return normalizeSecurityOf(routines, qualifyName)
}

function normalizeObjects(schema: Schema): Schema {
  return {
    ...schema,
    namespaces: sortBy(schema.namespaces.filter((n) => n.name !== DEFAULT_NAMESPACE).map(normalizeNamespace), (n) => [
      n.name,
    ]),
    extensions: sortBy(schema.extensions.map(normalizeExtension), (e) => [e.name]),
    enums: sortByName(schema.enums.map(normalizeEnum)),
    sequences: sortByName(schema.sequences.map(normalizeSequence)),
    tables: sortByName(schema.tables.map(normalizeTable)),
    views: sortByName(schema.views.map(normalizeView)),
  }
}

/** A name with the default namespace filled in. */
export function qualifyName(name: QualifiedName): QualifiedName {
  return name.schema === undefined ? { schema: DEFAULT_NAMESPACE, name: name.name } : name
}

function normalizeNamespace(namespace: Namespace): Namespace {
  return overlay(namespace, { comment: nonEmpty(namespace.comment) })
}

function normalizeExtension(extension: Extension): Extension {
  return overlay(extension, { schema: extension.schema === DEFAULT_NAMESPACE ? undefined : extension.schema })
}

function normalizeEnum(type: EnumType): EnumType {
  return overlay(type, { name: qualifyName(type.name), comment: nonEmpty(type.comment) })
}

function normalizeSequence(sequence: Sequence): Sequence {
  const { name, ownedBy, comment, type, start, increment, min, max, cache, cycle, ...rest } = sequence
  const options = normalizeSequenceOptions({ ...sequence }, type?.bytes ?? 8, false)
  return overlay<Sequence>(rest, {
    name: qualifyName(name),
    ...options,
    ownedBy: ownedBy && { table: qualifyName(ownedBy.table), column: ownedBy.column },
    comment: nonEmpty(comment),
  })
}

function normalizeTable(table: Table): Table {
  const keyColumns = new Set(table.primaryKey?.columns ?? [])
  const postgres = normalizePostgresExt(table.ext?.postgres, qualifyName)
  const { postgres: _, ...otherExt } = table.ext ?? {}
  const ext = postgres ? { ...otherExt, postgres } : otherExt
  return overlay(table, {
    name: qualifyName(table.name),
    columns: table.columns.map((column) => normalizeColumn(column, keyColumns.has(column.name))),
    uniques: sortBy(table.uniques.map(normalizeUnique), (u) => [u.name]),
    indexes: sortBy(table.indexes.map(normalizeIndex), (i) => [i.name]),
    foreignKeys: sortBy(table.foreignKeys.map(normalizeForeignKey), (f) => [f.name]),
    checks: sortBy(table.checks.map(normalizeCheck), (c) => [c.name]),
    exclusions: normalizeExclusions(table.exclusions),
    comment: nonEmpty(table.comment),
    renamedFrom: table.renamedFrom && qualifyName(table.renamedFrom),
    ext: Object.keys(ext).length === 0 ? undefined : ext,
  })
}

const SERIAL_TYPES: Readonly<Record<string, 2 | 4 | 8>> = {
  smallserial: 2,
  serial2: 2,
  serial: 4,
  serial4: 4,
  bigserial: 8,
  serial8: 8,
}

function normalizeColumn(column: Column, inPrimaryKey: boolean): Column {
  const serialBytes = column.type.kind === 'native' ? SERIAL_TYPES[column.type.sql.trim().toLowerCase()] : undefined
  const type: ColumnType =
    serialBytes === undefined ? normalizeType(column.type) : { kind: 'integer', bytes: serialBytes }
  const serial = column.serial === true || serialBytes !== undefined
  const identity = column.identity && normalizeIdentity(column.identity, type)
  // The server adds NOT NULL to primary key, serial and identity columns.
  const nullable = column.nullable && !inPrimaryKey && !serial && identity === undefined
  const collation = column.collation === 'default' || column.collation === '' ? undefined : column.collation
  const comment = nonEmpty(column.comment)
  // overlay(column, { type, nullable, default, identity, serial, collation, comment }), written out: this runs for
  // every column of the database (10,000 at 1,000 tables), and the generic overlay's lookups of each key in an
  // object of overrides were most of normalisation's time. Same keys, same order: the column's own, then `serial`
  // where the column did not say it (the only override that can appear where the column had no such key).
  const result: Record<string, unknown> = {}
  let hasSerial = false
  for (const key in column) {
    let value: unknown
    switch (key) {
      case 'type':
        value = type
        break
      case 'nullable':
        value = nullable
        break
      case 'default':
        value = serial ? undefined : column.default
        break
      case 'identity':
        value = identity
        break
      case 'serial':
        hasSerial = true
        value = serial ? true : undefined
        break
      case 'collation':
        value = collation
        break
      case 'comment':
        value = comment
        break
      default:
        value = (column as unknown as Record<string, unknown>)[key]
    }
    if (value !== undefined) result[key] = value
  }
  if (serial && !hasSerial) result.serial = true
  return result as unknown as Column
}

function normalizeIdentity(identity: Identity, type: ColumnType): Identity {
  const bytes = type.kind === 'integer' ? type.bytes : 8
  const sequence = identity.sequence && normalizeSequenceOptions(identity.sequence, bytes, true)
  return overlay(identity, { sequence: sequence && Object.keys(sequence).length > 0 ? sequence : undefined })
}

/** A column type in its one spelling: aliases parsed, defaults dropped, enum names qualified. */
export function normalizeType(type: ColumnType): ColumnType {
  // Types are readonly and columns share them (columnTypeFromCatalog hands out one object per distinct type),
  // so each distinct object is normalised once.
  const cached = normalizedTypes.get(type)
  if (cached !== undefined) return cached
  const normalized = normalizeTypeOnce(type)
  normalizedTypes.set(type, normalized)
  return normalized
}

const normalizedTypes = new WeakMap<ColumnType, ColumnType>()

function normalizeTypeOnce(type: ColumnType): ColumnType {
  switch (type.kind) {
    case 'native': {
      const parsed = parsePostgresType(type.sql)
      return parsed.kind === 'native' ? parsed : normalizeType(parsed)
    }
    case 'decimal':
      return overlay(type, { scale: type.precision !== undefined && type.scale === 0 ? undefined : type.scale })
    case 'timestamp':
    case 'time':
      // 6 is the largest and the default precision: timestamp(6) and timestamp are the same type.
      return overlay<typeof type>(type, { precision: type.precision === 6 ? undefined : type.precision })
    case 'interval':
      return overlay(type, {
        fields: type.fields?.trim().replace(/\s+/g, ' ').toUpperCase(),
        precision: type.precision === 6 ? undefined : type.precision,
      })
    case 'text':
      // char without a length is char(1).
      return type.fixed === true ? { ...type, length: type.length ?? 1 } : type
    case 'enum':
      return { ...type, enum: qualifyName(type.enum) }
    case 'array': {
      // PostgreSQL does not distinguish int[] from int[][]: one array level, of a non-array element.
      const element = normalizeType(type.element)
      return element.kind === 'array' ? element : { ...type, element }
    }
    case 'integer':
    case 'float':
    case 'boolean':
    case 'date':
    case 'uuid':
    case 'bytes':
    case 'json':
    case 'jsonb':
      return type
    default:
      return assertNever(type)
  }
}

function normalizeUnique(unique: UniqueConstraint): UniqueConstraint {
  return overlay(unique, {
    nullsNotDistinct: unique.nullsNotDistinct === true ? true : undefined,
    comment: nonEmpty(unique.comment),
  })
}

/** An index in canonical form: btree and default null ordering omitted. */
export function normalizeIndex(index: Index): Index {
  const method = index.method?.toLowerCase()
  return overlay(index, {
    parts: index.parts.map(normalizeIndexPart),
    method: method === 'btree' || method === '' ? undefined : method,
    where: index.where === '' ? undefined : index.where,
    nullsNotDistinct: index.nullsNotDistinct === true ? true : undefined,
    comment: nonEmpty(index.comment),
  })
}

function normalizeIndexPart(part: IndexPart): IndexPart {
  // Introspection builds parts already in canonical form: they are kept as they are, not copied.
  if (isCanonicalIndexPart(part)) return part
  const descending = part.descending === true
  // NULLS LAST is the default for ASC, NULLS FIRST for DESC.
  const nullsFirst = part.nullsFirst === undefined || part.nullsFirst === descending ? undefined : part.nullsFirst
  return overlay(part, {
    descending: descending ? true : undefined,
    nullsFirst,
    opclass: part.opclass === '' ? undefined : part.opclass,
    collation: part.collation === '' ? undefined : part.collation,
  })
}

/** Whether `normalizeIndexPart` would return a part equal to this one: no undefined field, no default spelled out. */
function isCanonicalIndexPart(part: IndexPart): boolean {
  for (const key in part) if ((part as Record<string, unknown>)[key] === undefined) return false
  if ((part.descending !== undefined && part.descending !== true) || part.opclass === '' || part.collation === '')
    return false
  return part.nullsFirst === undefined || part.nullsFirst !== (part.descending === true)
}

function normalizeForeignKey(foreignKey: ForeignKey): ForeignKey {
  return overlay(foreignKey, {
    references: { ...foreignKey.references, table: qualifyName(foreignKey.references.table) },
    matchFull: foreignKey.matchFull === true ? true : undefined,
    notValid: foreignKey.notValid === true ? true : undefined,
    comment: nonEmpty(foreignKey.comment),
  })
}

function normalizeCheck(check: Check): Check {
  return overlay(check, {
    noInherit: check.noInherit === true ? true : undefined,
    notValid: check.notValid === true ? true : undefined,
    comment: nonEmpty(check.comment),
  })
}

function normalizeView(view: View): View {
  const seen = new Set<string>()
  const dependsOn = view.dependsOn.map(qualifyName).filter((name) => {
    const key = `${name.schema}.${name.name}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return overlay(view, {
    name: qualifyName(view.name),
    // pg_get_viewdef prints a leading space and a closing semicolon: neither is part of the query.
    definition: view.definition.trim().replace(/\s*;$/, ''),
    dependsOn: sortByName(dependsOn.map((name) => ({ name }))).map((d) => d.name),
    indexes: sortBy(view.indexes.map(normalizeIndex), (i) => [i.name]),
    comment: nonEmpty(view.comment),
    renamedFrom: view.renamedFrom && qualifyName(view.renamedFrom),
  })
}

function nonEmpty(comment: string | undefined): string | undefined {
  return comment === '' ? undefined : comment
}

type Loose<T> = { [K in keyof T]?: T[K] | undefined }

/**
 * `{ ...base, ...fields }` without the keys whose value is undefined (the model omits defaults, never stores
 * undefined), keys in the same order as that spread. Written as two for...in loops rather than as a spread then a
 * filter: a spread object literal followed by fields it overrides takes V8's slow path (about 9 µs a column at 1,000
 * tables, most of normalisation's time and garbage), where these loops build the result directly (0.2 µs).
 */
function overlay<T extends object>(base: Partial<T>, fields: NoInfer<Loose<T>>): T {
  const result: Record<string, unknown> = {}
  const from = base as Record<string, unknown>
  const over = fields as Record<string, unknown>
  for (const key in from) {
    const field = key in over ? over[key] : from[key]
    if (field !== undefined) result[key] = field
  }
  for (const key in over) {
    if (key in from) continue
    const field = over[key]
    if (field !== undefined) result[key] = field
  }
  return result as T
}

/** Sorts by a key tuple, comparing code units (not the locale), so that the order is the same everywhere. */
function sortBy<T>(items: readonly T[], key: (item: T) => readonly string[]): readonly T[] {
  return [...items].sort((a, b) => compareKeys(key(a), key(b)))
}

function sortByName<T extends { readonly name: QualifiedName }>(items: readonly T[]): readonly T[] {
  return sortBy(items, (item) => [item.name.schema ?? '', item.name.name])
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? ''
    const y = b[i] ?? ''
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}
