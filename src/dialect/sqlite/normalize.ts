import type { Schema } from '../../schema/model.js'
import { renderType } from './render.js'

/**
 * SQLite's spelling of a schema: no namespaces, declared types in upper case (as introspection reads
 * them), so that a schema declared elsewhere compares with one read from a database.
 */
export function normalizeSqlite(schema: Schema): Schema {
  return {
    ...schema,
    tables: schema.tables.map((table) => {
      const { schema: _ns, ...name } = table.name
      return {
        ...table,
        name,
        columns: table.columns.map((column) => ({ ...column, type: { kind: 'native', sql: renderType(column.type) } })),
      }
    }),
    views: schema.views.map((view) => {
      const { schema: _ns, ...name } = view.name
      return { ...view, name }
    }),
  }
}
