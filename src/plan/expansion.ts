import type { Column, ColumnType, Schema, Table } from '../schema/model.js'
import type { EnumSwap } from './enum-swap.js'
import type { ColumnSync, ReadReferences } from './phase-sql.js'

/** What the expand/contract pattern does to one table that exists before and after the change. */
export interface TableExpansion {
  /** The table before (`from`) and after (`to`); `to.name` differs when the table is renamed. */
  readonly before: Table
  readonly after: Table
  /** How each new column gets its values while both releases write (the trigger and the backfill). */
  readonly syncs: readonly ColumnSync[]
  /**
   * Columns whose type changes with a rewrite: built beside the old one as `temp`, swapped in at contract.
   * `keyed`: the column is in the primary key, a unique constraint or an index (maybe referenced by foreign
   * keys): the contract builds those again on `temp` before the swap (plan/keyed-retype.ts).
   */
  readonly retyped: readonly { readonly column: string; readonly temp: string; readonly keyed: boolean }[]
  /**
   * Columns the expand keeps exactly as they are, for the contract to change: those that become generated or change
   * their expression, the generated columns that read a column changing type (PostgreSQL refuses the type change
   * while they exist), and those columns. The planner drops such a generated column and adds it again, and a drop
   * belongs to the contract.
   */
  readonly held: readonly string[]
  /**
   * Generated columns the desired schema drops (or renames away) that read a column swapped in at contract, and kept
   * ones whose expression changes that read a swappable column or name a swapped enum: dropped just before the swap
   * (PostgreSQL refuses to drop a column, or a type, a generated column reads), not with the contract's other drops;
   * the contract plan adds the kept ones again after it.
   */
  readonly droppedReaders: readonly string[]
  /**
   * New generated columns that read a column swapped at contract, or call a routine taking a swapped enum: the contract
   * adds them after the swap (in the expand they would read the old column, and block its drop; or call the routine,
   * which takes the old type until then, over the twin), with the indexes and views over them.
   */
  readonly deferred: readonly string[]
  /** New columns on a swapped enum, added on its twin (EnumSwap): what is built on them waits for the contract. */
  readonly retargeted: readonly string[]
  /**
   * Held columns (in `held`) whose rewriting type change has no online form, with why (noSwapReason): the contract
   * changes their type in place, and says so.
   */
  readonly noSwap: ReadonlyMap<string, string>
  /** Columns of `before` that the contract drops (replaced, renamed away, or dropped). */
  readonly retired: readonly string[]
  /** Retired columns whose values live on in a new column (renamed away): `from` → `to`. */
  readonly carried: ReadonlyMap<string, string>
}

/** The expanded schema: old and new side by side, with what the trigger, backfill and contract need. */
export interface Expansion {
  readonly schema: Schema
  readonly tables: readonly TableExpansion[]
  /** Tables renamed in place, whose old name a view keeps working until contract. */
  readonly renamedTables: readonly { readonly from: Table['name']; readonly to: Table['name'] }[]
  /** Tables the contract drops (kept until then, so that the running release can still use them). */
  readonly droppedTables: readonly Table[]
  /** Enums recreated through a swap of their columns (plan/enum-swap.ts). */
  readonly enumSwaps: readonly EnumSwap[]
  /**
   * Enums that lose or reorder values but cannot be swapped, each with why when the reason is that a column using it
   * has no online form (a stored generated column reads it): the contract recreates them in place, converting their
   * columns under ACCESS EXCLUSIVE. Without a reason, a case the swap does not cover yet.
   */
  readonly enumsInPlace: ReadonlyMap<string, string | undefined>
  /**
   * Tables that join a parent whose rows they must match exactly (a partition moved to another partitioned table, or a
   * table attached as one: TableHierarchy's partitionOf), each with that parent: left as the desired schema has them
   * (no column built beside a retyped one, which the attach would refuse), so that their changes are the one-step
   * plan's, in the expand; a rewriting type change there has no online form (plan/retold-steps.ts says so).
   */
  readonly joining: readonly { readonly table: Table['name']; readonly parent: Table['name'] }[]
}

/** Facts the expansion asks of the dialect. */
export interface ExpansionHooks {
  /** Whether changing a column's type rewrites the table (then it is expanded beside the old one). */
  readonly rewrites: (table: Table, from: Column, to: Column) => boolean
  /** `column`, of type `from`, cast to `type` (the implicit backfill of a type change). */
  readonly cast: (column: string, from: ColumnType, type: ColumnType) => string
  /** A name for the column built beside `column` during a type change. */
  readonly tempName: (column: string) => string
  /** The types and functions an expression or a view's query names, by the dialect's parser (an enum swap's casts). */
  readonly references: ReadReferences
  /** The dialect's one identifier quoter (an enum swap's twin named in an expression). */
  readonly quoteIdent: (name: string) => string
  /**
   * A table on both sides as the differ compares it when it leaves or joins a parent (NO INHERIT or DETACH PARTITION,
   * INHERIT or ATTACH PARTITION, in the expand): `before` holding the columns of the parents it leaves as its own,
   * `after` those of the parents it joins (diff/diff-partitions.ts). Without it a column kept from a parent it leaves
   * looked new, and a NOT NULL one (an inherited key) was relaxed in the expand and proven again at the contract, so
   * rows written in between could break it; and a column it already held that a parent it joins has too looked
   * dropped: relaxed, and INHERIT refused it (42804).
   */
  readonly asInherited?: (before: Table, after: Table) => { readonly before: Table; readonly after: Table }
  /**
   * The parent `after` joins as a partition (another partitioned table than `before`'s, or one where `before` stood
   * alone), whose columns it must then match exactly: undefined when it joins none. See Expansion.joining.
   */
  readonly joinsParent?: (before: Table, after: Table) => Table['name'] | undefined
  /**
   * The columns of `table` (as `from` names it) that a stopped push's expand added and its sync function still fills
   * (plan/leftover-sync.ts, stillFilling): expanded again as the new columns they still are, not as columns that exist.
   * Seen as existing, a hinted one lost its sync and backfill (its rows stayed unset, and the push failed), and a
   * renamed one its mirror, while the contract dropped the column it was renamed from.
   */
  readonly stillFilling?: (table: Table['name']) => ReadonlySet<string>
}
