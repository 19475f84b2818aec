import type { ColumnType } from '../../schema/model.js'
import type { CatalogTypeRow } from './queries/catalog-type.js'

/**
 * Turns a column's (or a domain's) catalog type into a ColumnType. Enums are recognised by typtype rather than by
 * their printed name, and so are domains, which stay `native`, named in full so that the name means the same
 * whatever the search_path.
 */
export function columnTypeFromCatalog(type: CatalogTypeRow): ColumnType {
  // A schema repeats a handful of types over thousands of columns: each distinct one is parsed once and its
  // (readonly) ColumnType shared, which also lets normalizeType's cache answer for it without parsing again. The
  // cache is keyed by format_type's text, then the few candidates under it are compared field by field: no key
  // string is built for each column.
  const candidates = catalogTypes.get(type.base_sql)
  if (candidates !== undefined) {
    for (const candidate of candidates) if (sameCatalogType(candidate.type, type)) return candidate.result
  }
  const element = elementType(type)
  const result: ColumnType = type.is_array ? { kind: 'array', element } : element
  if (catalogTypes.size >= CATALOG_TYPES_MAX) catalogTypes.clear()
  const entry = { type: catalogTypeOf(type), result }
  const entries = catalogTypes.get(type.base_sql)
  if (entries === undefined) catalogTypes.set(type.base_sql, [entry])
  else entries.push(entry)
  return result
}

const CATALOG_TYPES_MAX = 4096
const catalogTypes = new Map<string, { readonly type: CatalogTypeRow; readonly result: ColumnType }[]>()

/** The `CatalogTypeRow` fields of a row, alone: the cache keeps them, not the row they came with. */
function catalogTypeOf(row: CatalogTypeRow): CatalogTypeRow {
  const { is_array, base_sql, base_typtype, base_schema, base_name, base_qualified } = row
  return { is_array, base_sql, base_typtype, base_schema, base_name, base_qualified }
}

function sameCatalogType(a: CatalogTypeRow, b: CatalogTypeRow): boolean {
  return (
    a.is_array === b.is_array &&
    a.base_sql === b.base_sql &&
    a.base_typtype === b.base_typtype &&
    a.base_schema === b.base_schema &&
    a.base_name === b.base_name &&
    a.base_qualified === b.base_qualified
  )
}

function elementType(type: CatalogTypeRow): ColumnType {
  if (type.base_typtype === 'e')
    return { kind: 'enum', enum: { schema: type.base_schema ?? 'pg_catalog', name: type.base_name ?? '' } }
  if (type.base_typtype === 'd') return { kind: 'native', sql: type.base_qualified ?? '' }
  // Only built-in types have structure; a user type named like one (public.uuid) is printed qualified.
  if (type.base_schema === null) return parsePostgresType(type.base_sql)
  return { kind: 'native', sql: type.base_sql }
}

const INTEGERS: Readonly<Record<string, 2 | 4 | 8>> = {
  smallint: 2,
  int2: 2,
  integer: 4,
  int: 4,
  int4: 4,
  bigint: 8,
  int8: 8,
}

const SIMPLE: Readonly<Record<string, ColumnType>> = {
  boolean: { kind: 'boolean' },
  bool: { kind: 'boolean' },
  date: { kind: 'date' },
  uuid: { kind: 'uuid' },
  bytea: { kind: 'bytes' },
  json: { kind: 'json' },
  jsonb: { kind: 'jsonb' },
  text: { kind: 'text' },
  real: { kind: 'float', bytes: 4 },
  float4: { kind: 'float', bytes: 4 },
  'double precision': { kind: 'float', bytes: 8 },
  float8: { kind: 'float', bytes: 8 },
  float: { kind: 'float', bytes: 8 },
  // varchar and bpchar without a length are types of their own (not text): kept in format_type's spelling.
  'character varying': { kind: 'native', sql: 'character varying' },
  varchar: { kind: 'native', sql: 'character varying' },
  bpchar: { kind: 'native', sql: 'bpchar' },
}

