import fc from 'fast-check'

/**
 * Random MySQL/MariaDB schema pairs for the property-based round trip, in the pattern of
 * random-sqlite-schema.ts: a start schema and a mutation of it, written as the SQL a person would, so that
 * the server reads both back. Kept small (two or three tables, a few columns) because every DDL statement
 * costs the server tens of milliseconds, but wide in what a table may hold: signed and unsigned integers,
 * DECIMAL, DOUBLE, FLOAT, CHAR/VARCHAR/TEXT with a character set or collation of their own, VARBINARY, BLOB,
 * DATETIME(3)/TIMESTAMP with ON UPDATE CURRENT_TIMESTAMP, DATE, YEAR, ENUM, SET, JSON, BIT; virtual and stored
 * generated columns; plain, unique, prefix and FULLTEXT indexes; foreign keys with both actions; table and
 * column checks; a table collation, comments; and renames of columns and tables (as hints would give them).
 */

const TABLES = ['accounts', 'orders', 'items'] as const
const COLUMNS = ['a', 'b', 'c', 'd'] as const

interface MysqlType {
  readonly sql: string
  readonly defaults: readonly string[]
  /** Whether a plain index may cover it without a prefix length. */
  readonly indexable: boolean
  /** A string type: takes a character set / collation, a prefix index, FULLTEXT (text only). */
  readonly text?: 'char' | 'text'
  /** ON UPDATE CURRENT_TIMESTAMP is allowed (with this spelling). */
  readonly onUpdate?: string
}

const TYPES: readonly MysqlType[] = [
  { sql: 'int', defaults: ['0', '42'], indexable: true },
  { sql: 'int unsigned', defaults: ['7'], indexable: true },
  { sql: 'bigint unsigned', defaults: ['7'], indexable: true },
  { sql: 'smallint', defaults: ['-1'], indexable: true },
  { sql: 'tinyint unsigned', defaults: ['3'], indexable: true },
  { sql: 'mediumint', defaults: ['5'], indexable: true },
  { sql: 'decimal(12,2)', defaults: ['0.00', '9.99'], indexable: true },
  { sql: 'decimal(8,3) unsigned', defaults: ['1.500'], indexable: true },
  { sql: 'double', defaults: ['0.5'], indexable: true },
  { sql: 'float', defaults: ['1.25'], indexable: true },
  { sql: 'varchar(40)', defaults: ["'x'", "''", "'it''s'"], indexable: true, text: 'char' },
  { sql: 'varchar(120)', defaults: ["'abc'", "'a\\\\b'"], indexable: true, text: 'char' },
  { sql: 'char(8)', defaults: ["'ch'"], indexable: true, text: 'char' },
  { sql: 'text', defaults: [], indexable: false, text: 'text' },
  { sql: 'varbinary(16)', defaults: ["'vb'"], indexable: true },
  { sql: 'blob', defaults: [], indexable: false },
  {
    sql: 'datetime',
    defaults: ["'2026-01-01 00:00:00'", 'current_timestamp()'],
    indexable: true,
    onUpdate: 'current_timestamp()',
  },
  { sql: 'datetime(3)', defaults: ['current_timestamp(3)'], indexable: true, onUpdate: 'current_timestamp(3)' },
  { sql: 'timestamp', defaults: ['current_timestamp()'], indexable: true, onUpdate: 'current_timestamp()' },
  { sql: 'date', defaults: ["'2026-01-01'"], indexable: true },
  { sql: 'year', defaults: ['2026'], indexable: true },
  { sql: "enum('x','y','z')", defaults: ["'x'"], indexable: true, text: 'char' },
  { sql: "set('p','q','r')", defaults: ["'p,q'", "''"], indexable: true, text: 'char' },
  { sql: 'tinyint(1)', defaults: ['0', '1'], indexable: true },
  { sql: 'json', defaults: [], indexable: false },
  { sql: 'bit(8)', defaults: ["b'101'"], indexable: true },
]

/** Character sets and collations a string column may state (index 0: none, the table's). */
const CHARSETS = ['', 'COLLATE utf8mb4_bin', 'CHARACTER SET latin1', 'CHARACTER SET ascii COLLATE ascii_bin'] as const

/** Generated columns over `k` (which every table keeps: AUTO_INCREMENT `id` may not be read by a generated column or a check). */
const GENERATED = [
  'int AS (k * 2) VIRTUAL',
  "varchar(20) AS (concat('n', k)) STORED",
  'bigint AS (k + 1) STORED',
] as const

const ACTIONS = ['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION'] as const
type Action = (typeof ACTIONS)[number]

interface ColumnSpec {
  readonly name: string
  readonly type: number
  readonly notNull: boolean
  readonly default: number | undefined
  readonly charset: number
  readonly onUpdate: boolean
  readonly check: boolean
  readonly comment: boolean
}

