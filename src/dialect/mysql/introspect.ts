/**
 * Reads a MySQL or MariaDB database's schema from information_schema, one query per kind of object (tables,
 * columns, indexes, foreign keys, checks, views, triggers, routines and their parameters), never one per table:
 * the database is the connection's current one (`DATABASE()`).
 *
 * What the server prints is kept as printed (defaults, check and generated expressions, view bodies), so that two
 * databases on the same server compare exactly; only what differs between databases is taken out (the database's
 * own name in view bodies). Types go through type.ts (display widths dropped, tinyint(1) as boolean).
 */
import type { Connection } from '../../db/connection.js'
import type {
  Check,
  Column,
  ForeignKey,
  Index,
  ProgramExt,
  ReferentialAction,
  Routine,
  Schema,
  Table,
  Trigger,
  UniqueConstraint,
  UnmanagedObject,
  View,
} from '../../schema/model.js'
import type { IntrospectOptions } from '../dialect.js'
import { isPlainUnique } from './normalize.js'
import { quoteIdent, quoteLiteral } from './quote.js'
import { parseMysqlType } from './type.js'

type Row = Record<string, unknown>

/** information_schema's column names are upper case on both servers; drivers may hand back either case. */
function get(row: Row, key: string): unknown {
  return row[key] ?? row[key.toLowerCase()]
}
const str = (row: Row, key: string): string => {
  const v = get(row, key)
  return v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v)
}
const opt = (row: Row, key: string): string | undefined => {
  const v = get(row, key)
  return v === null || v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : String(v)
}
const num = (row: Row, key: string): number | undefined => {
  const v = get(row, key)
  return v === null || v === undefined ? undefined : Number(v)
}

function groupBy<T>(rows: readonly Row[], key: (row: Row) => string, map: (row: Row) => T): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const row of rows) {
    const k = key(row)
    const list = out.get(k)
    if (list === undefined) out.set(k, [map(row)])
    else list.push(map(row))
  }
  return out
}

/** Everything introspection reads about the server and database before the objects. */
interface Server {
  readonly mariadb: boolean
  readonly database: string
  readonly collation: string
}

