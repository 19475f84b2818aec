import fc from 'fast-check'

/**
 * Random MySQL/MariaDB schema pairs for the property-based round trip, in the pattern of
 * random-sqlite-schema.ts: a start schema and a mutation of it, written as the SQL a person would, so that
 * the server reads both back. Kept small (two or three tables, a few columns) because every DDL statement
 * costs the server tens of milliseconds. Types are drawn from what MariaDB stores: integers (signed and
 * unsigned), DECIMAL, DOUBLE, VARCHAR, TEXT, DATETIME, TIMESTAMP, DATE, ENUM, JSON-free on purpose (MariaDB's
 * JSON is LONGTEXT with a CHECK).
 */

const TABLES = ['accounts', 'orders', 'items'] as const
const COLUMNS = ['a', 'b', 'c', 'd'] as const

interface MysqlType {
  readonly sql: string
  readonly defaults: readonly string[]
  /** Whether a plain index may cover it without a prefix length. */
  readonly indexable: boolean
}

const TYPES: readonly MysqlType[] = [
  { sql: 'int', defaults: ['0', '42'], indexable: true },
  { sql: 'bigint unsigned', defaults: ['7'], indexable: true },
  { sql: 'smallint', defaults: ['-1'], indexable: true },
  { sql: 'decimal(12,2)', defaults: ['0.00', '9.99'], indexable: true },
  { sql: 'double', defaults: ['0.5'], indexable: true },
  { sql: 'varchar(40)', defaults: ["'x'", "''"], indexable: true },
  { sql: 'varchar(120)', defaults: ["'abc'"], indexable: true },
  { sql: 'text', defaults: [], indexable: false },
  { sql: 'datetime', defaults: ["'2026-01-01 00:00:00'", 'current_timestamp'], indexable: true },
  { sql: 'timestamp', defaults: ['current_timestamp'], indexable: true },
  { sql: 'date', defaults: ["'2026-01-01'"], indexable: true },
  { sql: "enum('x','y','z')", defaults: ["'x'"], indexable: true },
  { sql: 'tinyint(1)', defaults: ['0', '1'], indexable: true },
]

interface ColumnSpec {
  readonly name: string
  readonly type: number
  readonly notNull: boolean
  readonly default: number | undefined
}

interface TableSpec {
  readonly name: string
  readonly columns: readonly ColumnSpec[]
  readonly index: 'none' | 'plain' | 'unique'
  readonly fk: 'CASCADE' | 'SET NULL' | 'RESTRICT' | undefined
}

export type MysqlSchemaSpec = readonly TableSpec[]

const columnArb: fc.Arbitrary<Omit<ColumnSpec, 'name'>> = fc.record({
  type: fc.nat({ max: TYPES.length - 1 }),
  notNull: fc.boolean(),
  default: fc.option(fc.nat({ max: 1 }), { nil: undefined }),
})

const columnsArb = fc
  .subarray([...COLUMNS], { minLength: 1, maxLength: 3 })
  .chain((names) =>
    fc.tuple(...names.map(() => columnArb)).map((cols) => cols.map((c, i) => ({ ...c, name: names[i] as string }))),
  )

const tableArb = (name: string): fc.Arbitrary<TableSpec> =>
  fc.record({
    name: fc.constant(name),
    columns: columnsArb,
    index: fc.constantFrom('none', 'plain', 'unique'),
    fk: fc.option(fc.constantFrom('CASCADE', 'SET NULL', 'RESTRICT'), { nil: undefined }),
  })

const schemaArb: fc.Arbitrary<MysqlSchemaSpec> = fc
  .subarray([...TABLES], { minLength: 1, maxLength: 2 })
  .chain((names) => fc.tuple(...names.map(tableArb)))

const mutateTable = (t: TableSpec): fc.Arbitrary<TableSpec> =>
  fc.oneof(
    fc.constant(t),
    // Columns added and dropped (the kept ones unchanged).
    fc
      .tuple(
        fc.subarray([...COLUMNS], { minLength: 1, maxLength: 3 }),
        fc.array(columnArb, { minLength: 4, maxLength: 4 }),
      )
      .map(([names, fresh]) => ({
        ...t,
        columns: names.map(
          (n, i) => t.columns.find((c) => c.name === n) ?? { ...(fresh[i] as Omit<ColumnSpec, 'name'>), name: n },
        ),
      })),
    // One column retyped, made (not) null, given another default.
    fc.tuple(fc.nat({ max: t.columns.length - 1 }), columnArb).map(([i, fresh]) => ({
      ...t,
      columns: t.columns.map((c, j) => (j === i ? { ...fresh, name: c.name } : c)),
    })),
    fc
      .record({
        index: fc.constantFrom<TableSpec['index']>('none', 'plain', 'unique'),
        fk: fc.option(fc.constantFrom<'CASCADE' | 'SET NULL' | 'RESTRICT'>('CASCADE', 'SET NULL', 'RESTRICT'), {
          nil: undefined,
        }),
      })
      .map((r) => ({ ...t, ...r })),
  )

/** A schema and a mutation of it: tables kept (each mutated or not), dropped and added. */
export const mysqlSchemaPairArb: fc.Arbitrary<readonly [MysqlSchemaSpec, MysqlSchemaSpec]> = schemaArb.chain((a) =>
  fc
    .tuple(
      fc.tuple(...a.map(mutateTable)),
      fc.subarray(a.map((t) => t.name)),
      fc
        .subarray(
          TABLES.filter((n) => !a.some((t) => t.name === n)),
          { maxLength: 1 },
        )
        .chain((names) => fc.tuple(...names.map(tableArb))),
    )
    .map(([mutated, dropped, added]): readonly [MysqlSchemaSpec, MysqlSchemaSpec] => {
      const kept = mutated.filter((t) => !dropped.includes(t.name))
      return [a, kept.length + added.length === 0 ? mutated : [...kept, ...added]]
    }),
)

/** The SQL of a spec: tables in TABLES order, a foreign key pointing to the table before. */
export function renderMysqlSchema(spec: MysqlSchemaSpec): string {
  const tables = [...spec].sort((x, y) => TABLES.indexOf(x.name as never) - TABLES.indexOf(y.name as never))
  const out: string[] = []
  for (const [i, t] of tables.entries()) {
    const parent = i > 0 ? tables[i - 1] : undefined
    const lines = ['id int NOT NULL AUTO_INCREMENT PRIMARY KEY']
    for (const c of t.columns) {
      const type = TYPES[c.type] as MysqlType
      const dflt = c.default === undefined ? undefined : type.defaults[c.default % Math.max(1, type.defaults.length)]
      lines.push(
        [c.name, type.sql, c.notNull ? 'NOT NULL' : 'NULL', dflt === undefined ? '' : `DEFAULT ${dflt}`]
          .filter((p) => p !== '')
          .join(' '),
      )
    }
    const first = t.columns.find((c) => (TYPES[c.type] as MysqlType).indexable)
    if (t.index !== 'none' && first !== undefined)
      lines.push(`${t.index === 'unique' ? 'UNIQUE ' : ''}KEY ${t.name}_${first.name}_idx (${first.name}, id)`)
    if (parent !== undefined && t.fk !== undefined) {
      lines.push('parent_id int NULL')
      lines.push(
        `CONSTRAINT ${t.name}_parent_fk FOREIGN KEY (parent_id) REFERENCES ${parent.name} (id) ON DELETE ${t.fk}`,
      )
    }
    out.push(`CREATE TABLE ${t.name} (\n  ${lines.join(',\n  ')}\n) ENGINE=InnoDB`)
  }
  return `${out.join(';\n')};\n`
}
