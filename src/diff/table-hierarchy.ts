import type { PartitionOf, QualifiedName, Table, TableExt } from '../schema/model.js'

/** A table's keys and indexes: what a partitioned table's partitions hold copies of. */
export type TableKeys = Pick<Table, 'primaryKey' | 'uniques' | 'indexes' | 'foreignKeys'>

/** Where a table sits among others: partitioned by a key, a partition of a parent, or a child of parents. */
export interface HierarchyFacts {
  /** The partition key (`RANGE (logdate)`): the table is partitioned. */
  readonly partitionBy?: string | undefined
  /** The partitioned table it is a partition of, with its bound. */
  readonly partitionOf?: PartitionOf | undefined
  /** The tables it inherits from, in order. */
  readonly inherits?: readonly QualifiedName[] | undefined
  /** The partitions of a partitioned table that are foreign tables (which hold no index). */
  readonly foreignPartitions?: readonly QualifiedName[] | undefined
}

/**
 * How a dialect's tables descend from other tables (PostgreSQL's partitions and INHERITS). The facts live in the
 * dialect's own slot of `Table.ext`; this reads them for the differ, which decides from them alone which tables are
 * recreated, attached or detached (diff-partitions.ts), and so names no dialect. Given to `diff()` as
 * `DiffOptions.tableHierarchy` by the target dialect (`Dialect.tableHierarchy`); a dialect whose tables never
 * descend from others gives none, and {@link noTableHierarchy} stands in.
 */
export interface TableHierarchy {
  /** The table's hierarchy facts (none: a plain table). */
  facts(table: Table): HierarchyFacts
  /** `table.ext` without its hierarchy facts: the table options that `alterTable` changes (UNLOGGED and kin). */
  options(table: Table): TableExt | undefined
  /** `table.ext` with the parents its facts name renamed (renames are applied to `from` before comparing). */
  renameParents(table: Table, rename: (name: QualifiedName) => QualifiedName): TableExt | undefined
  /**
   * The copies of its partitioned parent's keys and indexes (`parent`: all the parent holds, its own copies included)
   * that `partition` holds under the names they have on it, which DETACH PARTITION leaves as its own. The model
   * leaves them out of a partition (PartitionOf); the differ adds them to a partition it detaches, as it adds the
   * parent's columns. Those whose name cannot be told (an expression index) are left out. None: no copies.
   */
  partitionCopies?(partition: Table, parent: TableKeys): TableKeys
  /**
   * Whether the partition key of partitioned `table` reads `column` (as a column or inside an expression): a column
   * whose type the server cannot change in place. None: no partition keys.
   */
  partitionKeyReads?(table: Table, column: string): boolean
}

/** The hierarchy of a dialect whose tables never descend from others: every table stands alone, `ext` is options. */
export const noTableHierarchy: TableHierarchy = {
  facts: () => ({}),
  options: (table) => table.ext,
  renameParents: (table) => table.ext,
}
