/**
 * Partition indexes attached to their parent's indexes under names of their own. PostgreSQL names the copy of a
 * parent index it makes on a partition as CREATE INDEX without a name would (`<partition>_<columns>_idx`, `_key`,
 * `_pkey`, `_excl`); a production schema often has other names (pg_dump: ALTER INDEX ... ATTACH PARTITION). Those
 * are kept on the partition, with the default name the plan renames from.
 */

import { chooseIndexColumnNames, makeObjectName, nameAddition } from '../../schema/dsl/naming.js'
import type { AttachedIndex } from '../../schema/model.js'
import type { AttachedIndexRow } from './queries/attached-indexes.js'

const LABELS = { p: 'pkey', u: 'key', x: 'excl' } as const

/**
 * The attached indexes whose name is not PostgreSQL's default, by partition OID. An index over an expression is
 * left out: its default name depends on how PostgreSQL names the expression, which the copy does not reproduce
 * reliably, and a wrong guess would make the plan rename an index that does not exist.
 */
export function buildAttachedIndexes(rows: readonly AttachedIndexRow[]): Map<string, AttachedIndex[]> {
  const byTable = new Map<string, AttachedIndex[]>()
  for (const row of rows) {
    if (row.columns.some((column) => column === null)) continue
    const label = row.constraint_type === null ? 'idx' : LABELS[row.constraint_type]
    const columns =
      row.constraint_type === 'p' ? undefined : nameAddition(chooseIndexColumnNames(row.columns as string[]))
    const defaultName = makeObjectName(row.table, columns, label)
    if (defaultName === row.name) continue
    const list = byTable.get(row.table_oid) ?? []
    list.push({ parent: row.parent, name: row.name, defaultName })
    byTable.set(row.table_oid, list)
  }
  return byTable
}

/**
 * The copies of parent expression indexes (an expression among their columns), by partition OID: their names as the
 * catalog has them, by parent index (TableExt's expressionIndexCopies), whatever they are.
 */
export function buildExpressionIndexCopies(
  rows: readonly AttachedIndexRow[],
): Map<string, { parent: string; name: string }[]> {
  const byTable = new Map<string, { parent: string; name: string }[]>()
  for (const row of rows) {
    if (!row.columns.some((column) => column === null)) continue
    const list = byTable.get(row.table_oid) ?? []
    list.push({ parent: row.parent, name: row.name })
    byTable.set(row.table_oid, list)
  }
  return byTable
}
