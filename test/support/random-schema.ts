import fc from 'fast-check'
import type {
  Check,
  Column,
  ColumnType,
  EnumType,
  ForeignKey,
  Index,
  QualifiedName,
  Routine,
  Schema,
  Sequence,
  SequenceValue,
  Table,
  View,
} from '../../src/schema/model.js'

/**
 * Random schema pairs for the property-based round trip. A pair is a start schema and a mutation of it,
 * so that the differ meets what real evolutions contain: added, dropped and retyped columns, changed
 * nullability and defaults, new and dropped tables, indexes, uniques, checks, foreign keys, enum values
 * added, removed and reordered, and created, dropped and altered sequences (with values past 2^53); and
 * the objects that read what changes (dependents), which PostgreSQL refuses to keep, or re-parses, while
 * a column they read is retyped or dropped or an enum they compare with is recreated: checks, partial and
 * expression indexes, stored generated columns, views (plain and materialized, and views over views) and
 * functions taking an enum.
 *
 * Tables are generated as specs (plain columns and switches), and every dependent is derived from a spec's
 * final columns, so that each side of a pair is valid SQL whatever the mutation dropped or retyped.
 * Column types change only within a family PostgreSQL can cast between (the tables are empty, so any cast
 * that parses succeeds).
 */

const TABLES = ['accounts', 'orders', 'items', 'notes'] as const
const COLUMNS = ['a', 'b', 'c', 'd', 'e', 'f'] as const
const ENUMS = ['mood', 'state'] as const
/** Every version of every enum holds `p`: the literal the dependents compare enum columns with. */
const KEPT_VALUE = 'p'
const OTHER_VALUES = ['q', 'r', 's'] as const

const bigint: ColumnType = { kind: 'integer', bytes: 8 }

/** Types, each with a constant default in PostgreSQL's spelling-independent form (the server normalises it). */
const NUMERIC_FAMILY: readonly ColumnType[] = [
  { kind: 'integer', bytes: 2 },
  { kind: 'integer', bytes: 4 },
  bigint,
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

const inFamily = (family: readonly ColumnType[], type: ColumnType): boolean =>
  family.some((t) => JSON.stringify(t) === JSON.stringify(type))

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
    case 'enum':
      return `'${KEPT_VALUE}'`
    case 'array':
      return type.element.kind === 'enum' ? `'{${KEPT_VALUE}}'` : undefined
    default:
      return undefined
  }
}

const publicName = (name: string): QualifiedName => ({ schema: 'public', name })

// --- Enums and the functions over them -------------------------------------------------------------------

/** An enum's values and whether a SQL function takes it (and which comparison its body makes). */
interface EnumSpec {
  readonly name: string
  readonly values: readonly string[]
  readonly function?: '=' | '<>'
}

/** `p` inserted at a position among `others`. */
const withKeptValue = (others: readonly string[], at: number): string[] => {
  const values = [...others]
  values.splice(at % (values.length + 1), 0, KEPT_VALUE)
  return values
}

const enumSpecArb = (name: string): fc.Arbitrary<EnumSpec> =>
  fc
    .record({
      others: fc.shuffledSubarray([...OTHER_VALUES]),
      at: fc.nat(3),
      fn: fc.constantFrom<EnumSpec['function']>(undefined, undefined, '=', '<>'),
    })
    .map(({ others, at, fn }) => ({ name, values: withKeptValue(others, at), ...(fn ? { function: fn } : {}) }))

/**
 * B's version of an enum: unchanged, grown (ADD VALUE), or any other list that keeps `p` (values removed,
 * reordered and added: the type is recreated). The function may appear, go, or change its body.
 */
const mutateEnum = (a: EnumSpec): fc.Arbitrary<EnumSpec> =>
  fc
    .record({
      mode: fc.constantFrom('same', 'grow', 'free', 'free'),
      kept: fc.shuffledSubarray(a.values.filter((v) => v !== KEPT_VALUE)),
      extra: fc.subarray(['t', 'u', ...OTHER_VALUES.filter((v) => !a.values.includes(v))], { maxLength: 2 }),
      at: fc.array(fc.nat(5), { minLength: 3, maxLength: 3 }),
      fn: fc.constantFrom<EnumSpec['function'] | 'same'>('same', 'same', undefined, '=', '<>'),
    })
    .map(({ mode, kept, extra, at, fn }) => {
      const { function: _, ...base } = a
      const fnB = fn === 'same' ? a.function : fn
      const withFn = { ...base, ...(fnB ? { function: fnB } : {}) }
      if (mode === 'same') return withFn
      if (mode === 'grow') {
        const values = [...a.values]
        for (const [i, v] of extra.entries()) values.splice((at[i] ?? 0) % (values.length + 1), 0, v)
        return { ...withFn, values }
      }
      return { ...withFn, values: withKeptValue([...kept, ...extra], at[2] ?? 0) }
    })

