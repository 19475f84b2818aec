import type { TableHierarchy } from '../../diff/table-hierarchy.js'
import type { TableExt } from '../../schema/model.js'

type PostgresExt = NonNullable<TableExt['postgres']>

/**
 * PostgreSQL's table hierarchy for the differ: `PARTITION BY`, `PARTITION OF` and `INHERITS`, as the model keeps
 * them in `Table.ext.postgres` (introspect.ts reads them from pg_partitioned_table, pg_inherits and relpartbound).
 */
export const postgresTableHierarchy: TableHierarchy = {
  facts: (table) => table.ext?.postgres ?? {},

  options(table) {
    if (table.ext?.postgres === undefined) return table.ext
    const { partitionBy: _by, partitionOf: _of, inherits: _inherits, ...postgres } = table.ext.postgres
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
}