export async function introspectMysql(conn: Connection, options: IntrospectOptions = {}): Promise<Schema> {
  const [info] = await conn.query<Row>(
    `select version() as v, database() as db, (select DEFAULT_COLLATION_NAME from information_schema.SCHEMATA where SCHEMA_NAME = database()) as coll`,
  )
  const server: Server = {
    mariadb: /mariadb/i.test(str(info ?? {}, 'v')),
    database: str(info ?? {}, 'db'),
    collation: str(info ?? {}, 'coll'),
  }
  // keel_lock is the runner's, like the journal. Commands name the journal with its configured namespace
  // (`public.keel_migrations`); on MySQL it lives in the URL's database, so the bare name counts too.
  const excluded = new Set([
    ...(options.excludeTables ?? []).flatMap((t) => [t, t.replace(/^[^.]*\./, '')]),
    'keel_lock',
  ])
  const keep = (row: Row) => !excluded.has(str(row, 'TABLE_NAME'))
  const [
    tables0,
    columns0,
    indexes0,
    keyColumns,
    referential,
    checks0,
    views0,
    triggerRows,
    routineRows,
    parameterRows,
    events,
  ] = await queryAll(conn, [
    `select TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT from information_schema.TABLES
       where TABLE_SCHEMA = database() order by TABLE_NAME`,
    `select TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLLATION_NAME,
              GENERATION_EXPRESSION, COLUMN_COMMENT
       from information_schema.COLUMNS where TABLE_SCHEMA = database() order by TABLE_NAME, ORDINAL_POSITION`,
    `select TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE, COLLATION, INDEX_COMMENT,
              ${server.mariadb ? `IGNORED = 'YES'` : `IS_VISIBLE = 'NO'`} as INVISIBLE${server.mariadb ? '' : ', EXPRESSION'}
       from information_schema.STATISTICS where TABLE_SCHEMA = database() order by TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    // Foreign keys' columns and their actions are read apart and joined here: joined in SQL, MariaDB fills
    // REFERENTIAL_CONSTRAINTS from every database of the server (EXPLAIN: "Scanned all databases"), 15 ms
    // with 35 small databases and growing with each, where each query alone reads one database (under 1 ms).
    `select TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
       from information_schema.KEY_COLUMN_USAGE
       where TABLE_SCHEMA = database() and REFERENCED_TABLE_NAME is not null
       order by TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
    `select TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE from information_schema.REFERENTIAL_CONSTRAINTS
       where CONSTRAINT_SCHEMA = database()`,
    // MariaDB names checks per table and says which are column checks (LEVEL); MySQL names them per database.
    server.mariadb
      ? `select TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL from information_schema.CHECK_CONSTRAINTS
           where CONSTRAINT_SCHEMA = database() order by TABLE_NAME, CONSTRAINT_NAME`
      : `select t.TABLE_NAME, c.CONSTRAINT_NAME, c.CHECK_CLAUSE, 'Table' as LEVEL
           from information_schema.CHECK_CONSTRAINTS c join information_schema.TABLE_CONSTRAINTS t
             on t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA and t.CONSTRAINT_NAME = c.CONSTRAINT_NAME and t.CONSTRAINT_TYPE = 'CHECK'
           where c.CONSTRAINT_SCHEMA = database() and t.ENFORCED = 'YES' order by t.TABLE_NAME, c.CONSTRAINT_NAME`,
    `select TABLE_NAME, VIEW_DEFINITION, SECURITY_TYPE from information_schema.VIEWS where TABLE_SCHEMA = database() order by TABLE_NAME`,
    `select TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_TIMING, ACTION_STATEMENT, ACTION_ORDER, SQL_MODE
       from information_schema.TRIGGERS where TRIGGER_SCHEMA = database() order by EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`,
    `select ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, ROUTINE_DEFINITION, IS_DETERMINISTIC, SQL_DATA_ACCESS,
              SECURITY_TYPE, ROUTINE_COMMENT, SQL_MODE
       from information_schema.ROUTINES where ROUTINE_SCHEMA = database() order by ROUTINE_NAME`,
    `select SPECIFIC_NAME, ROUTINE_TYPE, PARAMETER_MODE, PARAMETER_NAME, DTD_IDENTIFIER from information_schema.PARAMETERS
       where SPECIFIC_SCHEMA = database() and ORDINAL_POSITION > 0 order by SPECIFIC_NAME, ORDINAL_POSITION`,
    options.unmanaged
      ? 'select EVENT_NAME from information_schema.EVENTS where EVENT_SCHEMA = database() order by EVENT_NAME'
      : 'select 1 from dual where false',
  ])
  const tableRows = tables0.filter(keep)
  const columnRows = columns0.filter(keep)
  const indexRows = indexes0.filter(keep)
  const actions = new Map(referential.map((r) => [`${str(r, 'TABLE_NAME')}\u0000${str(r, 'CONSTRAINT_NAME')}`, r]))
  const fkRows = keyColumns.filter(keep).map((k) => {
    const r = actions.get(`${str(k, 'TABLE_NAME')}\u0000${str(k, 'CONSTRAINT_NAME')}`) ?? {}
    return { ...k, UPDATE_RULE: get(r, 'UPDATE_RULE'), DELETE_RULE: get(r, 'DELETE_RULE') }
  })
  const checkRows = checks0.filter(keep)
  const viewRows = views0.filter(keep)

  const byTable = (rows: readonly Row[]) =>
    groupBy(
      rows,
      (r) => str(r, 'TABLE_NAME'),
      (r) => r,
    )
  const columnsOf = byTable(columnRows)
  const indexesOf = byTable(indexRows)
  const fksOf = byTable(fkRows)
  const checksOf = byTable(checkRows)
  const tables = tableRows
    .filter((r) => str(r, 'TABLE_TYPE') === 'BASE TABLE')
    .map((r) =>
      readTable(
        r,
        columnsOf.get(str(r, 'TABLE_NAME')) ?? [],
        indexesOf.get(str(r, 'TABLE_NAME')) ?? [],
        fksOf.get(str(r, 'TABLE_NAME')) ?? [],
        checksOf.get(str(r, 'TABLE_NAME')) ?? [],
        server,
      ),
    )
  const relations = tableRows.map((r) => str(r, 'TABLE_NAME'))
  const views: View[] = viewRows.map((r) => {
    const definition = stripDatabase(str(r, 'VIEW_DEFINITION'), server.database)
    const name = str(r, 'TABLE_NAME')
    return {
      name: { name },
      definition,
      materialized: false,
      ...(str(r, 'SECURITY_TYPE') === 'INVOKER' ? { securityInvoker: true as const } : {}),
      dependsOn: relations
        .filter((rel) => rel !== name && definition.includes(quoteIdent(rel)))
        .map((n) => ({ name: n })),
      indexes: [],
    }
  })
  const triggers: Trigger[] = triggerRows
    .filter((r) => !excluded.has(str(r, 'EVENT_OBJECT_TABLE')))
    .map((r) => ({
      table: { name: str(r, 'EVENT_OBJECT_TABLE') },
      name: str(r, 'TRIGGER_NAME'),
      definition: `CREATE TRIGGER ${quoteIdent(str(r, 'TRIGGER_NAME'))} ${str(r, 'ACTION_TIMING')} ${str(r, 'EVENT_MANIPULATION')} ON ${quoteIdent(str(r, 'EVENT_OBJECT_TABLE'))} FOR EACH ROW ${str(r, 'ACTION_STATEMENT')}`,
      function: { name: '' },
      columns: [],
      ext: sqlModeOf(r),
    }))
  const parametersOf = groupBy(
    parameterRows,
    (r) => `${str(r, 'ROUTINE_TYPE')}\u0000${str(r, 'SPECIFIC_NAME')}`,
    (r) => r,
  )
  const routines: Routine[] = routineRows.map((r) =>
    readRoutine(r, parametersOf.get(`${str(r, 'ROUTINE_TYPE')}\u0000${str(r, 'ROUTINE_NAME')}`) ?? []),
  )
  const unmanaged: UnmanagedObject[] = events.map((r) => ({
    kind: 'event',
    name: `${server.database}.${str(r, 'EVENT_NAME')}`,
  }))
  if (options.unmanaged && server.mariadb) {
    for (const r of tableRows.filter((t) => str(t, 'TABLE_TYPE') === 'SEQUENCE'))
      unmanaged.push({ kind: 'sequence', name: `${server.database}.${str(r, 'TABLE_NAME')}` })
  }
  return {
    namespaces: [],
    extensions: [],
    enums: [],
    sequences: [],
    tables,
    views,
    ...(triggers.length > 0 ? { triggers } : {}),
    ...(routines.length > 0 ? { routines } : {}),
    ...(unmanaged.length > 0 ? { unmanaged } : {}),
  }
}