const buildEnum = (spec: EnumSpec): EnumType => ({ name: publicName(spec.name), values: spec.values })

/** `is_<enum>(x <enum>)`, a SQL function over the enum (the diff compares introspected definitions, not this one). */
function buildFunction(spec: EnumSpec): Routine[] {
  if (!spec.function) return []
  const name = `is_${spec.name}`
  return [
    {
      name: publicName(name),
      kind: 'function',
      identityArgs: `x ${spec.name}`,
      arguments: `x ${spec.name}`,
      returns: 'boolean',
      definition:
        `CREATE OR REPLACE FUNCTION public.${name}(x ${spec.name})\n RETURNS boolean\n LANGUAGE sql\n IMMUTABLE\n` +
        `AS $function$ select x ${spec.function} '${KEPT_VALUE}' $function$`,
      dependsOn: [{ kind: 'type', name: publicName(spec.name) }],
    },
  ]
}

// --- Tables and their dependents ------------------------------------------------------------------------

/** A view over a table: which of its plain and generated columns it reads (besides `id`), its kind, a view over it. */
interface ViewSpec {
  readonly reads: readonly boolean[]
  readonly materialized: boolean
  readonly overView: boolean
  /** `WHERE m <> 'p'`, `m` the table's first enum column. */
  readonly filter: boolean
  /** An index on `id`, when the view is materialized. */
  readonly indexed: boolean
}

/**
 * A table as plain columns and switches; `buildTable` derives the rest from the columns it has, so a switch
 * whose column is missing (no numeric column for a generated one, ...) yields nothing.
 */
interface TableSpec {
  readonly name: string
  readonly columns: readonly Column[]
  readonly pk: boolean
  /** A plain index on the last column. */
  readonly index: boolean
  /** A unique constraint on the first column. */
  readonly unique: boolean
  /** `n > 0` on the first numeric column. */
  readonly check: boolean
  /** `m <> 'p'` on the first enum column. */
  readonly enumCheck: boolean
  /** An index on `id` where the first enum column `= 'p'`. */
  readonly partialIndex: boolean
  /** An index on `lower(t)`, `t` the first text column. */
  readonly textIndex: boolean
  /** An index on `(n * 2)`, `n` the first numeric column. */
  readonly numericIndex: boolean
  /** `g bigint GENERATED ALWAYS AS (n * factor) STORED`, `n` the first numeric column; 0 for none. */
  readonly generated: number
  /** `h boolean GENERATED ALWAYS AS (m = 'p') STORED`, `m` the first enum column. */
  readonly enumGenerated: boolean
  /** `is_<enum>(m) IS NOT FALSE`, `m` the first enum column, when the function over its enum exists. */
  readonly functionCheck: boolean
  /** An index on each generated column. */
  readonly generatedIndex: boolean
  /** A foreign key to the first earlier table with a primary key. */
  readonly foreignKey: boolean
  readonly view?: ViewSpec
}

