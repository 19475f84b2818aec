import { KeelError } from '../../errors.js'
import type { QualifiedName } from '../model.js'
import { type Brand, brandOf, stateOf } from './brand-of.js'
import type { ColumnRef } from './column-ref.js'
import { renderLiteral } from './render-literal.js'
import type { Sql } from './sql.js'
import type { TableState } from './table.js'

/**
 * The quoter `collect()` writes identifiers with when not told the target's (`CollectOptions.quoteIdent`): every
 * name double-quoted, inner quotes doubled, the SQL standard's delimited identifier. PostgreSQL and SQLite read it
 * as the name itself whatever its case and whether it is a keyword, so it is right without knowing which of them
 * normalises the module; MySQL reads `"x"` as a string, so a module for MySQL is collected with MySQL's quoter
 * (source/load-source.ts passes the quoter of the database that normalises the module).
 *
 * @example
 * standardQuoteIdent('order') // "order"
 */
export function standardQuoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** What rendering needs from `collect()`: resolved names of columns and named objects, and the target's quoter. */
export interface SqlNames {
  /** Quotes an identifier as the target dialect does (`"x"` on PostgreSQL, `` `x` `` on MySQL). */
  quoteIdent(name: string): string
  /** Quotes a string literal as the target dialect reads it (MySQL doubles backslashes, which escape there). */
  quoteLiteral(value: string): string
  /** The SQL name of a referenced column. */
  column(ref: ColumnRef): string
  /** The qualified name of a table, view, sequence or enum (by its state object). */
  object(state: object, brand: 'table' | 'view' | 'sequence' | 'enum'): QualifiedName
}

/** Rendered SQL text with what it mentions. */
export interface RenderedSql {
  readonly text: string
  /** Tables and views interpolated into the text (a view's dependencies). */
  readonly relations: readonly QualifiedName[]
}

/** `schema.name`, each part quoted by `quoteIdent`. */
function renderQualified(name: QualifiedName, quoteIdent: (name: string) => string): string {
  return name.schema === undefined ? quoteIdent(name.name) : `${quoteIdent(name.schema)}.${quoteIdent(name.name)}`
}

/**
 * Renders a `sql` fragment. Columns of `own` (the table whose check, index or default this is) render bare;
 * other columns render qualified by their table's name; tables and views render qualified by namespace;
 * sequences render as a quoted name (for `nextval(...)`), enums as a type name, other values as literals.
 */
export function renderSql(fragment: Sql, names: SqlNames, own?: TableState): RenderedSql {
  const relations: QualifiedName[] = []
  const text = renderInto(fragment, names, own, relations)
  return { text, relations }
}

function renderInto(fragment: Sql, names: SqlNames, own: TableState | undefined, relations: QualifiedName[]): string {
  let text = fragment.strings[0] ?? ''
  fragment.params.forEach((param, i) => {
    text += renderParam(param, names, own, relations) + (fragment.strings[i + 1] ?? '')
  })
  return text
}

function renderParam(param: unknown, names: SqlNames, own: TableState | undefined, relations: QualifiedName[]): string {
  const brand: Brand | undefined = brandOf(param)
  switch (brand) {
    case 'sql':
      return renderInto(param as Sql, names, own, relations)
    case 'ref': {
      const ref = param as ColumnRef
      const column = names.quoteIdent(names.column(ref))
      const table = stateOf<TableState>(ref.table)
      if (table === own) return column
      const tableName = names.object(table, 'table')
      relations.push(tableName)
      return `${names.quoteIdent(tableName.name)}.${column}`
    }
    case 'table':
    case 'view': {
      const name = names.object(stateOf<object>(param), brand)
      relations.push(name)
      return renderQualified(name, names.quoteIdent)
    }
    case 'sequence':
      return names.quoteLiteral(renderQualified(names.object(stateOf<object>(param), 'sequence'), names.quoteIdent))
    case 'enum':
      return renderQualified(names.object(stateOf<object>(param), 'enum'), names.quoteIdent)
    case undefined:
      return renderLiteral(param, undefined, names.quoteLiteral)
    default:
      throw new KeelError(
        'SCHEMA_MODULE',
        `a sql template interpolates a ${brand} declaration; interpolate a column reference (t.name or users.id), a table, a view, a sequence or a value`,
      )
  }
}
