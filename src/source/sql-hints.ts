import type { QualifiedName } from '../schema/model.js'

/** Rename hints written as comments in a SQL schema file. */
export interface SqlRenameHints {
  readonly tables: readonly { readonly table: QualifiedName; readonly from: string }[]
  readonly columns: readonly { readonly table: QualifiedName; readonly column: string; readonly from: string }[]
  /** `-- keel:backfill EXPR` on a column's line: the rest of the line is the expression. */
  readonly backfills: readonly { readonly table: QualifiedName; readonly column: string; readonly expr: string }[]
}

const HINT = /--\s*keel:renamed-from\s+("(?:[^"]|"")+"|[\w$]+)/i
const BACKFILL = /--\s*keel:backfill\s+(.*\S)\s*$/i
const CREATE_TABLE =
  /\bcreate\s+(?:(?:global\s+|local\s+)?(?:temp|temporary)\s+|unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?((?:"(?:[^"]|"")+"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[\w$]+))?)/i
const LEADING_IDENT = /^\s*("(?:[^"]|"")+"|[\w$]+)/

/**
 * Reads `-- keel:renamed-from old_name` hints from a SQL schema file. On the line of a
 * `CREATE TABLE` the hint renames the table; on a column's line inside a CREATE TABLE it renames that
 * column. Unquoted names fold to lower case, as PostgreSQL folds them. `-- keel:backfill EXPR` on a
 * column's line says where a new column's values come from: the rest of the line, as SQL over the
 * table's current columns.
 *
 * @example
 * ```sql
 * create table customers ( -- keel:renamed-from clients
 *   full_name text         -- keel:backfill first_name || ' ' || last_name
 * );
 * ```
 */
export function readSqlRenameHints(sql: string): SqlRenameHints {
  const tables: { table: QualifiedName; from: string }[] = []
  const columns: { table: QualifiedName; column: string; from: string }[] = []
  const backfills: { table: QualifiedName; column: string; expr: string }[] = []
  let current: QualifiedName | undefined
  for (const line of sql.split('\n')) {
    const code = line.replace(/--.*$/, '')
    const created = CREATE_TABLE.exec(code)
    if (created) current = parseQualified(created[1]!)
    const backfill = BACKFILL.exec(line)
    if (backfill && current) {
      const columnText = created ? code.slice(created.index + created[0].length).replace(/^\s*\(/, '') : code
      const ident = LEADING_IDENT.exec(columnText)
      if (ident) backfills.push({ table: current, column: unquote(ident[1]!), expr: backfill[1]! })
    }
    const hint = HINT.exec(line.replace(BACKFILL, ''))
    if (hint) {
      const from = unquote(hint[1]!)
      // `create table t (a int -- hint` names column a; `create table t ( -- hint` names the table.
      const columnText = created ? code.slice(created.index + created[0].length).replace(/^\s*\(/, '') : code
      const ident = current ? LEADING_IDENT.exec(columnText) : null
      if (ident && current) columns.push({ table: current, column: unquote(ident[1]!), from })
      else if (created && current) tables.push({ table: current, from })
    }
    // A statement ending on this line closes the table body.
    if (/;\s*$/.test(code)) current = undefined
  }
  return { tables, columns, backfills }
}

function parseQualified(text: string): QualifiedName {
  const parts = text.match(/"(?:[^"]|"")+"|[\w$]+/g) ?? []
  return parts.length === 2 ? { schema: unquote(parts[0]!), name: unquote(parts[1]!) } : { name: unquote(parts[0]!) }
}

function unquote(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replaceAll('""', '"') : ident.toLowerCase()
}
