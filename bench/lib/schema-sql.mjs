/**
 * The generated schema the introspection, pull and diff benchmarks run on: `count` tables, each with
 * 10 columns (a mix of the types applications use), a primary key, 2 secondary indexes and 1 foreign
 * key to the next table (the last one points back to the first, so every table has one).
 */
export function schemaSql(count) {
  const statements = []
  for (let i = 1; i <= count; i++) statements.push(...tableSql(i))
  for (let i = 1; i <= count; i++) {
    const t = tableName(i)
    const next = tableName((i % count) + 1)
    statements.push(`ALTER TABLE ${t} ADD CONSTRAINT ${t}_parent_fk FOREIGN KEY (parent_id) REFERENCES ${next} (id)`)
  }
  return `${statements.join(';\n')};\n`
}

/**
 * Changes every tenth table of `schemaSql(count)` the way a release changes a schema: 2 added columns,
 * 1 changed type (a widening varchar in half of them, a rewriting double precision -> real in the other
 * half), 1 dropped index and 1 new foreign key. diff(plain, changed) then touches ~10% of the tables
 * with every kind of change the planner must order.
 */
export function mutationSql(count) {
  const statements = []
  for (let i = 1; i <= count; i++) {
    if (!isMutated(i)) continue
    const t = tableName(i)
    const owner = tableName(((i + Math.floor(count / 2) - 1) % count) + 1)
    const retype = i % 20 === 3 ? 'ALTER COLUMN code TYPE varchar(32)' : 'ALTER COLUMN score TYPE real'
    statements.push(
      `ALTER TABLE ${t} ADD COLUMN note text, ADD COLUMN owner_id bigint, ${retype}`,
      `DROP INDEX ${t}_created_idx`,
      `ALTER TABLE ${t} ADD CONSTRAINT ${t}_owner_fk FOREIGN KEY (owner_id) REFERENCES ${owner} (id) ON DELETE SET NULL`,
    )
  }
  return `${statements.join(';\n')};\n`
}

/** Whether table `i` differs in the changed schema: one table in ten. */
export function isMutated(i) {
  return i % 10 === 3
}

/** The name of table `i` (`t0001`). */
export function tableName(i) {
  return `t${String(i).padStart(4, '0')}`
}

function tableSql(i) {
  const t = tableName(i)
  const columns = [
    'id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
    'parent_id bigint',
    'name text NOT NULL',
    'email varchar(255)',
    `code varchar(16) NOT NULL DEFAULT ''`,
    'amount numeric(12,2) NOT NULL DEFAULT 0',
    'active boolean NOT NULL DEFAULT true',
    'score double precision',
    'payload jsonb',
    'created_at timestamptz NOT NULL DEFAULT now()',
  ]
  return [
    `CREATE TABLE ${t} (\n  ${columns.join(',\n  ')}\n)`,
    `CREATE INDEX ${t}_name_idx ON ${t} (name)`,
    `CREATE INDEX ${t}_created_idx ON ${t} (created_at DESC, active)`,
  ]
}
