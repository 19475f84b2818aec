import type { TableHierarchy } from '../diff/table-hierarchy.js'
import type { QualifiedName, Schema } from '../schema/model.js'
import { nameKey } from '../schema/name.js'

/**
 * The tables of `schema` that inherit `table`'s columns through INHERITS, their own children too (not partitions: the
 * server gives a partition its partitioned table's row triggers). A write to one fires its own triggers only, so the
 * sync trigger goes on each of them as well; without it a row written through the child between expand and contract
 * kept the new column unset, or stale after an update.
 */
export function inheritingTables(
  schema: Schema,
  table: QualifiedName,
  hierarchy: TableHierarchy,
): readonly QualifiedName[] {
  const found: QualifiedName[] = []
  const parents = new Set([nameKey(table)])
  for (let grew = true; grew; ) {
    grew = false
    for (const t of schema.tables) {
      if (parents.has(nameKey(t.name))) continue
      if (!(hierarchy.facts(t).inherits ?? []).some((p) => parents.has(nameKey(p)))) continue
      parents.add(nameKey(t.name))
      found.push(t.name)
      grew = true
    }
  }
  return found
}
