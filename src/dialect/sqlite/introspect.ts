import type { Connection } from '../../db/connection.js'
import { compareKeys } from '../../diff/diff-named.js'
import type {
  Check,
  Column,
  ForeignKey,
  Index,
  IndexPart,
  ReferentialAction,
  Schema,
  Table,
  Trigger,
  UniqueConstraint,
  UnmanagedObject,
  View,
} from '../../schema/model.js'
import type { IntrospectOptions } from '../dialect.js'
import { readConflictClauses } from './conflict-clauses.js'
import { declaredName, readConstraintNames } from './constraint-names.js'
import { foldIdentifier, sameColumns, sameIdentifier } from './same-identifier.js'
import { checksIn, findKeyword, parenthesized, splitTopLevel, unquote } from './sql-text.js'

interface SchemaRow {
  type: 'table' | 'index' | 'view' | 'trigger'
  name: string
  tbl_name: string
  sql: string | null
}

interface ColumnRow {
  name: string
  type: string
  notnull: number
  dflt_value: string | null
  pk: number
  /** 0 ordinary, 2 generated virtual, 3 generated stored (table_xinfo). */
  hidden: number
}

interface IndexListRow {
  name: string
  unique: number
  origin: 'c' | 'u' | 'pk'
}

interface ForeignKeyRow {
  id: number
  seq: number
  table: string
  from: string
  to: string | null
  on_update: string
  on_delete: string
}

/** A declared type in one spelling: upper case, single spaces (SQLite keeps the text as written). */
export function normalizeType(declared: string): string {
  return declared
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*\)/g, ')')
    .toUpperCase()
}

/**
 * Reads a SQLite database's schema from sqlite_schema and the table PRAGMAs: tables (declared types,
 * defaults, generated columns, primary keys with AUTOINCREMENT, WITHOUT ROWID and STRICT), unique
 * constraints, indexes (partial and expression ones), foreign keys with actions, CHECKs, views and triggers.
 * Unnamed constraints get PostgreSQL's default names, so that schemas compare the same from any source.
 */
export async function introspectSqlite(conn: Connection, options: IntrospectOptions = {}): Promise<Schema> {
  // keel_lock is the runner lock's row (runner/lock-row.ts): Keel's own, like the journal. Commands name the
  // journal with its configured namespace (`public.keel_migrations`); SQLite has none, so the bare name counts too.
  const excluded = new Set([
    ...(options.excludeTables ?? []).flatMap((t) => [t, t.replace(/^[^.]*\./, '')]),
    'keel_lock',
  ])
  const rows = (
    await conn.query<SchemaRow>(
      `select type, name, tbl_name, sql from sqlite_schema where name not like 'sqlite\\_%' escape '\\' order by name`,
    )
  ).filter((row) => !excluded.has(row.tbl_name))
  // A virtual table (CREATE VIRTUAL TABLE ... USING fts5) is its module's, and so are the shadow tables it keeps its
  // data in: Keel neither reads them as tables nor could create them as such.
  const kinds = new Map(
    (
      await conn.query<{ name: string; type: string }>(`select name, type from pragma_table_list where schema = 'main'`)
    ).map((r) => [r.name, r.type]),
  )
  const isModuleTable = (name: string) => kinds.get(name) === 'virtual' || kinds.get(name) === 'shadow'
  const unmanaged: UnmanagedObject[] = rows
    .filter((r) => r.type === 'table' && kinds.get(r.name) === 'virtual')
    .map((r) => ({ kind: 'virtual table', name: r.name }))
  const tables: Table[] = []
  for (const row of rows.filter((r) => r.type === 'table' && !isModuleTable(r.name))) {
    const { table, clauses } = await readTable(conn, row, rows)
    tables.push(table)
    unmanaged.push(...clauses)
  }
  const views: View[] = rows
    .filter((r) => r.type === 'view' && r.sql !== null)
    .map((r) => {
      // `CREATE VIEW v (a, b) AS ...` names the view's columns apart from its SELECT.
      const columns = viewColumnList(r.sql as string)
      return {
        name: { name: r.name },
        definition: viewBody(r.sql as string),
        ...(columns === undefined ? {} : { columns }),
        materialized: false,
        dependsOn: [],
        indexes: [],
      }
    })
  const triggers: Trigger[] = rows
    .filter((r) => r.type === 'trigger' && r.sql !== null)
    .map((r) => ({
      table: { name: r.tbl_name },
      name: r.name,
      definition: (r.sql as string).trim(),
      function: { name: '' },
      columns: [],
    }))
  return {
    namespaces: [],
    extensions: [],
    enums: [],
    sequences: [],
    tables,
    views,
    ...(triggers.length > 0 ? { triggers } : {}),
    ...(options.unmanaged === true && unmanaged.length > 0 ? { unmanaged } : {}),
  }
}