/**
 * Runs the catalog queries in one round trip (the session takes multiple statements), each one's rows in order.
 * A connection that hands back only one result set (not Keel's mysql2 session) is asked one query at a time.
 */
async function queryAll<const Q extends readonly string[]>(
  conn: Connection,
  queries: Q,
): Promise<{ readonly [K in keyof Q]: readonly Row[] }> {
  const results = await conn.query<unknown>(queries.join(';\n'))
  type Results = { readonly [K in keyof Q]: readonly Row[] }
  if (results.length === queries.length && results.every(Array.isArray)) return results as unknown as Results
  const one: Row[][] = []
  for (const query of queries) one.push([...(await conn.query<Row>(query))])
  return one as unknown as Results
}

/** View bodies name every table with the database (`db`.`t`); without it they compare across databases. */
export function stripDatabase(sql: string, database: string): string {
  return sql.split(`${quoteIdent(database)}.`).join('')
}

/**
 * A column default as SQL. MariaDB 10.2.7+ prints literals quoted ('abc'), expressions as written
 * (current_timestamp()) and an explicit NULL default as NULL; MySQL prints the bare value and flags expressions
 * with DEFAULT_GENERATED. A NULL default is no default (the model leaves it out).
 */
export function readDefault(
  raw: string | undefined,
  extra: string,
  type: Column['type'],
  mariadb: boolean,
): string | undefined {
  if (raw === undefined) return undefined
  if (mariadb) return raw === 'NULL' ? undefined : raw
  if (/DEFAULT_GENERATED/i.test(extra)) return /^current_timestamp/i.test(raw) ? raw : `(${raw})`
  const numeric = ['integer', 'decimal', 'float', 'boolean'].includes(type.kind)
  return numeric ? raw : quoteLiteral(raw)
}

