import type {
  ColumnType,
  ForeignKey,
  Identity,
  Index,
  IntegerType,
  PrimaryKey,
  QualifiedName,
  Routine,
  Table,
  UniqueConstraint,
} from '../schema/model.js'

/**
 * How a column of the expanded table gets its values while the old and the new release both write:
 * - `derive`: `column` is computed from the row by `expr` (SQL over the table's columns: a backfill hint, an
 *   implicit cast for a type change) whenever a writer leaves it alone;
 * - `mirror`: `column` and `from` hold the same value (a renamed column): whichever one a writer sets is
 *   copied to the other.
 */
export type ColumnSync =
  | { readonly kind: 'derive'; readonly column: string; readonly expr: string }
  | { readonly kind: 'mirror'; readonly column: string; readonly from: string }

/**
 * What depends on the keyed retyped columns of one table (expansion.ts, TableExpansion): its primary key, unique
 * constraints and indexes that name them, and the foreign keys that move with them: those (of any table) that
 * reference them, and its own that they are part of (a referencing column retyped with, or after, its key).
 */
export interface KeyedRetype {
  readonly table: QualifiedName
  /** Each retyped column → the column built beside it. */
  readonly temps: ReadonlyMap<string, string>
  readonly primaryKey: PrimaryKey | undefined
  readonly uniques: readonly UniqueConstraint[]
  readonly indexes: readonly Index[]
  /**
   * The NOT NULL retyped columns (by their old name) that are not in the primary key: their new columns are
   * proven NOT NULL by a check before the swap, as the key's are, so the swap sets it without a scan.
   */
  readonly notNull: readonly string[]
  /** Foreign keys added again on the new columns before the swap (each appears in one table's spec only). */
  readonly foreignKeys: readonly MovedForeignKey[]
  /**
   * Retyped columns whose values are drawn from a sequence (a serial, or an identity): the swap moves the
   * sequence to the new column (a serial's is re-owned; an identity's is created again on the new column and
   * set to where the old one stopped), so that ids go on increasing from where they were.
   */
  readonly drawn: readonly DrawnColumn[]
  /**
   * The table's partitions, each with its own, when it is a partitioned table: its indexes and keys are built on each
   * partition (the server builds none concurrently on a partitioned table) and attached to the parent's. Undefined for
   * a table that is not partitioned.
   */
  readonly partitions?: readonly PartitionTree[]
}

/** A partition of a partitioned table, as the expanded schema holds it, with its own partitions when it has any. */
export interface PartitionTree {
  readonly table: Table
  /** Undefined for a partition that is not partitioned itself (a leaf, which holds rows). */
  readonly partitions?: readonly PartitionTree[]
}

/**
 * A foreign key whose referencing or referenced columns are retyped: `fk` as it is, on `table` (the referencing
 * table, by its name during the change), and the columns it is added again on: the new columns where the
 * referencing or referenced ones are retyped, else the same. `narrower`: the referencing columns that keep a
 * narrower integer type than the key they reference will have (the schema keeps them so; said in the plan).
 */
export interface MovedForeignKey {
  readonly table: QualifiedName
  readonly fk: ForeignKey
  readonly columns: readonly string[]
  readonly references: { readonly table: QualifiedName; readonly columns: readonly string[] }
  readonly narrower: readonly string[]
}

/** A retyped column that draws its values from a sequence, as it is after the change. */
export interface DrawnColumn {
  readonly column: string
  readonly temp: string
  readonly type: IntegerType
  /** Exactly one of the two: a serial, or an identity with its options. */
  readonly serial?: true
  readonly identity?: Identity
}

/** One statement that prepares a keyed swap while both releases write; `kind` tells its lock and cost. */
export interface KeyMoveStatement extends PhaseStatement {
  /**
   * `index`: built concurrently on one table; `parentIndex`: created on a partitioned table alone (ON ONLY: invalid,
   * nothing to build), valid once an index of each partition is attached to it (`attachIndex`, catalog only).
   */
  readonly kind:
    | 'index'
    | 'parentIndex'
    | 'attachIndex'
    | 'check'
    | 'validateCheck'
    | 'foreignKey'
    | 'validateForeignKey'
  /** The tables it locks: the table, and for a foreign key the referencing table first. */
  readonly on: readonly QualifiedName[]
  readonly comment: string
}

/** The keyed swap: built online before, then swapped in the contract's one short transaction. */
export interface KeyMove {
  /**
   * In the expand's transaction, beside the new columns' ADD COLUMN (whose ACCESS EXCLUSIVE lock it shares):
   * the NOT VALID checks that later prove the new key columns NOT NULL. The trigger fills the columns on
   * every write from then on, so the checks hold for new rows; the contract validates them.
   */
  readonly expand: readonly KeyMoveStatement[]
  /** Online, before the swap: the indexes built concurrently on the new columns, NOT NULL proven, FKs added and validated. */
  readonly prepare: readonly KeyMoveStatement[]
  /** In the swap's transaction, before the old columns are dropped: the old foreign keys go. */
  readonly release: readonly SwapStatement[]
  /** In the swap's transaction, after the new columns took the old names: keys attached, names given back. */
  readonly settle: readonly SwapStatement[]
}

