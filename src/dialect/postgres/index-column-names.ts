import type { Index, QualifiedName } from '../../schema/model.js'
import { renderCreateIndex } from './render.js'
import { indexColumnLabels } from './runner/index-name.js'
import { parseLoaded } from './sql-references.js'

/**
 * The names PostgreSQL gives the columns of `index` on `table` when the plan creates it, before ChooseIndexColumnNames
 * numbers the repeats: a column's own name, an expression's what FigureIndexColname calls it in the raw parse tree of
 * the CREATE INDEX the plan writes (the model's text of the expression, as the server printed it). A partition's copy
 * of the index is named from them (`<partition>_lower_idx`, `_expr_idx`): generateClonedIndexStmt gives the copy's
 * columns the parent index's column names. Read by the server's own parser (libpg_query): loadReferenceParser first.
 * Undefined when the statement does not parse as one CREATE INDEX (the plan then leaves the naming to the server).
 *
 * @example indexColumnNames(nameOf('public.m'), index('m_l', [{ expr: 'lower(note)' }, 'k'])) // ['lower', 'k']
 */
export function indexColumnNames(table: QualifiedName, index: Index): readonly string[] | undefined {
  let parsed: ReturnType<typeof parseLoaded>
  try {
    parsed = parseLoaded(renderCreateIndex(table, index))
  } catch (error) {
    // Not loaded is the caller's mistake; a text the parser refuses only costs the online form.
    if (error instanceof Error && error.message.startsWith('parseLoaded')) throw error
    return undefined
  }
  const [first, ...rest] = parsed.stmts ?? []
  const statement = first?.stmt
  return statement === undefined || rest.length > 0 || !('IndexStmt' in statement)
    ? undefined
    : indexColumnLabels(statement.IndexStmt)
}