function readTable(
  row: Row,
  columnRows: readonly Row[],
  indexRows: readonly Row[],
  fkRows: readonly Row[],
  checkRows: readonly Row[],
  server: Server,
): Table {
  const name = str(row, 'TABLE_NAME')
  const tableCollation = opt(row, 'TABLE_COLLATION')
  // MariaDB's JSON is longtext with a column check json_valid(`c`), named after the column it was made for: a
  // RENAME COLUMN rewrites the check's expression but not its name, so the expression names the column.
  const jsonCheckColumn = (c: Row): string | undefined =>
    str(c, 'LEVEL') === 'Column'
      ? /^json_valid\(`((?:[^`]|``)+)`\)$/.exec(str(c, 'CHECK_CLAUSE'))?.[1]?.replaceAll('``', '`')
      : undefined
  const longtext = new Set(
    columnRows.filter((c) => /^longtext$/i.test(str(c, 'COLUMN_TYPE'))).map((c) => str(c, 'COLUMN_NAME')),
  )
  const jsonColumns = new Set(checkRows.flatMap((c) => jsonCheckColumn(c) ?? []).filter((c) => longtext.has(c)))
  const columns = columnRows.map((c) => readColumn(c, tableCollation, jsonColumns, server))
  const byIndex = groupBy(
    indexRows,
    (r) => str(r, 'INDEX_NAME'),
    (r) => r,
  )
  let primaryKey: Table['primaryKey']
  const uniques: UniqueConstraint[] = []
  const indexes: Index[] = []
  for (const [indexName, parts] of byIndex) {
    const first = parts[0] as Row
    if (indexName === 'PRIMARY') {
      primaryKey = { name: 'PRIMARY', columns: parts.map((p) => str(p, 'COLUMN_NAME')) }
      continue
    }
    const type = str(first, 'INDEX_TYPE').toUpperCase()
    const method = type === 'FULLTEXT' || type === 'SPATIAL' ? type : undefined
    const comment = str(first, 'INDEX_COMMENT')
    const index: Index = {
      name: indexName,
      parts: parts.map((p) => {
        const column = opt(p, 'COLUMN_NAME')
        const length = method === 'SPATIAL' ? undefined : num(p, 'SUB_PART')
        return {
          ...(column === undefined ? { expr: str(p, 'EXPRESSION') } : { column }),
          ...(str(p, 'COLLATION') === 'D' ? { descending: true as const } : {}),
          ...(length === undefined ? {} : { length }),
        }
      }),
      unique: Number(get(first, 'NON_UNIQUE')) === 0,
      ...(method === undefined ? {} : { method }),
      include: [],
      ...(Number(get(first, 'INVISIBLE')) === 1 ? { invisible: true as const } : {}),
      ...(comment === '' ? {} : { comment }),
    }
    if (isPlainUnique(index)) uniques.push({ name: index.name, columns: index.parts.map((p) => p.column as string) })
    else indexes.push(index)
  }
  const foreignKeys: ForeignKey[] = [
    ...groupBy(
      fkRows,
      (r) => str(r, 'CONSTRAINT_NAME'),
      (r) => r,
    ),
  ].map(([fkName, rs]) => {
    const first = rs[0] as Row
    return {
      name: fkName,
      columns: rs.map((r) => str(r, 'COLUMN_NAME')),
      references: {
        table: { name: str(first, 'REFERENCED_TABLE_NAME') },
        columns: rs.map((r) => str(r, 'REFERENCED_COLUMN_NAME')),
      },
      onDelete: action(str(first, 'DELETE_RULE')),
      onUpdate: action(str(first, 'UPDATE_RULE')),
    }
  })
  const checks: Check[] = checkRows
    .filter((c) => !jsonColumns.has(jsonCheckColumn(c) ?? ''))
    .map((c) => {
      const expr = str(c, 'CHECK_CLAUSE')
      if (str(c, 'LEVEL') !== 'Column') return { name: str(c, 'CONSTRAINT_NAME'), expr }
      // A column check keeps the name its column had when it was made (a RENAME COLUMN updates the expression,
      // not the name), and may read only its own column: that column, found in the expression, names it.
      const column = columnOfCheck(expr, str(c, 'CONSTRAINT_NAME'), columns)
      return { name: column, expr, column }
    })
  const engine = opt(row, 'ENGINE')
  const rowFormat = /row_format=(\w+)/i.exec(str(row, 'CREATE_OPTIONS'))?.[1]?.toUpperCase()
  const mysql = {
    ...(engine === undefined || engine.toLowerCase() === 'innodb' ? {} : { engine }),
    ...(rowFormat === undefined ? {} : { rowFormat }),
    ...(tableCollation === undefined || tableCollation === server.collation ? {} : { collation: tableCollation }),
  }
  const comment = str(row, 'TABLE_COMMENT')
  return {
    name: { name },
    columns,
    ...(primaryKey === undefined ? {} : { primaryKey }),
    uniques: uniques.sort((a, b) => a.name.localeCompare(b.name)),
    indexes: indexes.sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: foreignKeys.sort((a, b) => a.name.localeCompare(b.name)),
    checks: checks.sort((a, b) => a.name.localeCompare(b.name)),
    ...(comment === '' ? {} : { comment }),
    ...(Object.keys(mysql).length === 0 ? {} : { ext: { mysql } }),
  }
}

