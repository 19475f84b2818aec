/** Builds partitioning, inheritance and rule facts from their catalog rows (queries/partitions.ts, queries/rules.ts). */
import type { Rule, TableExt } from '../../schema/model.js'
import type { PartitionRow } from './queries/partitions.js'
import type { RuleRow } from './queries/rules.js'

type PostgresExt = NonNullable<TableExt['postgres']>

/** The partitioning and inheritance facts of each table that has any, by table OID. */
export function buildPartitionFacts(rows: readonly PartitionRow[]): Map<string, PostgresExt> {
  const facts = new Map<string, PostgresExt>()
  for (const row of rows) {
    const parents = row.parents.map((p) => ({ schema: p.schema, name: p.name }))
    const [parent] = parents
    facts.set(row.table_oid, {
      ...(row.partition_by === null ? {} : { partitionBy: row.partition_by }),
      // A partition has exactly one parent, its partitioned table; anything else with parents inherits them.
      ...(row.bound !== null && parent !== undefined
        ? { partitionOf: { parent, bound: row.bound } }
        : parents.length > 0
          ? { inherits: parents }
          : {}),
      ...(row.foreign_partitions == null || row.foreign_partitions.length === 0
        ? {}
        : { foreignPartitions: row.foreign_partitions.map((p) => ({ schema: p.schema, name: p.name })) }),
    })
  }
  return facts
}

/** A table's `ext`, or nothing when it holds only defaults. */
export function tableExtOf(unlogged: boolean, facts: PostgresExt | undefined): { readonly ext?: TableExt } {
  const postgres: PostgresExt = { ...(unlogged ? { unlogged: true } : {}), ...facts }
  return Object.keys(postgres).length === 0 ? {} : { ext: { postgres } }
}

/** Rules from their rows, keeping those whose table `keep` accepts (a left-out table takes its rules with it). */
export function buildRules(rows: readonly RuleRow[], keep: (tableOid: string) => boolean): Rule[] {
  return rows
    .filter((row) => keep(row.table_oid))
    .map((row) => ({
      name: row.name,
      table: { schema: row.schema, name: row.table },
      definition: row.definition.trim().replace(/\s*;$/, ''),
      dependsOn: row.depends_on.map((d) => ({ schema: d.schema, name: d.name })),
      ...(row.comment === null ? {} : { comment: row.comment }),
    }))
}
