import type { Dialect } from '../dialect/dialect.js'
import type { DiffOptions } from '../diff/diff.js'
import { enumsChangeValues } from '../diff/enum-dependents.js'
import type { Schema } from '../schema/model.js'
import { nameKey } from '../schema/name.js'

/**
 * What `diff(from, to)` needs of `dialect`: the dialect itself, and when an enum changes values, its reader of
 * expressions, which finds what names the enum only in a cast (diff/enum-dependents.ts); when `to` adds an expression
 * index to a partitioned table, its namer of an index's columns, with which a new one gets the online form (its
 * partitions' copies named as the server names them). The parser both read with is loaded here, and only then: it
 * costs tens of milliseconds, and most diffs need neither.
 */
export async function diffOptionsFor(dialect: Dialect, from: Schema, to: Schema): Promise<DiffOptions> {
  const phaseSql = dialect.phaseSql
  if (phaseSql === undefined) return dialect
  const enums = enumsChangeValues(from, to)
  const names = phaseSql.indexColumnNames !== undefined && addsPartitionedExpressionIndex(dialect, from, to)
  if (!enums && !names) return dialect
  await phaseSql.prepare()
  return {
    ...dialect,
    ...(enums ? { references: phaseSql.references } : {}),
    ...(names && phaseSql.indexColumnNames !== undefined ? { indexColumnNames: phaseSql.indexColumnNames } : {}),
  }
}

/**
 * Whether a partitioned table of `to` has an index over an expression that `from` has not as it is (a new one, or one
 * changed, which is made again): only those are planned, and loading the parser for a schema whose expression indexes
 * stay as they are would cost each diff of it.
 */
function addsPartitionedExpressionIndex(dialect: Dialect, from: Schema, to: Schema): boolean {
  const hierarchy = dialect.tableHierarchy
  if (hierarchy === undefined) return false
  const keys = (schema: Schema) =>
    schema.tables
      .filter((table) => hierarchy.facts(table).partitionBy !== undefined)
      .flatMap((table) =>
        table.indexes
          .filter((index) => index.parts.some((part) => part.column === undefined))
          .map((index) => JSON.stringify([nameKey(table.name), index])),
      )
  const before = new Set(keys(from))
  return keys(to).some((key) => !before.has(key))
}