const columnArb = (name: string, enumNames: readonly string[]): fc.Arbitrary<Column> =>
  fc
    .record({
      type: fc.constantFrom<ColumnType>(
        ...NUMERIC_FAMILY,
        ...TEXT_FAMILY,
        ...OTHER_TYPES,
        ...enumNames.map((e): ColumnType => ({ kind: 'enum', enum: publicName(e) })),
        ...enumNames.map((e): ColumnType => ({ kind: 'array', element: { kind: 'enum', enum: publicName(e) } })),
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

/** Mostly false, so that most tables stay small and a pair's two versions differ in a few things. */
const seldom = fc.integer({ min: 0, max: 2 }).map((n) => n === 0)

const viewSpecArb: fc.Arbitrary<ViewSpec | undefined> = fc.option(
  fc.record({
    reads: fc.array(fc.boolean(), { minLength: COLUMNS.length + 2, maxLength: COLUMNS.length + 2 }),
    materialized: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    overView: seldom,
    filter: seldom,
    indexed: fc.boolean(),
  }),
  { freq: 2 },
)

const tableSpecArb = (name: string, enumNames: readonly string[]): fc.Arbitrary<TableSpec> =>
  fc
    .record({
      names: fc.subarray([...COLUMNS], { minLength: 1 }),
      pk: fc.boolean(),
      index: fc.boolean(),
      unique: fc.boolean(),
      check: fc.boolean(),
      enumCheck: seldom,
      partialIndex: seldom,
      textIndex: seldom,
      numericIndex: seldom,
      generated: fc.constantFrom(0, 0, 2, 3),
      enumGenerated: seldom,
      functionCheck: seldom,
      generatedIndex: seldom,
      foreignKey: fc.boolean(),
      view: viewSpecArb,
    })
    .chain(({ names, view, ...switches }) =>
      fc
        .tuple(...names.map((c) => columnArb(c, enumNames)))
        .map((columns): TableSpec => ({ name, columns, ...switches, ...(view ? { view } : {}) })),
    )

const isNumeric = (c: Column) => c.type.kind === 'integer' || c.type.kind === 'decimal'
const isText = (c: Column) => c.type.kind === 'text'
const isEnum = (c: Column) => c.type.kind === 'enum'
const enumOf = (c: Column) => (c.type.kind === 'enum' ? c.type.enum.name : '')

const plainIndex = (name: string, column: string, where?: string): Index => ({
  name,
  parts: [{ column }],
  unique: false,
  include: [],
  ...(where ? { where } : {}),
})
const expressionIndex = (name: string, expr: string): Index => ({ name, parts: [{ expr }], unique: false, include: [] })

/**
 * The table a spec describes, with its dependents; `target` is the table its foreign key references, `functions`
 * the enums that have a function over them.
 */
function buildTable(spec: TableSpec, target: string | undefined, functions: ReadonlySet<string>): Table {
  const t = spec.name
  const cols = spec.columns
  const first = cols[0]
  const last = cols.at(-1)
  const numeric = cols.find(isNumeric)
  const text = cols.find(isText)
  const enumColumn = cols.find(isEnum)
  const generated: Column[] = [
    ...(spec.generated > 0 && numeric
      ? [
          {
            name: 'g',
            type: bigint,
            nullable: true,
            generated: { expr: `${numeric.name} * ${spec.generated}`, stored: true },
          },
        ]
      : []),
    ...(spec.enumGenerated && enumColumn
      ? [
          {
            name: 'h',
            type: { kind: 'boolean' } as const,
            nullable: true,
            generated: { expr: `${enumColumn.name} = '${KEPT_VALUE}'`, stored: true },
          },
        ]
      : []),
  ]
  const fkColumn: Column[] = spec.foreignKey && target ? [{ name: `${target}_id`, type: bigint, nullable: true }] : []
  const foreignKeys: ForeignKey[] = fkColumn.map((column) => ({
    name: `${t}_${column.name}_fkey`,
    columns: [column.name],
    references: { table: publicName(target ?? ''), columns: ['id'] },
    onDelete: 'CASCADE',
    onUpdate: 'NO ACTION',
  }))
  const indexes: Index[] = [
    ...(spec.index && last ? [plainIndex(`${t}_${last.name}_idx`, last.name)] : []),
    ...(spec.partialIndex && enumColumn
      ? [plainIndex(`${t}_partial_idx`, 'id', `${enumColumn.name} = '${KEPT_VALUE}'`)]
      : []),
    ...(spec.textIndex && text ? [expressionIndex(`${t}_lower_idx`, `lower(${text.name})`)] : []),
    ...(spec.numericIndex && numeric ? [expressionIndex(`${t}_twice_idx`, `${numeric.name} * 2`)] : []),
    ...(spec.generatedIndex ? generated.map((c) => plainIndex(`${t}_${c.name}_idx`, c.name)) : []),
  ]
  const checks: Check[] = [
    ...(spec.check && numeric ? [{ name: `${t}_${numeric.name}_check`, expr: `${numeric.name} > 0` }] : []),
    ...(spec.enumCheck && enumColumn
      ? [{ name: `${t}_${enumColumn.name}_check`, expr: `${enumColumn.name} <> '${KEPT_VALUE}'` }]
      : []),
    ...(spec.functionCheck && enumColumn && functions.has(enumOf(enumColumn))
      ? [{ name: `${t}_is_check`, expr: `is_${enumOf(enumColumn)}(${enumColumn.name}) IS NOT FALSE` }]
      : []),
  ]
  return {
    name: publicName(t),
    columns: [{ name: 'id', type: bigint, nullable: false }, ...cols, ...generated, ...fkColumn],
    ...(spec.pk ? { primaryKey: { name: `${t}_pkey`, columns: ['id'] } } : {}),
    uniques: spec.unique && first ? [{ name: `${t}_${first.name}_key`, columns: [first.name] }] : [],
    indexes,
    foreignKeys,
    checks,
  }
}

/** The views a spec describes: `<t>_v` over the table (plain or materialized), and `<t>_vv` over that view. */
function buildViews(spec: TableSpec, table: Table): View[] {
  if (!spec.view) return []
  const { reads, materialized, overView, filter, indexed } = spec.view
  const candidates = table.columns.filter((c) => c.name !== 'id' && !c.name.endsWith('_id'))
  const read = ['id', ...candidates.filter((_, i) => reads[i]).map((c) => c.name)]
  const enumColumn = table.columns.find(isEnum)
  const where = filter && enumColumn ? ` WHERE ${enumColumn.name} <> '${KEPT_VALUE}'` : ''
  const view: View = {
    name: publicName(`${spec.name}_v`),
    definition: `SELECT ${read.join(', ')} FROM public.${spec.name}${where}`,
    materialized,
    dependsOn: [table.name],
    indexes: materialized && indexed ? [plainIndex(`${spec.name}_v_id_idx`, 'id')] : [],
  }
  if (!overView) return [view]
  const outer: View = {
    name: publicName(`${spec.name}_vv`),
    definition: `SELECT ${read.slice(0, 2).join(', ')} FROM public.${spec.name}_v`,
    materialized: false,
    dependsOn: [view.name],
    indexes: [],
  }
  return [view, outer]
}

// --- Sequences --------------------------------------------------------------------------------------------

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
            name: publicName(n),
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

// --- Schemas and pairs ------------------------------------------------------------------------------------

/** A schema before its dependents are derived. */
interface SchemaSpec {
  readonly enums: readonly EnumSpec[]
  readonly sequences: readonly Sequence[]
  /** In TABLES order, so that a foreign key's target comes first. */
  readonly tables: readonly TableSpec[]
}

const schemaSpecArb: fc.Arbitrary<SchemaSpec> = fc
  .tuple(fc.subarray([...ENUMS]), sequencesArb)
  .chain(([enumNames, sequences]) =>
    fc.record({
      enums: fc.tuple(...enumNames.map(enumSpecArb)),
      sequences: fc.constant(sequences),
      tables: fc
        .subarray([...TABLES], { minLength: 1 })
        .chain((names) => fc.tuple(...names.map((n) => tableSpecArb(n, enumNames)))),
    }),
  )

/** The schema a spec describes: each foreign key references the first earlier table with a primary key. */
function buildSchema(spec: SchemaSpec): Schema {
  const tables: Table[] = []
  const views: View[] = []
  const functions = new Set(spec.enums.filter((e) => e.function).map((e) => e.name))
  for (const [i, table] of spec.tables.entries()) {
    const target = spec.tables.slice(0, i).find((t) => t.pk)?.name
    const built = buildTable(table, target, functions)
    tables.push(built)
    views.push(...buildViews(table, built))
  }
  const routines = spec.enums.flatMap(buildFunction)
  return {
    namespaces: [],
    extensions: [],
    enums: spec.enums.map(buildEnum),
    sequences: [...spec.sequences],
    tables,
    views,
    ...(routines.length > 0 ? { routines } : {}),
  }
}

/** A random schema: enums (and functions over them), sequences, then up to four tables with their dependents. */
export const schemaArb: fc.Arbitrary<Schema> = schemaSpecArb.map(buildSchema)

/** Retypes a column within its cast family, so that ALTER COLUMN TYPE parses. */
function retype(column: Column, pick: number): Column {
  const family = [NUMERIC_FAMILY, TEXT_FAMILY].find((f) => inFamily(f, column.type))
  if (!family) return column
  const type = family[pick % family.length] as ColumnType
  const value = column.default ? defaultFor(type) : undefined
  const { default: _old, ...rest } = column
  return { ...rest, type, ...(value ? { default: { kind: 'sql' as const, sql: value } } : {}) }
}

/** The column with a default if it had none (when its type has one), without one if it had one. */
function toggleDefault(column: Column): Column {
  const { default: old, ...rest } = column
  const value = defaultFor(column.type)
  return old !== undefined || value === undefined ? rest : { ...rest, default: { kind: 'sql', sql: value } }
}

/** How B changes one table kept from A: per column and per switch. */
interface TableMutation {
  /** Per column: 0 drops it (seldom), otherwise picks a type in its family. */
  readonly retypes: readonly number[]
  readonly flipNull: readonly boolean[]
  readonly flipDefault: readonly boolean[]
  /** Per switch of TableSpec (and the view's), whether B flips it. */
  readonly flips: readonly boolean[]
  readonly generated: number
  readonly reads: readonly boolean[]
}

const tableMutationArb: fc.Arbitrary<TableMutation> = fc.record({
  retypes: fc.array(fc.nat(11), { minLength: COLUMNS.length, maxLength: COLUMNS.length }),
  flipNull: fc.array(fc.boolean(), { minLength: COLUMNS.length, maxLength: COLUMNS.length }),
  flipDefault: fc.array(seldom, { minLength: COLUMNS.length, maxLength: COLUMNS.length }),
  flips: fc.array(
    fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    { minLength: 18, maxLength: 18 },
  ),
  generated: fc.constantFrom(0, 2, 3),
  reads: fc.array(fc.boolean(), { minLength: COLUMNS.length + 2, maxLength: COLUMNS.length + 2 }),
})

/**
 * B's version of a table kept from A: columns dropped (seldom), retyped within their family and flipped
 * nullable, columns of `fresh` (B's own draw of the table) that A lacks added, and each switch flipped now
 * and then (a generated column may change its expression, a view the columns it reads or its kind).
 */
function mutateTable(a: TableSpec, fresh: TableSpec | undefined, m: TableMutation): TableSpec {
  const kept = a.columns.flatMap((c, i) => {
    const pick = m.retypes[i] ?? 1
    if (pick === 0) return []
    const typed = retype(c, pick)
    const nulls = m.flipNull[i] ? { ...typed, nullable: !typed.nullable } : typed
    return [m.flipDefault[i] ? toggleDefault(nulls) : nulls]
  })
  const added = (fresh?.columns ?? []).filter((c) => !a.columns.some((x) => x.name === c.name))
  const flip = (i: number, value: boolean) => (m.flips[i] ? !value : value)
  const view: ViewSpec | undefined =
    a.view === undefined
      ? flip(8, false)
        ? { reads: m.reads, materialized: false, overView: false, filter: false, indexed: false }
        : undefined
      : flip(8, true)
        ? {
            reads: flip(9, false) ? m.reads : a.view.reads,
            materialized: flip(10, a.view.materialized),
            overView: flip(11, a.view.overView),
            filter: flip(13, a.view.filter),
            indexed: flip(14, a.view.indexed),
          }
        : undefined
  const { view: _, ...rest } = a
  return {
    ...rest,
    ...(view ? { view } : {}),
    columns: [...kept, ...added],
    pk: flip(0, a.pk),
    index: flip(1, a.index),
    unique: flip(2, a.unique),
    check: flip(3, a.check),
    enumCheck: flip(4, a.enumCheck),
    partialIndex: flip(5, a.partialIndex),
    textIndex: flip(6, a.textIndex),
    numericIndex: flip(7, a.numericIndex),
    generated: m.flips[12] ? m.generated : a.generated,
    enumGenerated: flip(15, a.enumGenerated),
    functionCheck: flip(16, a.functionCheck),
    generatedIndex: flip(17, a.generatedIndex),
  }
}

/**
 * A pair (A, B): B mutates A. A's tables are kept (and mutated) or dropped, B's own tables with names A
 * does not use are created; enums change their values any way that keeps `p` (so that the literals of the
 * dependents stay valid); sequences are B's own, so those in both often differ by an option.
 */
export const schemaPairArb: fc.Arbitrary<readonly [Schema, Schema]> = schemaSpecArb.chain((a) =>
  fc
    .record({
      b: schemaSpecArb,
      keepTable: fc.array(fc.boolean(), { minLength: TABLES.length, maxLength: TABLES.length }),
      mutations: fc.array(tableMutationArb, { minLength: TABLES.length, maxLength: TABLES.length }),
      enums: fc.tuple(...a.enums.map(mutateEnum)),
    })
    .map(({ b, keepTable, mutations, enums }) => {
      const enumNames = new Set(enums.map((e) => e.name))
      const usesKnownEnums = (c: Column) => {
        const type = c.type.kind === 'array' ? c.type.element : c.type
        return type.kind !== 'enum' || enumNames.has(type.enum.name)
      }
      const namesInA = new Set(a.tables.map((t) => t.name))
      const tables = TABLES.flatMap((name, i): TableSpec[] => {
        const fromA = a.tables.find((t) => t.name === name)
        const fromB = b.tables.find((t) => t.name === name)
        const fresh = fromB && { ...fromB, columns: fromB.columns.filter(usesKnownEnums) }
        if (fromA) return keepTable[i] ? [mutateTable(fromA, fresh, mutations[i] as TableMutation)] : []
        return fresh && !namesInA.has(name) ? [fresh] : []
      })
      const bSpec: SchemaSpec = { enums, sequences: b.sequences, tables }
      return [buildSchema(a), buildSchema(bSpec)] as const
    }),
)
