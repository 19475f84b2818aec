import type { Column } from './column.js'
import type { Check, Exclusion, ForeignKey, PrimaryKey, UniqueConstraint } from './constraint.js'
import type { Privilege } from './privilege.js'
import type { QualifiedName } from './qualified-name.js'
import type { Index } from './table-index.js'

export interface Table {
  readonly name: QualifiedName
  readonly columns: readonly Column[]
  readonly primaryKey?: PrimaryKey
  readonly uniques: readonly UniqueConstraint[]
  readonly indexes: readonly Index[]
  readonly foreignKeys: readonly ForeignKey[]
  readonly checks: readonly Check[]
  /** PostgreSQL exclusion constraints; omitted when there are none. */
  readonly exclusions?: readonly Exclusion[]
  readonly comment?: string
  /** A hint from the schema source; renames are never guessed. Never present on an introspected schema. */
  readonly renamedFrom?: QualifiedName
  /** Dialect-specific facts, typed per dialect (never strings to parse). */
  readonly ext?: TableExt
  /** `GRANT ... ON TABLE` (table-level privileges); omitted when none is granted. */
  readonly privileges?: readonly Privilege[]
  /** Row-level security switches; omitted when neither is on. */
  readonly rowLevelSecurity?: RowLevelSecurity
  /** Row-level security policies, sorted by name; omitted when there are none. */
  readonly policies?: readonly RowPolicy[]
}

export interface TableExt {
  readonly postgres?: {
    /** `CREATE UNLOGGED TABLE` */
    readonly unlogged?: boolean
    /** `PARTITION BY ...`: the partition key as `pg_get_partkeydef` prints it (`RANGE (logdate)`). */
    readonly partitionBy?: string
    /** `PARTITION OF parent FOR VALUES ...`: the table is a partition. Its columns come from the parent. */
    readonly partitionOf?: PartitionOf
    /** `INHERITS (parents)`, in order. The table's `columns` list only its local ones. */
    readonly inherits?: readonly QualifiedName[]
    /**
     * A partition's indexes attached to its parent's indexes under a name of their own (pg_dump's
     * `ALTER INDEX parent_idx ATTACH PARTITION name`), sorted by `parent`. Only names other than the one PostgreSQL
     * gives the copy it makes itself are listed; that one is `defaultName`, from which the plan renames.
     */
    readonly attachedIndexes?: readonly AttachedIndex[]
    /**
     * A partition's copies of its parent's expression indexes, by the parent index's name, sorted by it: their names,
     * which the server derives from the expression as the parent's was first written (`lower(t)` gives
     * `<partition>_lower_idx`, an operator `_expr_idx`, a cast the type's name or the column's...), which the model's
     * text of it cannot tell reliably. Read from the catalog only (a declared schema has none, and the differ never
     * compares them: not a table option); what a detach leaves on the partition as its own (partitionCopies).
     */
    readonly expressionIndexCopies?: readonly { readonly parent: string; readonly name: string }[]
    /**
     * A partitioned table's partitions that are foreign tables, which the model does not hold (unmanaged): no index
     * is built on them, so an index or key added to the table has no online form (partitioned-add-index.ts). Read
     * from the catalog only; the differ never compares it (not a table option).
     */
    readonly foreignPartitions?: readonly QualifiedName[]
  }
  /**
   * MySQL and MariaDB table options, each omitted when it holds the server's default: `ENGINE` other than InnoDB,
   * a `ROW_FORMAT` stated when the table was created, and the table's default collation when it differs from the
   * database's (a collation names its character set, so the charset is not kept apart). The table comment is `comment`.
   */
  readonly mysql?: {
    readonly engine?: string
    readonly rowFormat?: string
    readonly collation?: string
  }
  /** SQLite table options written after the column list. */
  readonly sqlite?: {
    /** `WITHOUT ROWID`: the primary key is the table's storage key. */
    readonly withoutRowid?: true
    /** `STRICT`: declared types are enforced. */
    readonly strict?: true
  }
}

/** An index of a partition attached to its parent's index `parent`, named `name` instead of `defaultName`. */
export interface AttachedIndex {
  readonly parent: string
  readonly name: string
  readonly defaultName: string
}

/**
 * A partition's parent and bound. A partition (like an INHERITS child) lists only what is its own: columns,
 * constraints and indexes that PostgreSQL copies or clones from the parent are left out of its Table.
 */
export interface PartitionOf {
  readonly parent: QualifiedName
  /** The bound as `pg_get_expr(relpartbound)` prints it: `FOR VALUES FROM ('2006-02-01') TO ('2006-03-01')`, `DEFAULT`. */
  readonly bound: string
}

/** `ALTER TABLE ... ENABLE|FORCE ROW LEVEL SECURITY`; the table's field is omitted when neither is on. */
export interface RowLevelSecurity {
  readonly enabled: boolean
  /** `FORCE ROW LEVEL SECURITY`: the policies apply to the table's owner too. */
  readonly forced?: true
}

/** A row-level security policy on a table (`CREATE POLICY`), identified by its table and name. */
export interface RowPolicy {
  readonly name: string
  /** `AS RESTRICTIVE`; omitted for the default, PERMISSIVE. */
  readonly restrictive?: true
  readonly command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE'
  /** The roles it applies to, sorted; `PUBLIC` for every role. */
  readonly roles: readonly string[]
  /** The `USING` expression as the server prints it, without the surrounding parentheses of the clause. */
  readonly using?: string
  /** The `WITH CHECK` expression, likewise. */
  readonly withCheck?: string
  readonly comment?: string
}