interface TableSpec {
  readonly name: string
  readonly columns: readonly ColumnSpec[]
  readonly index: 'none' | 'plain' | 'unique' | 'prefix' | 'fulltext'
  readonly fk: { readonly onDelete: Action; readonly onUpdate: Action } | undefined
  readonly generated: number | undefined
  readonly check: boolean
  readonly collation: 'default' | 'utf8mb4_unicode_ci' | 'latin1_swedish_ci'
}

export type MysqlSchemaSpec = readonly TableSpec[]

/** A rename the pair's mutation made, as a schema hint gives it to the differ. */
export type SpecRename =
  | { readonly kind: 'table'; readonly from: string; readonly to: string }
  | { readonly kind: 'column'; readonly table: string; readonly from: string; readonly to: string }

const columnArb: fc.Arbitrary<Omit<ColumnSpec, 'name'>> = fc.record({
  type: fc.nat({ max: TYPES.length - 1 }),
  notNull: fc.boolean(),
  default: fc.option(fc.nat({ max: 2 }), { nil: undefined }),
  charset: fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, fc.nat({ max: CHARSETS.length - 1 })),
  onUpdate: fc.boolean(),
  check: fc.boolean(),
  comment: fc.boolean(),
})

const columnsArb = fc
  .subarray([...COLUMNS], { minLength: 1, maxLength: 3 })
  .chain((names) =>
    fc.tuple(...names.map(() => columnArb)).map((cols) => cols.map((c, i) => ({ ...c, name: names[i] as string }))),
  )

const fkArb = fc.option(fc.record({ onDelete: fc.constantFrom(...ACTIONS), onUpdate: fc.constantFrom(...ACTIONS) }), {
  nil: undefined,
})
const indexArb = fc.constantFrom<TableSpec['index']>('none', 'plain', 'unique', 'prefix', 'fulltext')
const generatedArb = fc.option(fc.nat({ max: GENERATED.length - 1 }), { nil: undefined, freq: 2 })
const collationArb = fc.constantFrom<TableSpec['collation']>(
  'default',
  'default',
  'utf8mb4_unicode_ci',
  'latin1_swedish_ci',
)

const tableArb = (name: string): fc.Arbitrary<TableSpec> =>
  fc.record({
    name: fc.constant(name),
    columns: columnsArb,
    index: indexArb,
    fk: fkArb,
    generated: generatedArb,
    check: fc.boolean(),
    collation: collationArb,
  })

const schemaArb: fc.Arbitrary<MysqlSchemaSpec> = fc
  .subarray([...TABLES], { minLength: 1, maxLength: 2 })
  .chain((names) => fc.tuple(...names.map(tableArb)))

type Mutated = { readonly table: TableSpec; readonly renames: readonly SpecRename[] }

const mutateTable = (t: TableSpec): fc.Arbitrary<Mutated> =>
  fc.oneof(
    fc.constant({ table: t, renames: [] }),
    // Columns added and dropped (the kept ones unchanged).
    fc
      .tuple(
        fc.subarray([...COLUMNS], { minLength: 1, maxLength: 3 }),
        fc.array(columnArb, { minLength: 4, maxLength: 4 }),
      )
      .map(([names, fresh]) => ({
        table: {
          ...t,
          columns: names.map(
            (n, i) => t.columns.find((c) => c.name === n) ?? { ...(fresh[i] as Omit<ColumnSpec, 'name'>), name: n },
          ),
        },
        renames: [],
      })),
    // One column retyped, made (not) null, given another default, charset, check or comment.
    fc.tuple(fc.nat({ max: t.columns.length - 1 }), columnArb).map(([i, fresh]) => ({
      table: { ...t, columns: t.columns.map((c, j) => (j === i ? { ...fresh, name: c.name } : c)) },
      renames: [],
    })),
    // One column renamed (a hint), kept otherwise.
    fc.nat({ max: t.columns.length - 1 }).map((i) => {
      const from = (t.columns[i] as ColumnSpec).name
      const to = `${from}_renamed`
      return {
        table: { ...t, columns: t.columns.map((c, j) => (j === i ? { ...c, name: to } : c)) },
        renames: [{ kind: 'column' as const, table: t.name, from, to }],
      }
    }),
    fc
      .record({ index: indexArb, fk: fkArb, generated: generatedArb, check: fc.boolean(), collation: collationArb })
      .map((r) => ({ table: { ...t, ...r }, renames: [] })),
  )

/** A schema, a mutation of it, and the renames the mutation made (tables are renamed to `<name>_v2`). */
export interface MysqlSchemaPair {
  readonly a: MysqlSchemaSpec
  readonly b: MysqlSchemaSpec
  readonly renames: readonly SpecRename[]
}

