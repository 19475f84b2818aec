/**
 * A primary key or unique constraint added to a partitioned table that exists, online. ALTER TABLE ... ADD CONSTRAINT
 * on the partitioned table builds each leaf partition's index in its statement, under ACCESS EXCLUSIVE on the whole
 * tree; PostgreSQL builds no index concurrently on a partitioned table (0A000) and takes none as its key (ADD
 * CONSTRAINT ... USING INDEX is refused there). So, as partitioned-keys.ts does for a keyed retype:
 * - on each leaf partition, the key's unique index built concurrently (writers go on), under the name the server
 *   gives the leaf's copy of the key (numbered while a relation or constraint of `from` holds it), then made the leaf's
 *   constraint USING INDEX (catalog only); before any build, a check that no relation made since holds those names
 *   (partitioned-copy-check.ts);
 * - a leaf the plan does not know (made after the migration was generated) takes a prebuilt index or stops
 *   (unknown-partition-keys.ts); a leaf the plan creates, empty, is left to the next statement;
 * - the partitioned table's constraint added over the columns: the server attaches each leaf's instead of building
 *   one (and makes a sub-partitioned partition's, which holds no rows). On PostgreSQL 15, over 1,000,000 rows in two
 *   leaves, the transaction of the last three statements took 10 ms, the direct ADD PRIMARY KEY 825 ms.
 * The result is the direct form's: each leaf's constraint attached to the table's (not local, inherited once).
 */
import { chooseCopyName } from '../../diff/held-names.js'
import { chooseIndexColumnNames, nameAddition } from '../../schema/dsl/naming.js'
import type { Index, QualifiedName } from '../../schema/model.js'
import { displayName } from '../../schema/name.js'
import type { ChangeOf, Draft, PlanContext } from './context.js'
import { inverseOf, isFresh } from './context.js'
import { lockFor } from './locks.js'
import { beforeBuildsOrStop } from './partitioned-copy-check.js'
import { quoteIdent } from './quote.js'
import {
  renderAlterTable,
  renderCreateIndex,
  renderDeferrable,
  renderDropIndex,
  renderPrimaryKeyClause,
  renderUniqueClause,
} from './render.js'
import { keysOfUnknownPartitions } from './unknown-partition-keys.js'

/** The steps of `change` (on a partitioned table that exists, its leaves known) under the safe policy. */
export function addPartitionedKeySteps(
  change: ChangeOf<'addPrimaryKey' | 'addUnique'>,
  leaves: readonly QualifiedName[],
  ctx: PlanContext,
): Draft[] {
  const { table } = change
  const primary = change.kind === 'addPrimaryKey'
  const key = primary ? change.primaryKey : change.unique
  const what = primary ? 'primary key' : 'unique constraint'
  const nullsNotDistinct = !primary && change.unique.nullsNotDistinct === true
  const index = (name: string): Index => ({
    name,
    parts: key.columns.map((column) => ({ column })),
    unique: true,
    include: [],
    ...(nullsNotDistinct ? { nullsNotDistinct: true as const } : {}),
  })
  // The server's name for a leaf's copy (makeObjectName, numbered while a relation or a constraint of the schema holds
  // it: ChooseRelationName): any other name the plan renames it to afterwards.
  const addition = primary ? undefined : nameAddition(chooseIndexColumnNames(key.columns))
  const copyName = (leaf: QualifiedName) => chooseCopyName(leaf, addition, primary ? 'pkey' : 'key', change.taken ?? [])
  const existing = leaves.filter((leaf) => !isFresh(ctx, leaf))
  const check: Draft = {
    sql: beforeBuildsOrStop(
      table,
      existing.map((leaf) => ({ on: leaf, name: copyName(leaf) })),
      `unique index of ${what} ${key.name}`,
      `PostgreSQL refuses a ${what} on a partitioned table with a foreign partition (the direct ADD CONSTRAINT says so too): detach the partition, or leave ${key.name} out of the schema`,
    ),
    reverse: { sql: '' },
    // Reads the catalog only.
    lock: lockFor('catalogOnly', [], ctx),
    source: change,
    comment: `Stop, nothing built, if a relation made since the plan holds the name of a partition's index of ${key.name}`,
  }
  const builds = existing.map(
    (leaf): Draft => ({
      sql: renderCreateIndex(leaf, index(copyName(leaf)), true),
      // IF EXISTS: the key's reverse, which runs first, drops the leaves' constraints and indexes with its own.
      reverse: { sql: renderDropIndex(leaf, copyName(leaf), true, true) },
      transactional: false,
      lock: lockFor('createIndexConcurrently', [leaf], ctx),
      scansTable: true,
      source: change,
      comment: `Build the unique index of ${what} ${key.name} on partition ${displayName(leaf)} concurrently`,
    }),
  )
  const leafKeys = existing.map(
    (leaf): Draft => ({
      // USING INDEX takes NULLS NOT DISTINCT from the index: the grammar has no place for it (42601).
      sql: renderAlterTable(
        leaf,
        `ADD CONSTRAINT ${quoteIdent(copyName(leaf))} ${primary ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX ${quoteIdent(copyName(leaf))}${renderDeferrable(key.deferrable)}`,
      ),
      reverse: { sql: renderAlterTable(leaf, `DROP CONSTRAINT IF EXISTS ${quoteIdent(copyName(leaf))}`) },
      lock: lockFor('alterTable', [leaf], ctx),
      source: change,
      comment: `Make that index partition ${displayName(leaf)}'s ${what} (catalog only)`,
    }),
  )
  const unknown: Draft = {
    sql: keysOfUnknownPartitions(
      table,
      {
        kind: primary ? 'PRIMARY KEY' : nullsNotDistinct ? 'UNIQUE NULLS NOT DISTINCT' : 'UNIQUE',
        columns: key.columns,
        temps: new Map(),
      },
      [{ ...table, name: key.name }],
      leaves.filter((leaf) => isFresh(ctx, leaf)),
    ),
    reverse: { sql: '' },
    // In the transaction of the leaves' ADD CONSTRAINT, which hold ACCESS EXCLUSIVE on each until it commits.
    lock: lockFor('alterTable', [table, ...leaves], ctx),
    source: change,
    comment: `Give any other partition of ${displayName(table)} its ${what} from a unique index built beforehand, or stop`,
  }
  const add: Draft = {
    sql: renderAlterTable(
      table,
      `ADD ${primary ? renderPrimaryKeyClause(change.primaryKey) : renderUniqueClause(change.unique)}`,
    ),
    reverse: inverseOf(change),
    // ADD CONSTRAINT recurses: ACCESS EXCLUSIVE on every partition too, not the partitioned table's alone.
    lock: lockFor('alterTable', [table, ...leaves], ctx),
    // The server attaches the partitions' keys; a partition the plan creates is empty.
    scansTable: false,
    source: change,
    comment: `Add ${what} ${key.name} to ${displayName(table)}, attaching its partitions' (catalog only)`,
  }
  return [check, ...builds, ...leafKeys, unknown, add]
}
