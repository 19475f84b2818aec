import { mayReadColumns } from '../diff/rename-identifier.js'
import type { Schema, Table } from '../schema/model.js'
import { nameKey } from '../schema/name.js'

/**
 * The views of `schema` that read one of `columns` of `table`, and the views over those, dependents first (the order
 * they are dropped in).
 */
export function viewsReading(
  schema: Schema,
  table: Table['name'],
  columns: ReadonlySet<string>,
): readonly Schema['views'][number][] {
  // Any identifier of the definition may be a column (`o.amount` through an alias too): a view dropped and created
  // again needlessly costs nothing in the swap's transaction; one missed makes DROP COLUMN fail.
  const found: Schema['views'][number][] = schema.views.filter(
    (v) => v.dependsOn.some((d) => nameKey(d) === nameKey(table)) && mayReadColumns(v.definition, columns),
  )
  for (let i = 0; i < found.length; i++) {
    const name = nameKey((found[i] as Schema['views'][number]).name)
    for (const v of schema.views) if (!found.includes(v) && v.dependsOn.some((d) => nameKey(d) === name)) found.push(v)
  }
  return found.reverse()
}