/** One catalog-only statement of the swap, with the tables it locks (a foreign key's drop locks both of its). */
export interface SwapStatement {
  readonly sql: string
  readonly on: readonly QualifiedName[]
}

/** A type named in an expression or a query, with where its own name (the last part) is written in the text. */
export interface TypeReference {
  readonly name: QualifiedName
  /** Character range of the name's last part (`"Mood"` of `"Shop"."Mood"[]`), quotes included. */
  readonly start: number
  readonly end: number
}

/** What an expression or a query names, as the dialect's parser reads it (not a text pattern). */
export interface SqlReferences {
  readonly types: readonly TypeReference[]
  /** The functions it calls, by the name it calls them (unqualified names without schema). */
  readonly calls: readonly QualifiedName[]
}

/** Reads the types and functions `sql` names: an expression (a check, a default, an index part) or a view's query. */
export type ReadReferences = (sql: string, as: 'expression' | 'query') => SqlReferences

/**
 * The names the server gives the columns of `index` on `table` as the plan creates it, an expression's included (what
 * PostgreSQL's FigureIndexColname calls it), before the repeats are numbered: a partition's copy is named from them.
 * Undefined when it cannot tell (the text does not parse): the copies are then left to the server to name.
 */
export type IndexColumnNames = (table: QualifiedName, index: Index) => readonly string[] | undefined

/** One statement of an expand/contract sequence that no schema diff produces, with its reverse. */
export interface PhaseStatement {
  readonly sql: string
  readonly reverse: string
}

/**
 * The SQL of the expand/contract pattern that a dialect writes itself: the trigger that keeps old and new
 * columns in step, the batched backfill's statement, the view that keeps an old table name working, the swap
 * of a retyped column. Implemented per dialect (dialect/postgres/phase-sql.ts); pure.
 */
export interface PhaseSql {
  /**
   * Creates the trigger (and its function) that applies `syncs` on every insert and update of `table`: the function
   * first, then the trigger on `table`, then one on each of `children` (the tables that inherit its columns and whose
   * writes do not fire its triggers), in that order.
   */
  syncTrigger(
    table: QualifiedName,
    syncs: readonly ColumnSync[],
    children?: readonly QualifiedName[],
  ): readonly PhaseStatement[]
  /** The name syncTrigger gives `table`'s sync function (in `table`'s schema) and its triggers. */
  syncName(table: QualifiedName): string
  /**
   * Marks `table`'s sync function as Keel's, with the `syncs` it was written for (a COMMENT on it): what tells a
   * function a stopped push left from a user's of the same name, and whether it was written for other values
   * (plan/leftover-sync.ts). Run in the expand right after syncTrigger's function; the contract's drop takes it along.
   */
  syncMark(table: QualifiedName, syncs: readonly ColumnSync[]): PhaseStatement
  /**
   * The syncs that `routine`, a table's sync function as the database holds it, was written for, when it is provably
   * Keel's: its mark (syncMark) says, or, with no mark (an older Keel's), its text is exactly what syncTrigger writes
   * for `syncs`, when given. Undefined when it is not provably Keel's (a user's function of that name).
   */
  leftoverSyncs(routine: Routine, syncs?: readonly ColumnSync[]): readonly ColumnSync[] | undefined
  /**
   * The backfill: one UPDATE of `table` that sets each synced column from its source where it is still unset.
   * The runner runs it in primary-key batches (migrate/backfill/).
   */
  backfill(table: QualifiedName, syncs: readonly ColumnSync[]): string
  /** A name for the column built beside `column` during a type change (`<column>_keel_new`). */
  tempColumn(column: string): string
  /** `column`, of type `from`, cast to `type`: the implicit backfill of a type change. */
  cast(column: string, from: ColumnType, type: ColumnType): string
  /** A view under the old name of a renamed table, through which the old release still reads and writes. */
  oldNameView(from: QualifiedName, to: QualifiedName): PhaseStatement
  /** How the keys, indexes and incoming foreign keys of keyed retyped columns move to the new columns. */
  moveKeys(spec: KeyedRetype): KeyMove
  /**
   * Replaces enum `name` by `replacement` once no column uses it (an enum recreated through a swap: its columns were
   * swapped to `replacement`, built beside it): drops the one, renames the other. Catalog only.
   */
  swapEnum(name: QualifiedName, replacement: QualifiedName): readonly string[]
  /** Replaces `column` by `replacement`: drops the one, renames the other (run in one short transaction). */
  swapColumn(table: QualifiedName, column: string, replacement: string): readonly string[]
  /**
   * The types and functions an expression or a view's query names, read by the dialect's parser: where an enum swap
   * finds the casts to the enum and the calls of routines that take it, in any spelling. Synchronous: call
   * {@link PhaseSql.prepare} first.
   */
  references: ReadReferences
  /** The column names of an index as the plan creates it (see IndexColumnNames), by the same parser: prepare first. */
  indexColumnNames?: IndexColumnNames
  /** Loads what `references` needs (a parser), once; the commands that plan phases await it first. */
  prepare(): Promise<void>
}
