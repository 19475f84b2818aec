import { KeelError } from '../errors.js'
import type { Table } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import type { Expansion } from './expansion.js'

/**
 * A backfill walks its table in key ranges (migrate/backfill/): a table it fills without a usable key (a primary key,
 * or a unique constraint or plain unique index over NOT NULL columns) is refused now, with the error the runner
 * would give at migrate time, rather than written as migrations that stop half-way.
 */
export function refuseKeyless(expansion: Expansion): void {
  for (const facts of expansion.tables) {
    if (facts.syncs.length === 0) continue
    const table = expansion.schema.tables.find((t) => nameKey(t.name) === nameKey(facts.after.name))
    if (table === undefined || hasUsableKey(table)) continue
    const name = table.name.schema === undefined ? table.name.name : `${table.name.schema}.${table.name.name}`
    throw new KeelError(
      'BACKFILL_NO_KEY',
      `cannot backfill ${name} in batches: it has no primary key or unique index over NOT NULL columns (the change to ${facts.syncs.map((s) => s.column).join(', ')} needs a backfill)`,
    )
  }
}

/** Whether the runner finds a key to walk `table` by when the backfill runs (dialect/postgres/runner/backfill-key.ts). */
function hasUsableKey(table: Table): boolean {
  if (table.primaryKey !== undefined) return true
  const notNull = (columns: readonly (string | undefined)[]) =>
    columns.every((name) => table.columns.some((c) => c.name === name && !c.nullable))
  return (
    table.uniques.some((u) => notNull(u.columns)) ||
    table.indexes.some(
      (i) =>
        i.unique &&
        i.where === undefined &&
        i.parts.every((p) => p.column !== undefined) &&
        notNull(i.parts.map((p) => p.column)),
    )
  )
}
