import { assertNever } from '../../assert-never.js'
import type {
  Column,
  ColumnType,
  ConflictResolution,
  ForeignKey,
  Index,
  PrimaryKey,
  Table,
  Trigger,
  View,
} from '../../schema/model.js'
import { normalizeType } from './introspect.js'
import { quoteIdent } from './quote.js'

const list = (names: readonly string[]) => names.map(quoteIdent).join(', ')

/** `CONSTRAINT name ` before a constraint its CREATE TABLE named. */
const constraintName = (item: { readonly declaredName?: string } | undefined) =>
  item?.declaredName === undefined ? '' : `CONSTRAINT ${quoteIdent(item.declaredName)} `

/** ` ON CONFLICT x` after a constraint that has one (the model omits the default, ABORT). */
const onConflict = (resolution: ConflictResolution | undefined) =>
  resolution === undefined ? '' : ` ON CONFLICT ${resolution}`

/** A model column type in SQLite's words (declared types are kept as written; others get their usual spelling). */
export function renderType(type: ColumnType): string {
  switch (type.kind) {
    case 'native':
      return normalizeType(type.sql)
    case 'integer':
      return type.bytes === 8 ? 'BIGINT' : type.bytes === 2 ? 'SMALLINT' : 'INTEGER'
    case 'decimal':
      return type.precision === undefined
        ? 'NUMERIC'
        : `NUMERIC(${type.precision}${type.scale === undefined ? '' : `,${type.scale}`})`
    case 'float':
      return type.bytes === 4 ? 'REAL' : 'DOUBLE PRECISION'
    case 'text':
      return type.length === undefined ? 'TEXT' : `${type.fixed ? 'CHARACTER' : 'VARCHAR'}(${type.length})`
    case 'timestamp':
      return 'TIMESTAMP'
    case 'time':
      return 'TIME'
    case 'interval':
      return 'TEXT'
    case 'boolean':
      return 'BOOLEAN'
    case 'date':
      return 'DATE'
    case 'uuid':
      return 'UUID'
    case 'bytes':
      return 'BLOB'
    case 'json':
    case 'jsonb':
      return 'JSON'
    case 'enum':
      return 'TEXT'
    case 'array':
      return 'JSON'
    default:
      return assertNever(type)
  }
}

/** A column definition; `inlinePk` puts `PRIMARY KEY AUTOINCREMENT` on the column, where SQLite requires it. */
export function renderColumn(column: Column, inlinePk?: PrimaryKey): string {
  const parts = [quoteIdent(column.name), renderType(column.type)]
  if (column.collation !== undefined) parts.push(`COLLATE ${quoteIdent(column.collation)}`)
  if (inlinePk !== undefined)
    parts.push(`${constraintName(inlinePk)}PRIMARY KEY${onConflict(inlinePk.onConflict)} AUTOINCREMENT`)
  if (!column.nullable) parts.push(`NOT NULL${onConflict(column.notNullOnConflict)}`)
  if (column.default !== undefined) parts.push(`DEFAULT ${defaultSql(column.default.sql)}`)
  if (column.generated !== undefined)
    parts.push(`GENERATED ALWAYS AS (${column.generated.expr}) ${column.generated.stored ? 'STORED' : 'VIRTUAL'}`)
  return parts.join(' ')
}

/** A default as SQLite accepts it after DEFAULT: a literal, a signed number, a keyword, or a parenthesized expression. */
function defaultSql(sql: string): string {
  const t = sql.trim()
  if (
    /^('(?:[^']|'')*'|[+-]?\d+(\.\d+)?([eE][+-]?\d+)?|NULL|TRUE|FALSE|CURRENT_(TIME|DATE|TIMESTAMP)|X'[0-9A-Fa-f]*'|\(.*\))$/is.test(
      t,
    )
  )
    return t
  return `(${t})`
}

function renderForeignKey(fk: ForeignKey): string {
  const actions = [
    fk.onDelete === 'NO ACTION' ? '' : ` ON DELETE ${fk.onDelete}`,
    fk.onUpdate === 'NO ACTION' ? '' : ` ON UPDATE ${fk.onUpdate}`,
  ].join('')
  const deferrable =
    fk.deferrable === undefined
      ? ''
      : ` DEFERRABLE INITIALLY ${fk.deferrable.initiallyDeferred ? 'DEFERRED' : 'IMMEDIATE'}`
  return `${constraintName(fk)}FOREIGN KEY (${list(fk.columns)}) REFERENCES ${quoteIdent(fk.references.table.name)} (${list(fk.references.columns)})${actions}${deferrable}`
}

/** The column whose AUTOINCREMENT needs the primary key written on it, if any. */
function autoincrementColumn(table: Table): string | undefined {
  const pk = table.primaryKey?.columns
  if (pk?.length !== 1) return undefined
  return table.columns.find((c) => c.name === pk[0] && c.identity !== undefined)?.name
}

/** CREATE TABLE with every column and constraint (SQLite can add few of them later). */
export function renderCreateTable(table: Table, name = table.name.name): string {
  const inline = autoincrementColumn(table)
  const elements = table.columns.map((c) => renderColumn(c, c.name === inline ? table.primaryKey : undefined))
  if (table.primaryKey !== undefined && inline === undefined)
    elements.push(
      `${constraintName(table.primaryKey)}PRIMARY KEY (${list(table.primaryKey.columns)})${onConflict(table.primaryKey.onConflict)}`,
    )
  for (const u of table.uniques)
    elements.push(`${constraintName(u)}UNIQUE (${list(u.columns)})${onConflict(u.onConflict)}`)
  for (const c of table.checks)
    elements.push(`CONSTRAINT ${quoteIdent(c.name)} CHECK (${c.expr})${onConflict(c.onConflict)}`)
  for (const fk of table.foreignKeys) elements.push(renderForeignKey(fk))
  const options = [table.ext?.sqlite?.withoutRowid ? 'WITHOUT ROWID' : '', table.ext?.sqlite?.strict ? 'STRICT' : '']
    .filter((o) => o !== '')
    .join(', ')
  return `CREATE TABLE ${quoteIdent(name)} (\n  ${elements.join(',\n  ')}\n)${options === '' ? '' : ` ${options}`}`
}

export function renderCreateIndex(table: string, index: Index): string {
  const parts = index.parts.map((p) => {
    const base = p.column !== undefined ? quoteIdent(p.column) : (p.expr ?? '')
    return `${base}${p.collation === undefined ? '' : ` COLLATE ${quoteIdent(p.collation)}`}${p.descending ? ' DESC' : ''}`
  })
  const where = index.where === undefined ? '' : ` WHERE ${index.where}`
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(index.name)} ON ${quoteIdent(table)} (${parts.join(', ')})${where}`
}

export const renderCreateView = (view: View): string =>
  `CREATE VIEW ${quoteIdent(view.name.name)}${view.columns === undefined ? '' : ` (${list(view.columns)})`} AS ${view.definition}`

/** A trigger's definition is its whole CREATE TRIGGER statement, as SQLite keeps it. */
export const renderCreateTrigger = (trigger: Trigger): string => trigger.definition