/**
 * A table, and the clauses of its CREATE TABLE that the model has no place for (`NULL ON CONFLICT ...`, which SQLite
 * ignores), to be listed as unmanaged rather than lost without a word.
 */
async function readTable(
  conn: Connection,
  row: SchemaRow,
  all: readonly SchemaRow[],
): Promise<{ table: Table; clauses: UnmanagedObject[] }> {
  const sql = row.sql ?? ''
  const columnRows = await conn.query<ColumnRow>(`select * from pragma_table_xinfo(${literal(row.name)})`)
  const body = parenthesized(sql)?.inner ?? ''
  const elements = splitTopLevel(body)
  const conflicts = readConflictClauses(elements)
  const names = readConstraintNames(elements)
  /** `declaredName` when the CREATE TABLE names the constraint. */
  const named = (kind: 'primary key' | 'unique' | 'foreign key', columns: readonly string[]) => {
    const name = declaredName(names, kind, columns)
    return name === undefined ? {} : { declaredName: name }
  }
  const clauses = conflicts.unplaced.map((element) => ({
    kind: 'ON CONFLICT clause',
    name: `${row.name} (${element.replace(/\s+/g, ' ')})`,
  }))
  const columns = columnRows.map((c) => {
    const column = readColumn(c, elements)
    const onConflict = conflicts.notNull.get(foldIdentifier(c.name))
    return onConflict === undefined || column.nullable ? column : { ...column, notNullOnConflict: onConflict }
  })
  const pkColumns = columnRows
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name)
  const autoincrement = /\bAUTOINCREMENT\b/i.test(sql)
  const withColumns = columns.map((c) =>
    autoincrement && pkColumns.length === 1 && c.name === pkColumns[0] ? { ...c, identity: { always: false } } : c,
  )
  const indexList = await conn.query<IndexListRow>(
    `select name, "unique", origin from pragma_index_list(${literal(row.name)})`,
  )
  const uniques: UniqueConstraint[] = []
  const indexes: Index[] = []
  for (const index of indexList) {
    if (index.origin === 'pk') continue
    const cols = (
      await conn.query<{ name: string | null }>(
        `select name from pragma_index_info(${literal(index.name)}) order by seqno`,
      )
    ).map((c) => c.name ?? '')
    if (index.origin === 'u') {
      const onConflict = conflicts.uniques.find((u) => sameColumns(u.columns, cols))?.onConflict
      uniques.push({
        name: `${row.name}_${cols.join('_')}_key`,
        columns: cols,
        ...named('unique', cols),
        ...(onConflict === undefined ? {} : { onConflict }),
      })
    } else {
      const create = all.find((r) => r.type === 'index' && r.name === index.name)?.sql ?? ''
      indexes.push(readIndex(index, create))
    }
  }
  const fkRows = await conn.query<ForeignKeyRow>(
    `select * from pragma_foreign_key_list(${literal(row.name)}) order by id, seq`,
  )
  const foreignKeys = (await readForeignKeys(conn, row.name, fkRows)).map((fk) =>
    withDeferrable({ ...fk, ...named('foreign key', fk.columns) }, elements),
  )
  const checks: Check[] = elements
    .flatMap((element) => {
      const onConflict = conflicts.checks.get(element)
      return checksIn(element).map((check) => ({ ...check, ...(onConflict === undefined ? {} : { onConflict }) }))
    })
    .map(({ name, ...check }, i, list) => ({
      name: name ?? `${row.name}_check${list.length > 1 ? i + 1 : ''}`,
      ...check,
    }))
  const options = tableOptions(sql)
  const table: Table = {
    name: { name: row.name },
    columns: withColumns,
    ...(pkColumns.length > 0
      ? {
          primaryKey: {
            name: `${row.name}_pkey`,
            columns: pkColumns,
            ...named('primary key', pkColumns),
            ...(conflicts.primaryKey === undefined ? {} : { onConflict: conflicts.primaryKey }),
          },
        }
      : {}),
    uniques: uniques.sort((a, b) => compareKeys(a.name, b.name)),
    indexes: indexes.sort((a, b) => compareKeys(a.name, b.name)),
    foreignKeys,
    checks,
    ...(options === undefined ? {} : { ext: { sqlite: options } }),
  }
  return { table, clauses }
}