function readColumn(row: Row, tableCollation: string | undefined, json: ReadonlySet<string>, server: Server): Column {
  const name = str(row, 'COLUMN_NAME')
  const extra = str(row, 'EXTRA')
  const isJson = json.has(name) && /^longtext$/i.test(str(row, 'COLUMN_TYPE'))
  const type = isJson ? ({ kind: 'json' } as const) : parseMysqlType(str(row, 'COLUMN_TYPE'))
  const generatedExpr = opt(row, 'GENERATION_EXPRESSION')
  const generated = /\b(STORED|VIRTUAL) GENERATED\b/i.exec(extra)
  const collation = opt(row, 'COLLATION_NAME')
  const onUpdate = /\bon update (\S+)/i.exec(extra)?.[1]
  const dflt = generated ? undefined : readDefault(opt(row, 'COLUMN_DEFAULT'), extra, type, server.mariadb)
  const comment = str(row, 'COLUMN_COMMENT')
  return {
    name,
    type,
    nullable: str(row, 'IS_NULLABLE') === 'YES',
    ...(dflt === undefined ? {} : { default: { kind: 'sql', sql: dflt } }),
    ...(/\bauto_increment\b/i.test(extra) ? { identity: { always: false } } : {}),
    ...(generated && generatedExpr !== undefined
      ? { generated: { expr: generatedExpr, stored: generated[1]?.toUpperCase() === 'STORED' } }
      : {}),
    ...(collation === undefined || collation === tableCollation || isJson ? {} : { collation }),
    ...(onUpdate === undefined ? {} : { onUpdate }),
    ...(comment === '' ? {} : { comment }),
  }
}

/** The column a MariaDB column check belongs to: the table's column its expression names, else its own name. */
function columnOfCheck(expr: string, name: string, columns: readonly Column[]): string {
  const named = new Set([...expr.matchAll(/`((?:[^`]|``)+)`/g)].map((m) => (m[1] as string).replaceAll('``', '`')))
  const found = columns.filter((c) => named.has(c.name))
  return found.length === 1 ? (found[0] as Column).name : name
}

function action(rule: string): ReferentialAction {
  const upper = rule.toUpperCase()
  return (['RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'] as const).find((a) => a === upper) ?? 'NO ACTION'
}

/** A routine as one CREATE statement rebuilt from ROUTINES and PARAMETERS (the definer is left out). */
function readRoutine(row: Row, parameters: readonly Row[]): Routine {
  const name = str(row, 'ROUTINE_NAME')
  const procedure = str(row, 'ROUTINE_TYPE') === 'PROCEDURE'
  const args = parameters
    .map(
      (p) =>
        `${procedure ? `${str(p, 'PARAMETER_MODE')} ` : ''}${str(p, 'PARAMETER_NAME')} ${str(p, 'DTD_IDENTIFIER')}`,
    )
    .join(', ')
  const returns = procedure ? undefined : str(row, 'DTD_IDENTIFIER')
  const comment = str(row, 'ROUTINE_COMMENT')
  const characteristics = [
    str(row, 'IS_DETERMINISTIC') === 'YES' ? 'DETERMINISTIC' : '',
    str(row, 'SQL_DATA_ACCESS'),
    str(row, 'SECURITY_TYPE') === 'INVOKER' ? 'SQL SECURITY INVOKER' : '',
    comment === '' ? '' : `COMMENT ${quoteLiteral(comment)}`,
  ].filter((c) => c !== '')
  const definition =
    `CREATE ${procedure ? 'PROCEDURE' : 'FUNCTION'} ${quoteIdent(name)}(${args})` +
    `${returns === undefined ? '' : ` RETURNS ${returns}`}\n${characteristics.join('\n')}\n${str(row, 'ROUTINE_DEFINITION')}`
  return {
    name: { name },
    kind: procedure ? 'procedure' : 'function',
    identityArgs: '',
    arguments: args,
    ...(returns === undefined ? {} : { returns }),
    definition,
    dependsOn: [],
    ext: sqlModeOf(row),
  }
}

/** The sql_mode a routine or trigger was stored with (information_schema's SQL_MODE). */
function sqlModeOf(row: Row): ProgramExt {
  return { mysql: { sqlMode: str(row, 'SQL_MODE') } }
}