/**
 * Parses a PostgreSQL type as `format_type` prints it (`timestamp(3) with time zone`, `numeric(10,2)`,
 * `character varying(255)[]`), and the usual aliases (`int4`, `varchar(20)`, `timestamptz`, `bool`), into
 * a ColumnType. Anything else is `native`, kept verbatim. Unquoted text is matched case-insensitively.
 * @example parsePostgresType('numeric(10,2)') // { kind: 'decimal', precision: 10, scale: 2 }
 */
export function parsePostgresType(sql: string): ColumnType {
  const text = sql.trim().replace(/\s+/g, ' ')
  const array = /^(.*?)(?:\s*\[\d*\])+$/.exec(text) ?? /^(.*?) array(?:\s*\[\d*\])?$/i.exec(text)
  if (array?.[1] !== undefined) return { kind: 'array', element: parsePostgresType(array[1]) }
  if (text.includes('"')) return { kind: 'native', sql: text }
  return (
    parseScalar(
      text
        .toLowerCase()
        .replace(/\s*\(\s*/g, '(')
        .replace(/\s*,\s*/g, ',')
        .replace(/\s*\)/g, ')'),
    ) ?? {
      kind: 'native',
      sql: text,
    }
  )
}

function parseScalar(text: string): ColumnType | undefined {
  const integer = INTEGERS[text]
  if (integer !== undefined) return { kind: 'integer', bytes: integer }
  const simple = SIMPLE[text]
  if (simple !== undefined) return simple
  return (
    parseNumeric(text) ?? parseCharacter(text) ?? parseDateTime(text) ?? parseInterval(text) ?? parseFloatType(text)
  )
}

function parseNumeric(text: string): ColumnType | undefined {
  const match = /^(?:numeric|decimal)(?:\((\d+)(?:,(-?\d+))?\))?$/.exec(text)
  if (!match) return undefined
  const [, precision, scale] = match
  if (precision === undefined) return { kind: 'decimal' }
  return { kind: 'decimal', precision: Number(precision), ...(scale === undefined ? {} : { scale: Number(scale) }) }
}

function parseCharacter(text: string): ColumnType | undefined {
  const varying = /^(?:character varying|varchar)\((\d+)\)$/.exec(text)
  if (varying) return { kind: 'text', length: Number(varying[1]) }
  const fixed = /^(?:character|char|bpchar)(?:\((\d+)\))?$/.exec(text)
  // `char` alone is char(1); bare `bpchar` (unlimited) is matched earlier as a native type.
  if (fixed) return { kind: 'text', length: Number(fixed[1] ?? 1), fixed: true }
  return undefined
}

function parseDateTime(text: string): ColumnType | undefined {
  const match =
    /^(timestamp|time)(?:\((\d+)\))?(?: (with|without) time zone)?$/.exec(text) ??
    /^(timestamptz|timetz)(?:\((\d+)\))?()$/.exec(text)
  if (!match) return undefined
  const [, base = '', precision, zone] = match
  const kind = base.startsWith('timestamp') ? 'timestamp' : 'time'
  const withTimeZone = zone === 'with' || base.endsWith('tz')
  return { kind, withTimeZone, ...(precision === undefined ? {} : { precision: Number(precision) }) }
}

const INTERVAL_FIELDS =
  /^interval(?: (year|month|day|hour|minute|second|year to month|day to hour|day to minute|day to second|hour to minute|hour to second|minute to second))?(?:\((\d+)\))?$/

function parseInterval(text: string): ColumnType | undefined {
  const match = INTERVAL_FIELDS.exec(text)
  if (!match) return undefined
  const [, fields, precision] = match
  return {
    kind: 'interval',
    ...(fields === undefined ? {} : { fields: fields.toUpperCase() }),
    ...(precision === undefined ? {} : { precision: Number(precision) }),
  }
}

/** `float(p)`: 1..24 is real, 25..53 double precision (the SQL standard's binary digits). */
function parseFloatType(text: string): ColumnType | undefined {
  const match = /^float\((\d+)\)$/.exec(text)
  if (!match) return undefined
  return { kind: 'float', bytes: Number(match[1]) <= 24 ? 4 : 8 }
}