function readColumn(c: ColumnRow, elements: readonly string[]): Column {
  const generated = c.hidden === 2 || c.hidden === 3 ? generatedExpr(c.name, elements) : undefined
  const collation = columnCollation(columnElement(c.name, elements))
  return {
    name: c.name,
    type: { kind: 'native', sql: normalizeType(c.type) },
    // A PRIMARY KEY column of a rowid table may hold NULL unless declared NOT NULL (a SQLite quirk); kept as declared.
    nullable: c.notnull === 0,
    ...(c.dflt_value === null ? {} : { default: { kind: 'sql', sql: c.dflt_value } }),
    ...(generated === undefined ? {} : { generated: { expr: generated, stored: c.hidden === 3 } }),
    ...(collation === undefined ? {} : { collation }),
  }
}

/** The definition of column `name` in the CREATE TABLE text (empty when not found). */
function columnElement(name: string, elements: readonly string[]): string {
  return elements.find((e) => !isTableConstraint(e) && sameIdentifier(unquote(firstWord(e)), name)) ?? ''
}

/** Whether a CREATE TABLE element is a table constraint rather than a column definition. */
function isTableConstraint(element: string): boolean {
  return /^(CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN)\b/i.test(element.trim())
}

/** The collation a column definition names (`COLLATE NOCASE`), as written but unquoted. */
function columnCollation(element: string): string | undefined {
  const at = findKeyword(element, /^COLLATE\b/i)
  if (at === -1) return undefined
  const m = /^COLLATE\s+("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_$]*)/i.exec(
    element.slice(at),
  )
  if (m?.[1] === undefined) return undefined
  return m[1].startsWith("'") ? m[1].slice(1, -1).replaceAll("''", "'") : unquote(m[1])
}

/**
 * A foreign key with the DEFERRABLE clause its definition carries (PRAGMA foreign_key_list does not report it): the
 * element that declares it is the table constraint `FOREIGN KEY (its columns)`, or the definition of its one column.
 */
