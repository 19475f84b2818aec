import type { Rename } from '../diff/change.js'
import type { Schema, Table } from '../schema/model.js'
import { nameKey } from '../schema/name.js'

/**
 * Copies the rename and backfill hints (`renamedFrom`, `backfill`) of a declared schema onto its introspected twin. A declared
 * schema passes through a scratch database to be normalised by the server, and introspection knows
 * nothing of hints, so they are carried across by name.
 */
export function attachHints(introspected: Schema, declared: Schema): Schema {
  const declaredTables = new Map(declared.tables.map((table) => [nameKey(table.name), table]))
  const declaredViews = new Map(declared.views.map((view) => [nameKey(view.name), view]))
  return {
    ...introspected,
    tables: introspected.tables.map((table) => {
      const twin = declaredTables.get(nameKey(table.name))
      return twin ? withTableHints(table, twin) : table
    }),
    views: introspected.views.map((view) => {
      const hint = declaredViews.get(nameKey(view.name))?.renamedFrom
      return hint ? { ...view, renamedFrom: hint } : view
    }),
  }
}

function withTableHints(table: Table, declared: Table): Table {
  const declaredColumns = new Map(declared.columns.map((c) => [c.name, c]))
  const columns = table.columns.map((column) => {
    const twin = declaredColumns.get(column.name)
    return {
      ...column,
      ...(twin?.renamedFrom ? { renamedFrom: twin.renamedFrom } : {}),
      ...(twin?.backfill ? { backfill: twin.backfill } : {}),
    }
  })
  return declared.renamedFrom ? { ...table, columns, renamedFrom: declared.renamedFrom } : { ...table, columns }
}

/** The renames a schema's hints declare, for display. */
export function hintedRenames(schema: Schema): readonly Rename[] {
  return schema.tables.flatMap((table): Rename[] => [
    ...(table.renamedFrom ? [{ kind: 'table' as const, from: table.renamedFrom, to: table.name }] : []),
    ...table.columns.flatMap((column) =>
      column.renamedFrom
        ? [{ kind: 'column' as const, table: table.name, from: column.renamedFrom, to: column.name }]
        : [],
    ),
  ])
}
