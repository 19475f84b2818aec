import fc from 'fast-check'
import type {
  Column,
  ColumnType,
  EnumType,
  ForeignKey,
  Index,
  Schema,
  Sequence,
  SequenceValue,
  Table,
} from '../../src/schema/model.js'

/**
 * Random schema pairs for the property-based round trip. A pair is a start schema and a mutation of it,
 * so that the differ meets what real evolutions contain: added, dropped and retyped columns, changed
 * nullability and defaults, new and dropped tables, indexes, uniques, checks, foreign keys and enum values,
 * and created, dropped and altered sequences (with values past 2^53).
 * Column types change only within a family PostgreSQL can cast between (the tables are empty, so any
 * cast that parses succeeds).
 */

const TABLES = ['accounts', 'orders', 'items', 'notes'] as const
const COLUMNS = ['a', 'b', 'c', 'd', 'e', 'f'] as const

/** Types, each with a constant default in PostgreSQL's spelling-independent form (the server normalises it). */
const NUMERIC_FAMILY: readonly ColumnType[] = [
  { kind: 'integer', bytes: 2 },
  { kind: 'integer', bytes: 4 },
  { kind: 'integer', bytes: 8 },
  { kind: 'decimal', precision: 12, scale: 2 },
]
const TEXT_FAMILY: readonly ColumnType[] = [
  { kind: 'text' },
  { kind: 'text', length: 40 },
  { kind: 'text', length: 80 },
]
const OTHER_TYPES: readonly ColumnType[] = [
  { kind: 'boolean' },
  { kind: 'timestamp', withTimeZone: true },
  { kind: 'jsonb' },
  { kind: 'uuid' },
  { kind: 'date' },
  { kind: 'array', element: { kind: 'integer', bytes: 4 } },
]

const defaultFor = (type: ColumnType): string | undefined => {
  switch (type.kind) {
    case 'integer':
    case 'decimal':
      return '7'
    case 'text':
      return "'x'"
    case 'boolean':
      return 'true'
    case 'timestamp':
      return 'now()'
    case 'jsonb':
      return `'{}'`
    case 'date':
      return 'CURRENT_DATE'
    default:
      return undefined
  }
}

const columnArb = (name: string, enumNames: readonly string[]): fc.Arbitrary<Column> =>
  fc
    .record({
      type: fc.constantFrom<ColumnType>(
        ...NUMERIC_FAMILY,
        ...TEXT_FAMILY,
        ...OTHER_TYPES,
        ...enumNames.map((e): ColumnType => ({ kind: 'enum', enum: { schema: 'public', name: e } })),
      ),
      nullable: fc.boolean(),
      withDefault: fc.boolean(),
    })
    .map(({ type, nullable, withDefault }) => {
      const value = defaultFor(type)
      return {
        name,
        type,
        nullable,
        ...(withDefault && value ? { default: { kind: 'sql' as const, sql: value } } : {}),
      }
    })

const tableArb = (name: string, enumNames: readonly string[]): fc.Arbitrary<Table> =>
  fc
    .record({
      columns: fc.subarray([...COLUMNS], { minLength: 1 }),
      withPk: fc.boolean(),
      withIndex: fc.boolean(),
      withUnique: fc.boolean(),
      withCheck: fc.boolean(),
    })
    .chain(({ columns, withPk, withIndex, withUnique, withCheck }) =>
      fc.tuple(...columns.map((c) => columnArb(c, enumNames))).map((cols) => {
        const id: Column = { name: 'id', type: { kind: 'integer', bytes: 8 }, nullable: false }
        const last = cols.at(-1)!
        const numeric = cols.find((c) => c.type.kind === 'integer')
        const indexes: Index[] = withIndex
          ? [{ name: `${name}_${last.name}_idx`, parts: [{ column: last.name }], unique: false, include: [] }]
          : []
        return {
          name: { schema: 'public', name },
          columns: [id, ...cols],
          ...(withPk ? { primaryKey: { name: `${name}_pkey`, columns: ['id'] } } : {}),
          uniques: withUnique ? [{ name: `${name}_${cols[0]!.name}_key`, columns: [cols[0]!.name] }] : [],
          indexes,
          foreignKeys: [],
          checks: withCheck && numeric ? [{ name: `${name}_${numeric.name}_check`, expr: `${numeric.name} > 0` }] : [],
        }
      }),
    )

const enumsArb: fc.Arbitrary<EnumType[]> = fc
  .subarray(['mood', 'state'], { minLength: 0 })
  .chain((names) =>
    fc.tuple(
      ...names.map((n) =>
        fc
          .subarray(['p', 'q', 'r', 's'], { minLength: 1 })
          .map((values): EnumType => ({ name: { schema: 'public', name: n }, values })),
      ),
    ),
  )

/**
 * Bigint sequences whose options come from small pools, some past 2^53 (where a JavaScript number rounds), so
 * that the pair's two versions of a sequence often differ by one option. The pools keep any version valid
 * against any other's current value: an ALTER SEQUENCE that moves MINVALUE above the current value (or MAXVALUE
 * below it) fails, and a fresh sequence's current value is its start, so every start lies between every min and
 * every max.
 */
const START_POOL: readonly SequenceValue[] = [1, 100, '9007199254740993']
const INCREMENT_POOL: readonly (SequenceValue | undefined)[] = [undefined, 3, '9007199254740995']
const MIN_POOL: readonly (SequenceValue | undefined)[] = [undefined, -5, '-9007199254740997']
const MAX_POOL: readonly (SequenceValue | undefined)[] = [undefined, '9007199254740999', '9223372036854775806']

