import type { TableHierarchy, TableKeys } from '../../diff/table-hierarchy.js'
import { chooseIndexColumnNames, makeObjectName, nameAddition } from '../../schema/dsl/naming.js'
import type { Index, Table, TableExt } from '../../schema/model.js'

type PostgresExt = NonNullable<TableExt['postgres']>

/**
 * PostgreSQL's table hierarchy for the differ: `PARTITION BY`, `PARTITION OF` and `INHERITS`, as the model keeps
 * them in `Table.ext.postgres` (introspect.ts reads them from pg_partitioned_table, pg_inherits and relpartbound).
 */
export const postgresTableHierarchy: TableHierarchy = {
  facts: (table) => table.ext?.postgres ?? {},

  options(table) {
    if (table.ext?.postgres === undefined) return table.ext
    // A partition's expression index copies are what it holds, not an option (TableExt's expressionIndexCopies); the
    // foreign partitions of a partitioned table are not either.
    const {
      partitionBy: _by,
      partitionOf: _of,
      inherits: _inherits,
      expressionIndexCopies: _copies,
      foreignPartitions: _foreign,
      ...postgres
    } = table.ext.postgres
    const { postgres: _pg, ...rest } = table.ext
    const ext: TableExt = Object.keys(postgres).length === 0 ? rest : { ...rest, postgres }
    return Object.keys(ext).length === 0 ? undefined : ext
  },

  renameParents(table, rename) {
    const postgres = table.ext?.postgres
    if (table.ext === undefined) return undefined
    if (postgres === undefined || (postgres.partitionOf === undefined && postgres.inherits === undefined)) {
      return table.ext
    }
    const renamed: PostgresExt = {
      ...postgres,
      ...(postgres.partitionOf
        ? { partitionOf: { ...postgres.partitionOf, parent: rename(postgres.partitionOf.parent) } }
        : {}),
      ...(postgres.inherits ? { inherits: postgres.inherits.map(rename) } : {}),
    }
    return { ...table.ext, postgres: renamed }
  },

  partitionCopies,

  partitionKeyReads(table, column) {
    const key = table.ext?.postgres?.partitionBy
    if (key === undefined) return false
    // `RANGE (k)`, `LIST (lower(name))`, `HASH ("Id", b)`: the column as an identifier after the method, quoted or not
    // (an unquoted one is folded to lower case; a quoted one is written quoted when it needs to be).
    const body = key.slice(key.indexOf('('))
    const quoted = `"${column.replaceAll('"', '""')}"`
    if (body.includes(quoted)) return true
    const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    return new RegExp(`(^|[^\\w$".])${escaped}($|[^\\w$"(])`).test(body)
  },
}

/**
 * What PostgreSQL clones onto a partition, as it names it there (introspect-attached.ts reads the same names): the
 * primary key as `<partition>_pkey`, a unique constraint as `<partition>_<columns>_key`, an index as
 * `<partition>_<columns>_idx` (key and INCLUDE columns), unless the partition's index was attached under a name of its
 * own (attachedIndexes); a foreign key under the parent's name. An expression index's copy is named as the catalog
 * names it (expressionIndexCopies: its default name is not reproduced reliably from the expression's text), and left
 * out where the partition was not read from a database.
 */
export function partitionCopies(partition: Table, parent: TableKeys): TableKeys {
  const own = new Map((partition.ext?.postgres?.attachedIndexes ?? []).map((a) => [a.parent, a.name]))
  const name = (parentIndex: string, columns: readonly string[] | undefined, label: string) =>
    own.get(parentIndex) ??
    makeObjectName(partition.name.name, columns && nameAddition(chooseIndexColumnNames(columns)), label)
  const plain = (index: Index) => index.parts.every((p) => p.column !== undefined)
  // An expression index's copy under the name the catalog gives it (unknown for a declared partition: left out).
  const expressionCopies = new Map(
    (partition.ext?.postgres?.expressionIndexCopies ?? []).map((c) => [c.parent, c.name]),
  )
  const expressionCopy = (index: Index): Index[] => {
    const copy = expressionCopies.get(index.name)
    const { comment: _c, ...rest } = index
    return copy === undefined ? [] : [{ ...rest, name: copy }]
  }
  const pk = parent.primaryKey
  // Comments stay with the parent's objects, as they do with its columns.
  return {
    ...(pk === undefined ? {} : { primaryKey: { ...pk, name: name(pk.name, undefined, 'pkey') } }),
    uniques: parent.uniques.map(({ comment: _c, ...u }) => ({ ...u, name: name(u.name, u.columns, 'key') })),
    indexes: parent.indexes.flatMap((index) => {
      if (!plain(index)) return expressionCopy(index)
      const { comment: _c, ...i } = index
      return [{ ...i, name: name(i.name, [...i.parts.map((p) => p.column as string), ...i.include], 'idx') }]
    }),
    foreignKeys: parent.foreignKeys.map(({ comment: _c, ...f }) => f),
  }
}