function withDeferrable(fk: ForeignKey, elements: readonly string[]): ForeignKey {
  const element = elements.find((e) => {
    const constraint = /^(?:CONSTRAINT\s+(?:"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|\S+)\s+)?FOREIGN\s+KEY\b/i.exec(e.trim())
    if (constraint !== null) {
      const columns = splitTopLevel(parenthesized(e.trim(), constraint[0].length)?.inner ?? '').map(unquote)
      return sameColumns(columns, fk.columns)
    }
    return (
      fk.columns.length === 1 &&
      !isTableConstraint(e) &&
      sameIdentifier(unquote(firstWord(e)), fk.columns[0] ?? '') &&
      findKeyword(e, /^REFERENCES\b/i) !== -1
    )
  })
  if (element === undefined) return fk
  const at = findKeyword(element, /^DEFERRABLE\b/i)
  if (at === -1 || /\bNOT\s+$/i.test(element.slice(0, at))) return fk
  const deferred = /^DEFERRABLE\s+INITIALLY\s+DEFERRED\b/i.test(element.slice(at))
  return { ...fk, deferrable: { initiallyDeferred: deferred } }
}

/** The expression of a generated column, from its definition in the CREATE TABLE text. */
function generatedExpr(name: string, elements: readonly string[]): string {
  const element = columnElement(name, elements)
  const at = findKeyword(element, /^AS\b/i)
  return parenthesized(element, at === -1 ? 0 : at)?.inner.trim() ?? ''
}

function firstWord(element: string): string {
  const m = /^("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|\S+)/.exec(element)
  return m?.[1] ?? ''
}

function readIndex(index: IndexListRow, create: string): Index {
  const onAt = findKeyword(create, /^ON\b/i)
  const list = parenthesized(create, onAt === -1 ? 0 : onAt)
  const parts: IndexPart[] = splitTopLevel(list?.inner ?? '').map(indexPart)
  const whereAt = list === undefined ? -1 : findKeyword(create, /^WHERE\b/i, list.end)
  return {
    name: index.name,
    parts,
    unique: index.unique === 1,
    ...(whereAt === -1 ? {} : { where: create.slice(whereAt + 5).trim() }),
    include: [],
  }
}

function indexPart(text: string): IndexPart {
  let rest = text.trim()
  const descending = /\s+DESC$/i.test(rest)
  rest = rest.replace(/\s+(ASC|DESC)$/i, '')
  const collate = /\s+COLLATE\s+("(?:[^"]|"")*"|\S+)$/i.exec(rest)
  if (collate !== null) rest = rest.slice(0, collate.index)
  const plain = /^("(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[A-Za-z_][A-Za-z0-9_$]*)$/.test(rest)
  return {
    ...(plain ? { column: unquote(rest) } : { expr: rest }),
    ...(descending ? { descending: true as const } : {}),
    ...(collate?.[1] === undefined ? {} : { collation: unquote(collate[1]) }),
  }
}

async function readForeignKeys(conn: Connection, table: string, rows: readonly ForeignKeyRow[]): Promise<ForeignKey[]> {
  const byId = new Map<number, ForeignKeyRow[]>()
  for (const r of rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r])
  const keys: ForeignKey[] = []
  for (const group of byId.values()) {
    const first = group[0] as ForeignKeyRow
    const columns = group.map((r) => r.from)
    // REFERENCES parent without columns means the parent's primary key.
    const refColumns = group.every((r) => r.to !== null)
      ? group.map((r) => r.to as string)
      : (
          await conn.query<{ name: string; pk: number }>(
            `select name, pk from pragma_table_info(${literal(first.table)}) where pk > 0 order by pk`,
          )
        ).map((r) => r.name)
    keys.push({
      name: `${table}_${columns.join('_')}_fkey`,
      columns,
      references: { table: { name: first.table }, columns: refColumns },
      onDelete: action(first.on_delete),
      onUpdate: action(first.on_update),
    })
  }
  return keys.sort((a, b) => compareKeys(a.name, b.name))
}

function action(text: string): ReferentialAction {
  const upper = text.toUpperCase()
  return (['RESTRICT', 'CASCADE', 'SET NULL', 'SET DEFAULT'] as const).find((a) => a === upper) ?? 'NO ACTION'
}

/** WITHOUT ROWID and STRICT, written after the column list. */
function tableOptions(sql: string): { withoutRowid?: true; strict?: true } | undefined {
  const list = parenthesized(sql)
  const tail = list === undefined ? '' : sql.slice(list.end)
  const withoutRowid = /\bWITHOUT\s+ROWID\b/i.test(tail)
  const strict = /\bSTRICT\b/i.test(tail)
  if (!withoutRowid && !strict) return undefined
  return { ...(withoutRowid ? { withoutRowid: true as const } : {}), ...(strict ? { strict: true as const } : {}) }
}

/** The column names of `CREATE VIEW v (a, b) AS ...`, or undefined when the SELECT names the columns. */
function viewColumnList(sql: string): string[] | undefined {
  const at = findKeyword(sql, /^AS\b/i)
  const list = at === -1 ? undefined : parenthesized(sql.slice(0, at))
  return list === undefined ? undefined : splitTopLevel(list.inner).map(unquote)
}

/** The SELECT of a CREATE VIEW, as written. */
export function viewBody(sql: string): string {
  const at = findKeyword(sql, /^AS\b/i)
  return at === -1 ? sql : sql.slice(at + 2).trim()
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}
