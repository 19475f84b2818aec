import fc from 'fast-check'

/**
 * Random SQLite schema pairs for the property-based round trip: a start schema and a mutation of it, written
 * as the SQL a person would (SQLite then reads both back, so the pair is compared as SQLite stores it).
 * What varies is what SQLite evolutions contain: tables added and dropped, columns added, dropped and
 * retyped, nullability, defaults, uniques, CHECKs, foreign keys with actions, plain, unique, partial and
 * expression indexes, generated columns (virtual and stored), AUTOINCREMENT and WITHOUT ROWID keys, and
 * the views and triggers over the tables, which a rebuild must recreate.
 *
 * Types are drawn from what SQLite stores (its five affinities in the spellings applications use: INTEGER,
 * TEXT, REAL, BLOB, NUMERIC, VARCHAR(n), BOOLEAN, DATETIME, DECIMAL(p,s)). Every dependent (index, check,
 * generated column, view, trigger, foreign key) is derived from the final columns of its table, so that
 * each side is valid SQL whatever the mutation dropped or retyped.
 */

const TABLES = ['accounts', 'orders', 'items', 'notes'] as const
const COLUMNS = ['a', 'b', 'c', 'd', 'e'] as const

/** A declared type and a constant default that fits it. */
interface SqliteType {
  readonly sql: string
  readonly defaults: readonly string[]
  /** Whether a CHECK, index expression or generated column may do arithmetic on it. */
  readonly numeric: boolean
}

const TYPES: readonly SqliteType[] = [
  { sql: 'INTEGER', defaults: ['0', '42', '-1'], numeric: true },
  { sql: 'REAL', defaults: ['0.5', '1.0'], numeric: true },
  { sql: 'NUMERIC', defaults: ['0', '10'], numeric: true },
  { sql: 'DECIMAL(12,2)', defaults: ['0', '9.99'], numeric: true },
  { sql: 'BOOLEAN', defaults: ['0', '1'], numeric: true },
  { sql: 'TEXT', defaults: ["'x'", "''"], numeric: false },
  { sql: 'VARCHAR(40)', defaults: ["'abc'"], numeric: false },
  { sql: 'DATETIME', defaults: ['CURRENT_TIMESTAMP', "'2026-01-01'"], numeric: false },
  { sql: 'BLOB', defaults: ["X'00'"], numeric: false },
]

interface ColumnSpec {
  readonly name: string
  readonly type: number
  readonly notNull: boolean
  /** Index into the type's defaults, or undefined for none. */
  readonly default: number | undefined
  readonly unique: boolean
}

type KeyStyle = 'rowid' | 'autoincrement' | 'text' | 'without-rowid'

interface TableSpec {
  readonly name: string
  readonly key: KeyStyle
  readonly columns: readonly ColumnSpec[]
  readonly check: boolean
  readonly generated: 'none' | 'virtual' | 'stored'
  readonly indexes: readonly ('plain' | 'unique' | 'partial' | 'expression' | 'descending')[]
  /** ON DELETE action of a foreign key to the table before this one (when it has one), or undefined. */
  readonly fk: 'CASCADE' | 'SET NULL' | 'RESTRICT' | 'NO ACTION' | undefined
  readonly view: boolean
  readonly trigger: boolean
}

export type SqliteSchemaSpec = readonly TableSpec[]

const columnArb: fc.Arbitrary<Omit<ColumnSpec, 'name'>> = fc.record({
  type: fc.nat({ max: TYPES.length - 1 }),
  notNull: fc.boolean(),
  default: fc.option(fc.nat({ max: 2 }), { nil: undefined }),
  unique: fc.boolean(),
})

const tableArb = (name: string): fc.Arbitrary<TableSpec> =>
  fc.record({
    name: fc.constant(name),
    key: fc.constantFrom<KeyStyle>('rowid', 'autoincrement', 'text', 'without-rowid'),
    columns: fc
      .subarray([...COLUMNS], { minLength: 1 })
      .chain((names) =>
        fc.tuple(...names.map(() => columnArb)).map((cols) => cols.map((c, i) => ({ ...c, name: names[i] as string }))),
      ),
    check: fc.boolean(),
    generated: fc.constantFrom('none', 'virtual', 'stored'),
    indexes: fc.subarray(['plain', 'unique', 'partial', 'expression', 'descending'] as const),
    fk: fc.option(fc.constantFrom('CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION'), { nil: undefined }),
    view: fc.boolean(),
    trigger: fc.boolean(),
  })

const schemaArb: fc.Arbitrary<SqliteSchemaSpec> = fc
  .subarray([...TABLES], { minLength: 1 })
  .chain((names) => fc.tuple(...names.map(tableArb)))

/** One change to a table spec, or the table left alone. */
const mutateTable = (t: TableSpec): fc.Arbitrary<TableSpec> =>
  fc.oneof(
    fc.constant(t),
    // Columns added, dropped, retyped, made (not) null, given another default or uniqueness.
    fc
      .tuple(fc.subarray([...COLUMNS], { minLength: 1 }), fc.array(columnArb, { minLength: 5, maxLength: 5 }))
      .map(([names, fresh]) => ({
        ...t,
        columns: names.map(
          (n, i) => t.columns.find((c) => c.name === n) ?? { ...(fresh[i] as Omit<ColumnSpec, 'name'>), name: n },
        ),
      })),
    fc.tuple(fc.nat({ max: t.columns.length - 1 }), columnArb).map(([i, fresh]) => ({
      ...t,
      columns: t.columns.map((c, j) => (j === i ? { ...fresh, name: c.name } : c)),
    })),
    fc
      .record({
        check: fc.boolean(),
        generated: fc.constantFrom<TableSpec['generated']>('none', 'virtual', 'stored'),
        indexes: fc.subarray(['plain', 'unique', 'partial', 'expression', 'descending'] as const),
      })
      .map((r) => ({ ...t, ...r })),
    fc
      .record({
        key: fc.constantFrom<KeyStyle>('rowid', 'autoincrement', 'text', 'without-rowid'),
        fk: fc.option(fc.constantFrom('CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION'), { nil: undefined }),
        view: fc.boolean(),
        trigger: fc.boolean(),
      })
      .map((r) => ({ ...t, ...r })),
  )