const sequencesArb: fc.Arbitrary<Sequence[]> = fc.subarray(['counter', 'ledger_ids'], { minLength: 0 }).chain((names) =>
  fc.tuple(
    ...names.map((n) =>
      fc
        .record({
          start: fc.constantFrom(...START_POOL),
          increment: fc.constantFrom(...INCREMENT_POOL),
          min: fc.constantFrom(...MIN_POOL),
          max: fc.constantFrom(...MAX_POOL),
          cycle: fc.boolean(),
        })
        // A start of 1 (the default minimum) is left for normalisation to drop.
        .map(
          ({ start, increment, min, max, cycle }): Sequence => ({
            name: { schema: 'public', name: n },
            start,
            ...(increment === undefined ? {} : { increment }),
            ...(min === undefined ? {} : { min }),
            ...(max === undefined ? {} : { max }),
            ...(cycle ? { cycle } : {}),
          }),
        ),
    ),
  ),
)

/** Adds foreign keys from later tables to the primary key of earlier ones (types made to match). */
function withForeignKeys(tables: Table[], picks: readonly boolean[]): Table[] {
  return tables.map((table, i) => {
    const target = tables.slice(0, i).find((t) => t.primaryKey)
    if (!target || !picks[i]) return table
    const column: Column = { name: `${target.name.name}_id`, type: { kind: 'integer', bytes: 8 }, nullable: true }
    const fk: ForeignKey = {
      name: `${table.name.name}_${column.name}_fkey`,
      columns: [column.name],
      references: { table: target.name, columns: ['id'] },
      onDelete: 'CASCADE',
      onUpdate: 'NO ACTION',
    }
    return { ...table, columns: [...table.columns, column], foreignKeys: [fk] }
  })
}

/** A random schema: enums, sequences, then up to four tables with constraints and foreign keys. */
export const schemaArb: fc.Arbitrary<Schema> = fc.tuple(enumsArb, sequencesArb).chain(([enums, sequences]) =>
  fc
    .subarray([...TABLES], { minLength: 1 })
    .chain((names) =>
      fc.tuple(
        fc.tuple(
          ...names.map((n) =>
            tableArb(
              n,
              enums.map((e) => e.name.name),
            ),
          ),
        ),
        fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length }),
      ),
    )
    .map(([tables, picks]) => ({
      namespaces: [],
      extensions: [],
      enums,
      sequences,
      tables: withForeignKeys(tables, picks),
      views: [],
    })),
)

/** Retypes a column within its cast family, so that ALTER COLUMN TYPE parses. */
function retype(column: Column, pick: number): Column {
  const family = [NUMERIC_FAMILY, TEXT_FAMILY].find((f) =>
    f.some((t) => JSON.stringify(t) === JSON.stringify(column.type)),
  )
  if (!family || column.name === 'id' || column.name.endsWith('_id')) return column
  const type = family[pick % family.length]!
  const value = column.default ? defaultFor(type) : undefined
  const { default: _old, ...rest } = column
  return { ...rest, type, ...(value ? { default: { kind: 'sql' as const, sql: value } } : {}) }
}

/**
 * A pair (A, B): B mutates A. Enum values may only be added in B (removing a value in use is a
 * separate, data-dependent decision). Everything else may change either way.
 */
export const schemaPairArb: fc.Arbitrary<readonly [Schema, Schema]> = schemaArb.chain((a) =>
  fc
    .record({
      b: schemaArb,
      keepTable: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      retypes: fc.array(fc.nat(5), { minLength: 8, maxLength: 8 }),
      flipNull: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    })
    .map(({ b, keepTable, retypes, flipNull }) => {
      // Tables kept from A are mutated in place; A's other tables are dropped, and B's tables whose names
      // A does not use are created.
      const kept = a.tables
        .filter((_, i) => keepTable[i])
        .map((table) => ({
          ...table,
          columns: table.columns.map((c, i) => {
            const typed = retype(c, retypes[i % retypes.length]!)
            return c.name === 'id' || !flipNull[i % flipNull.length] ? typed : { ...typed, nullable: !typed.nullable }
          }),
        }))
      const namesInA = new Set(a.tables.map((t) => t.name.name))
      const enums = a.enums.map((e) => {
        const grown = b.enums.find((x) => x.name.name === e.name.name)
        const extra = grown ? grown.values.filter((v) => !e.values.includes(v)) : []
        return { ...e, values: [...e.values, ...extra] }
      })
      const enumNames = new Set(enums.map((e) => e.name.name))
      const fresh = b.tables
        .filter((t) => !namesInA.has(t.name.name))
        .map((t) => ({
          ...t,
          columns: t.columns.filter((c) => c.type.kind !== 'enum' || enumNames.has(c.type.enum.name)),
        }))
        .map((t) => ({ ...t, checks: t.checks.filter((k) => t.columns.some((c) => k.expr.startsWith(`${c.name} `))) }))
        .map((t) => ({ ...t, uniques: t.uniques.filter((u) => t.columns.some((c) => c.name === u.columns[0])) }))
        .map((t) => ({ ...t, indexes: t.indexes.filter((x) => t.columns.some((c) => c.name === x.parts[0]?.column)) }))
      const tables = [...kept, ...fresh].map((t) => ({
        ...t,
        foreignKeys: t.foreignKeys.filter((fk) =>
          [...kept, ...fresh].some((x) => x.name.name === fk.references.table.name && x.primaryKey),
        ),
      }))
      // Sequences are B's own: those in both often differ by an option, past 2^53 or not.
      return [a, { ...a, enums, sequences: b.sequences, tables }] as const
    }),
)
