import { deepEqual } from '../schema/equal.js'
import type { Column, Schema, Table } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import type { RenameQuestion } from './change.js'
import { compareKeys, matchByName } from './diff-named.js'

/** A table's columns as (name, type) pairs in name order: two tables with the same signature look alike. */
function signature(table: Table): readonly (readonly [string, Column['type']])[] {
  return table.columns.map((c) => [c.name, c.type] as const).sort((a, b) => compareKeys(a[0], b[0]))
}

/**
 * The questions a person must answer before a migration is written: a table dropped beside added tables in the
 * same namespace with the same column names and types, or a column dropped beside added columns of the same type in
 * the same table, with no rename saying which it is. `from` has the applied renames already, so a hinted or
 * answered rename asks nothing. The drop and the add are still in the changes; the answer, passed back to `diff` as
 * a `Rename`, turns them into a rename. An added column with a backfill hint is never a candidate. Sorted by dropped
 * name.
 */
export function renameQuestions(from: Schema, to: Schema): readonly RenameQuestion[] {
  const tables = matchByName(from.tables, to.tables, (t) => nameKey(t.name))
  const questions: RenameQuestion[] = []
  for (const dropped of tables.dropped) {
    const candidates = tables.added.filter(
      (added) => added.name.schema === dropped.name.schema && deepEqual(signature(added), signature(dropped)),
    )
    if (candidates.length > 0)
      questions.push({ kind: 'table', dropped: dropped.name, added: candidates.map((t) => t.name) })
  }
  for (const [before, after] of tables.both) {
    const columns = matchByName(before.columns, after.columns, (c) => c.name)
    for (const dropped of columns.dropped) {
      // A column with a backfill hint says where its values come from: it is new, not a renamed one.
      const candidates = columns.added.filter(
        (added) => added.backfill === undefined && deepEqual(added.type, dropped.type),
      )
      if (candidates.length === 0) continue
      questions.push({ kind: 'column', table: after.name, dropped: dropped.name, added: candidates.map((c) => c.name) })
    }
  }
  return questions
}