/** A schema and a mutation of it: tables kept (each mutated or not, one maybe renamed), dropped and added. */
export const mysqlSchemaPairArb: fc.Arbitrary<MysqlSchemaPair> = schemaArb.chain((a) =>
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
      fc.option(fc.nat({ max: a.length - 1 }), { nil: undefined, freq: 4 }),
    )
    .map(([mutated, dropped, added, renamed]): MysqlSchemaPair => {
      const kept = mutated.filter((m) => !dropped.includes(m.table.name))
      const chosen = kept.length + added.length === 0 ? mutated : kept
      const renames = chosen.flatMap((m) => m.renames)
      const tables = chosen.map((m) => m.table)
      const r = renamed === undefined ? undefined : tables[renamed]
      if (r !== undefined && !r.name.endsWith('_v2')) {
        const to = `${r.name}_v2`
        renames.push({ kind: 'table', from: r.name, to })
        // Column renames of that table are now named by the new table.
        for (const [i, x] of renames.entries())
          if (x.kind === 'column' && x.table === r.name) renames[i] = { ...x, table: to }
        tables[renamed as number] = { ...r, name: to }
      }
      return { a, b: chosen === mutated ? tables : [...tables, ...added], renames }
    }),
)

const order = (name: string) => TABLES.indexOf(name.replace(/_v2$/, '') as never)

/** The SQL of a spec: tables in TABLES order, a foreign key pointing to the table before. */
export function renderMysqlSchema(spec: MysqlSchemaSpec): string {
  const tables = [...spec].sort((x, y) => order(x.name) - order(y.name))
  const out: string[] = []
  for (const [i, t] of tables.entries()) {
    const parent = i > 0 ? tables[i - 1] : undefined
    const lines = ['id int NOT NULL AUTO_INCREMENT PRIMARY KEY', 'k int NOT NULL DEFAULT 1']
    for (const c of t.columns) {
      const type = TYPES[c.type] as MysqlType
      const dflt = c.default === undefined ? undefined : type.defaults[c.default % Math.max(1, type.defaults.length)]
      const onUpdate = type.onUpdate !== undefined && c.onUpdate && dflt !== undefined ? type.onUpdate : undefined
      const numeric = /int|decimal|double|float/.test(type.sql) && !type.sql.startsWith('tinyint(1)')
      lines.push(
        [
          c.name,
          type.sql,
          type.text === undefined ? '' : (CHARSETS[c.charset] ?? ''),
          c.notNull ? 'NOT NULL' : 'NULL',
          dflt === undefined ? '' : `DEFAULT ${dflt}`,
          onUpdate === undefined ? '' : `ON UPDATE ${onUpdate}`,
          c.comment ? `COMMENT 'col ''${c.name}'''` : '',
          c.check && numeric ? `CHECK (${c.name} < 1000000)` : '',
        ]
          .filter((p) => p !== '')
          .join(' '),
      )
    }
    if (t.generated !== undefined) lines.push(`g ${GENERATED[t.generated]}`)
    const first = t.columns.find((c) => (TYPES[c.type] as MysqlType).indexable)
    const textual = t.columns.find((c) => {
      const type = TYPES[c.type] as MysqlType
      return type.text !== undefined && !/^(enum|set)/.test(type.sql)
    })
    const base = t.name.replace(/_v2$/, '')
    if ((t.index === 'plain' || t.index === 'unique') && first !== undefined)
      lines.push(`${t.index === 'unique' ? 'UNIQUE ' : ''}KEY ${base}_${first.name}_idx (${first.name}, id)`)
    if (t.index === 'prefix' && textual !== undefined) lines.push(`KEY ${base}_prefix_idx (${textual.name}(5), id)`)
    if (t.index === 'fulltext' && textual !== undefined) lines.push(`FULLTEXT KEY ${base}_ft (${textual.name})`)
    if (t.check) lines.push(`CONSTRAINT ${base}_chk CHECK (k > 0)`)
    if (parent !== undefined && t.fk !== undefined) {
      lines.push('parent_id int NULL')
      lines.push(
        `CONSTRAINT ${base}_parent_fk FOREIGN KEY (parent_id) REFERENCES ${parent.name} (id) ON DELETE ${t.fk.onDelete} ON UPDATE ${t.fk.onUpdate}`,
      )
    }
    const options = ['ENGINE=InnoDB']
    if (t.collation !== 'default') options.push(`DEFAULT COLLATE=${t.collation}`)
    out.push(`CREATE TABLE ${t.name} (\n  ${lines.join(',\n  ')}\n) ${options.join(' ')}`)
  }
  return `${out.join(';\n')};\n`
}
