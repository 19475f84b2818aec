/**
 * Small readers over node-sql-parser's MySQL tree (dialect/mysql/statement-parse.ts) for the MySQL lint rules: the table a
 * statement creates or alters, the foreign keys it adds, and the indexes it builds. The tree is loosely typed
 * (node-sql-parser's own types leave most DDL as `any`), so each reader checks the shape it relies on.
 */
import type { AST } from 'node-sql-parser'

type Loose = Readonly<Record<string, unknown>>

/** A foreign key a statement adds: its table (lowercase, as the MySQL rules key tables) and its columns, in order. */
export interface MysqlForeignKey {
  readonly table: string
  readonly name: string | undefined
  readonly columns: readonly string[]
}

/** The indexes a statement builds, by table: each index's columns in order (an index serves its leftmost ones). */
export type MysqlIndexes = ReadonlyMap<string, readonly (readonly string[])[]>

const isLoose = (value: unknown): value is Loose => typeof value === 'object' && value !== null
const list = (value: unknown): readonly Loose[] => (Array.isArray(value) ? value.filter(isLoose) : [])

/** A table reference (`{ db, table }`) as a key: `table`, or `db.table`, lowercase. */
function tableKey(ref: unknown): string | undefined {
  const only = Array.isArray(ref) ? ref[0] : ref
  if (!isLoose(only) || typeof only.table !== 'string') return undefined
  const name = only.table.toLowerCase()
  return typeof only.db === 'string' && only.db !== '' ? `${only.db.toLowerCase()}.${name}` : name
}

/** A column_ref's name: a string, or `{ expr: { value } }` in newer grammars; undefined for a prefix. */
function columnName(ref: unknown): string | undefined {
  if (!isLoose(ref)) return undefined
  // A prefix of the column (`name(10)`: suffix "(10)") is not the column, for what an index can serve.
  if (typeof ref.suffix === 'string' && ref.suffix !== '') return undefined
  const column = ref.column
  if (typeof column === 'string') return column.toLowerCase()
  if (isLoose(column) && isLoose(column.expr) && typeof column.expr.value === 'string')
    return column.expr.value.toLowerCase()
  return undefined
}

/**
 * The columns of a key, in order, up to the first part that is no plain column: a prefix (`name(10)`, which the
 * grammar reads as a function call) or an expression. An index serves a foreign key only through its leftmost
 * plain columns (InnoDB does not check a foreign key through a prefix), so `(name(10), a)` must not read as `(a)`.
 */
function columnsOf(defs: unknown): readonly string[] {
  const names: string[] = []
  for (const d of list(defs)) {
    const name = columnName(d)
    if (name === undefined) break
    names.push(name)
  }
  return names
}

/** The table a CREATE TABLE or ALTER TABLE names. */
export function mysqlTableOf(ast: AST): string | undefined {
  const tree = ast as unknown as Loose
  if ((tree.type === 'create' && tree.keyword === 'table') || tree.type === 'alter') return tableKey(tree.table)
  return undefined
}

/** Whether the statement is CREATE TABLE (its table's indexes are all in it). */
export function mysqlCreatesTable(ast: AST): boolean {
  const tree = ast as unknown as Loose
  return tree.type === 'create' && tree.keyword === 'table'
}

/** A definition of CREATE TABLE or ALTER TABLE ... ADD, flattened (ALTER nests it under `create_definitions`). */
function definitions(ast: AST): readonly Loose[] {
  const tree = ast as unknown as Loose
  if (tree.type === 'create' && tree.keyword === 'table') return list(tree.create_definitions)
  if (tree.type !== 'alter') return []
  return list(tree.expr).flatMap((e) => {
    if (e.action !== 'add') return []
    return isLoose(e.create_definitions) ? [e.create_definitions] : [e]
  })
}

/** The foreign keys a CREATE TABLE or ALTER TABLE adds. */
export function mysqlForeignKeys(ast: AST): readonly MysqlForeignKey[] {
  const table = mysqlTableOf(ast)
  if (table === undefined) return []
  return definitions(ast).flatMap((d) => {
    if (typeof d.constraint_type !== 'string' || d.constraint_type.toLowerCase() !== 'foreign key') return []
    const name = typeof d.constraint === 'string' ? d.constraint : undefined
    return [{ table, name, columns: columnsOf(d.definition) }]
  })
}

/**
 * The B-tree indexes a statement builds (which can serve a foreign key): keys, unique and primary keys of CREATE
 * TABLE (inline on a column too), ALTER TABLE ... ADD INDEX/KEY/UNIQUE/PRIMARY KEY, and CREATE INDEX. FULLTEXT and
 * SPATIAL indexes cannot serve a foreign key and are left out.
 */
export function mysqlIndexes(ast: AST): MysqlIndexes {
  const tree = ast as unknown as Loose
  const out = new Map<string, (readonly string[])[]>()
  const add = (table: string | undefined, columns: readonly string[]) => {
    if (table === undefined || columns.length === 0) return
    out.set(table, [...(out.get(table) ?? []), columns])
  }
  if (tree.type === 'create' && tree.keyword === 'index') {
    if (!/fulltext|spatial/i.test(String(tree.index_type ?? '')))
      add(tableKey(tree.table), columnsOf(tree.index_columns))
    return out
  }
  const table = mysqlTableOf(ast)
  for (const d of definitions(ast)) {
    if (d.resource === 'column') {
      const name = columnName(d.column)
      if (name !== undefined && (d.primary_key != null || d.unique != null)) add(table, [name])
    } else if (d.resource === 'index') {
      if (!/fulltext|spatial/i.test(String(d.keyword ?? ''))) add(table, columnsOf(d.definition))
    } else if (typeof d.constraint_type === 'string' && /primary|unique/i.test(d.constraint_type)) {
      add(table, columnsOf(d.definition))
    }
  }
  return out
}

/** Whether some index's leftmost columns are `columns`, in order (what InnoDB needs to check a foreign key). */
export function servedBy(columns: readonly string[], indexes: readonly (readonly string[])[]): boolean {
  return indexes.some((index) => columns.every((c, i) => index[i] === c))
}
