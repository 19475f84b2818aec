import type {
  Check,
  Column,
  ForeignKey,
  Index,
  IndexPart,
  ProgramExt,
  Routine,
  Table,
  Trigger,
  View,
} from '../../schema/model.js'
import { quoteIdent, quoteLiteral } from './quote.js'
import { renderMysqlType } from './type.js'

/** SQL texts for MySQL and MariaDB objects: column definitions, keys, indexes, tables, views, triggers, routines. */

const list = (names: readonly string[]) => names.map(quoteIdent).join(', ')

/**
 * A default as MySQL accepts it after DEFAULT: literals, numbers, NULL and CURRENT_TIMESTAMP-like calls bare
 * (as information_schema prints them on MariaDB), anything else in parentheses (an expression default).
 */
export function renderDefault(sql: string): string {
  const t = sql.trim()
  if (
    /^('(?:[^'\\]|''|\\.)*'|[+-]?\d+(\.\d+)?([eE][+-]?\d+)?|NULL|TRUE|FALSE|b'[01]*'|x'[0-9A-Fa-f]*'|0x[0-9A-Fa-f]+|\(.*\))$/is.test(
      t,
    ) ||
    /^(current_timestamp|now|localtime|localtimestamp)(\(\d*\))?$/i.test(t)
  )
    return t
  return `(${t})`
}

/**
 * A column definition for CREATE TABLE, ADD COLUMN and MODIFY COLUMN. Generated columns take no NULL / NOT NULL
 * (MariaDB refuses both); other columns always say which, so that a `timestamp` never gets MySQL's implicit
 * NOT NULL DEFAULT CURRENT_TIMESTAMP.
 */
export function renderColumn(column: Column, check?: Check): string {
  const parts = [quoteIdent(column.name), renderMysqlType(column.type)]
  if (column.collation !== undefined) parts.push(`COLLATE ${column.collation}`)
  if (column.generated !== undefined) {
    parts.push(`AS (${column.generated.expr}) ${column.generated.stored ? 'STORED' : 'VIRTUAL'}`)
  } else {
    parts.push(column.nullable ? 'NULL' : 'NOT NULL')
    if (column.default !== undefined) parts.push(`DEFAULT ${renderDefault(column.default.sql)}`)
    if (column.onUpdate !== undefined) parts.push(`ON UPDATE ${column.onUpdate}`)
    if (column.identity !== undefined) parts.push('AUTO_INCREMENT')
  }
  if (column.comment !== undefined) parts.push(`COMMENT ${quoteLiteral(column.comment)}`)
  if (check !== undefined) parts.push(`CHECK (${check.expr})`)
  return parts.join(' ')
}

/** The column check of `column` in `table` (MariaDB's column-level CHECK), if any. */
export const columnCheck = (table: Table | undefined, column: string): Check | undefined =>
  table?.checks.find((c) => c.column === column)

function renderPart(part: IndexPart): string {
  const base = part.column !== undefined ? quoteIdent(part.column) : `(${part.expr ?? ''})`
  return `${base}${part.length === undefined ? '' : `(${part.length})`}${part.descending ? ' DESC' : ''}`
}

/** `[UNIQUE|FULLTEXT|SPATIAL] INDEX name (parts) [COMMENT ..] [IGNORED]`, for CREATE TABLE and ALTER TABLE ADD. */
export function renderIndex(index: Index): string {
  const kind = index.method !== undefined ? `${index.method.toUpperCase()} ` : index.unique ? 'UNIQUE ' : ''
  const comment = index.comment === undefined ? '' : ` COMMENT ${quoteLiteral(index.comment)}`
  return `${kind}INDEX ${quoteIdent(index.name)} (${index.parts.map(renderPart).join(', ')})${comment}${index.invisible ? ' IGNORED' : ''}`
}

/** A unique constraint is a unique index in MySQL. */
export const renderUnique = (name: string, columns: readonly string[]): string =>
  `UNIQUE INDEX ${quoteIdent(name)} (${list(columns)})`

/** Both actions always written: MySQL's default for an omitted one is RESTRICT, which the model would not say. */
export function renderForeignKey(fk: ForeignKey): string {
  return (
    `CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${list(fk.columns)}) REFERENCES ${quoteIdent(fk.references.table.name)} ` +
    `(${list(fk.references.columns)}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`
  )
}

export const renderCheck = (check: Check): string => `CONSTRAINT ${quoteIdent(check.name)} CHECK (${check.expr})`

/** Table options after the column list; only those the model states (the server's defaults otherwise). */
export function renderTableOptions(table: Table): string {
  const mysql = table.ext?.mysql
  const options = [
    mysql?.engine === undefined ? '' : `ENGINE=${mysql.engine}`,
    mysql?.collation === undefined ? '' : `DEFAULT COLLATE=${mysql.collation}`,
    mysql?.rowFormat === undefined ? '' : `ROW_FORMAT=${mysql.rowFormat}`,
    table.comment === undefined ? '' : `COMMENT=${quoteLiteral(table.comment)}`,
  ].filter((o) => o !== '')
  return options.join(' ')
}

/** CREATE TABLE with its keys, indexes, checks and the foreign keys in `foreignKeys` (others are added later). */
export function renderCreateTable(table: Table, foreignKeys: readonly ForeignKey[] = table.foreignKeys): string {
  const elements = table.columns.map((c) => renderColumn(c, columnCheck(table, c.name)))
  if (table.primaryKey !== undefined) elements.push(`PRIMARY KEY (${list(table.primaryKey.columns)})`)
  for (const u of table.uniques) elements.push(renderUnique(u.name, u.columns))
  for (const i of table.indexes) elements.push(renderIndex(i))
  for (const c of table.checks) if (c.column === undefined) elements.push(renderCheck(c))
  for (const fk of foreignKeys) elements.push(renderForeignKey(fk))
  const options = renderTableOptions(table)
  return `CREATE TABLE ${quoteIdent(table.name.name)} (\n  ${elements.join(',\n  ')}\n)${options === '' ? '' : ` ${options}`}`
}

export const renderCreateView = (view: View): string =>
  `CREATE ${view.securityInvoker ? 'SQL SECURITY INVOKER ' : ''}VIEW ${quoteIdent(view.name.name)} AS ${view.definition}`

/** A trigger's definition is its whole CREATE TRIGGER statement, as introspection rebuilds it. */
export const renderCreateTrigger = (trigger: Trigger): string => underSqlMode(trigger.definition, trigger.ext)

export const renderCreateRoutine = (routine: Routine): string => underSqlMode(routine.definition, routine.ext)

/**
 * A stored program's CREATE under the sql_mode it is to keep (the server stores the creating session's), the
 * session's own mode put back after it, as mysqldump writes routines and triggers.
 * https://mariadb.com/kb/en/sql-mode/#stored-programs
 */
function underSqlMode(create: string, ext: ProgramExt | undefined): string {
  const mode = ext?.mysql?.sqlMode
  if (mode === undefined) return create
  return [
    `SET @keel_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = ${quoteLiteral(mode)}`,
    create,
    'SET SESSION sql_mode = @keel_sql_mode',
  ].join(';\n')
}

export const renderDropRoutine = (routine: Routine): string =>
  `DROP ${routine.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${quoteIdent(routine.name.name)}`