/** A schema and a mutation of it: tables kept (each mutated or not), dropped and added. */
export const sqliteSchemaPairArb: fc.Arbitrary<readonly [SqliteSchemaSpec, SqliteSchemaSpec]> = schemaArb.chain((a) =>
  fc
    .tuple(
      fc.tuple(...a.map(mutateTable)),
      fc.subarray(a.map((t) => t.name)),
      fc
        .subarray(TABLES.filter((n) => !a.some((t) => t.name === n)))
        .chain((names) => fc.tuple(...names.map(tableArb))),
    )
    .map(([mutated, dropped, added]): readonly [SqliteSchemaSpec, SqliteSchemaSpec] => {
      const kept = mutated.filter((t) => !dropped.includes(t.name))
      // Never empty: an empty side would make the pair a create or a drop of everything, covered elsewhere.
      return [a, kept.length + added.length === 0 ? mutated : [...kept, ...added]]
    }),
)

/** The SQL of a schema spec: tables in TABLES order (a foreign key points to an earlier table), then indexes, views, triggers. */
export function renderSqliteSchema(spec: SqliteSchemaSpec): string {
  const tables = [...spec].sort((x, y) => TABLES.indexOf(x.name as never) - TABLES.indexOf(y.name as never))
  const out: string[] = []
  for (const [i, t] of tables.entries()) {
    const parent = i > 0 ? tables[i - 1] : undefined
    out.push(renderTable(t, parent))
    out.push(...renderIndexes(t))
  }
  for (const t of tables) {
    const first = t.columns[0] as ColumnSpec
    if (t.view) out.push(`CREATE VIEW ${t.name}_v AS SELECT id, ${first.name} FROM ${t.name} WHERE id IS NOT NULL`)
    // The trigger writes into its own table (always there) on a column every version has: the key.
    if (t.trigger)
      out.push(
        `CREATE TRIGGER ${t.name}_t AFTER INSERT ON ${t.name} WHEN NEW.id IS NULL BEGIN DELETE FROM ${t.name} WHERE id IS NULL; END`,
      )
  }
  return `${out.join(';\n')};\n`
}

function renderTable(t: TableSpec, parent: TableSpec | undefined): string {
  const lines: string[] = []
  const key =
    t.key === 'rowid'
      ? 'id INTEGER PRIMARY KEY'
      : t.key === 'autoincrement'
        ? 'id INTEGER PRIMARY KEY AUTOINCREMENT'
        : 'id TEXT NOT NULL PRIMARY KEY'
  lines.push(key)
  for (const c of t.columns) {
    const type = TYPES[c.type] as SqliteType
    const dflt = c.default === undefined ? undefined : type.defaults[c.default % type.defaults.length]
    lines.push(
      [
        c.name,
        type.sql,
        c.notNull ? 'NOT NULL' : '',
        dflt === undefined ? '' : `DEFAULT ${dflt}`,
        c.unique ? 'UNIQUE' : '',
      ]
        .filter((p) => p !== '')
        .join(' '),
    )
  }
  const numeric = t.columns.find((c) => (TYPES[c.type] as SqliteType).numeric)
  if (t.generated !== 'none' && numeric !== undefined)
    lines.push(
      `g INTEGER GENERATED ALWAYS AS (${numeric.name} * 2) ${t.generated === 'virtual' ? 'VIRTUAL' : 'STORED'}`,
    )
  if (parent !== undefined && t.fk !== undefined) {
    const type = parent.key === 'text' || parent.key === 'without-rowid' ? 'TEXT' : 'INTEGER'
    lines.push(`parent_id ${type}`)
    lines.push(`FOREIGN KEY (parent_id) REFERENCES ${parent.name} (id) ON DELETE ${t.fk}`)
  }
  if (t.check) {
    const text = t.columns.find((c) => !(TYPES[c.type] as SqliteType).numeric)
    lines.push(
      numeric !== undefined
        ? `CHECK (${numeric.name} >= -100)`
        : `CHECK (length(${(text ?? t.columns[0])?.name}) < 1000)`,
    )
  }
  return `CREATE TABLE ${t.name} (\n  ${lines.join(',\n  ')}\n)${t.key === 'without-rowid' ? ' WITHOUT ROWID' : ''}`
}

function renderIndexes(t: TableSpec): string[] {
  const [first, second] = t.columns as [ColumnSpec, ColumnSpec | undefined]
  return t.indexes.map((kind) => {
    const name = `${t.name}_${kind}_idx`
    switch (kind) {
      case 'plain':
        return `CREATE INDEX ${name} ON ${t.name} (${first.name}${second ? `, ${second.name}` : ''})`
      case 'unique':
        return `CREATE UNIQUE INDEX ${name} ON ${t.name} (${first.name}, id)`
      case 'partial':
        return `CREATE INDEX ${name} ON ${t.name} (${first.name}) WHERE ${first.name} IS NOT NULL`
      case 'expression':
        return `CREATE INDEX ${name} ON ${t.name} (lower(${first.name}))`
      default:
        return `CREATE INDEX ${name} ON ${t.name} (${first.name} DESC)`
    }
  })
}
