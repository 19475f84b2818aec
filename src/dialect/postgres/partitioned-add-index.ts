/**
 * An index added to a partitioned table that exists, online (the safe policy). CREATE INDEX on the partitioned table
 * builds every partition's copy in its statement, holding SHARE on each partition meanwhile: writers wait for the whole
 * build. PostgreSQL builds no index concurrently on a partitioned table (0A000), so, as its CREATE INDEX documentation
 * says ("Building Indexes Concurrently": partitioned tables) and as a keyed retype does (partitioned-keys.ts):
 * - on each leaf partition, the index built concurrently (writers go on), under the name the server gives the leaf's
 *   copy (`<partition>_<columns>_idx`, an expression's column named as FigureIndexColname names it in the statement the
 *   plan writes, `lower` or `expr`: change.ts columnNames; numbered while a relation of `from`, or a copy the plan
 *   makes before, holds it,
 *   as ChooseRelationName does: a name the target has instead is the plan's rename of that copy, as in the direct
 *   form, found by its root index: partitioned-copy-names.ts); on a leaf the plan creates,
 *   empty, built plainly; before any build, a check that no relation made since holds those names
 *   (partitioned-copy-check.ts);
 * - then, in one transaction, catalog only: the index created ON ONLY the partitioned table and each sub-partitioned
 *   partition (invalid, nothing to build), each partition's attached to its parent's, deepest first
 *   (ALTER INDEX ... ATTACH PARTITION); the parent's becomes valid by itself once all are attached;
 * - a partition the plan does not know (made after the migration was generated) takes an index built beforehand that
 *   the server accepts as the copy, or the transaction stops and says what to build (attachUnknownPartitions).
 * The result is the direct form's: the same indexes under the same names, each attached to its parent's.
 */
import type { PartitionLink } from '../../diff/change.js'
import { chooseCopyName, isHeld, planCopyName } from '../../diff/held-names.js'
import { copyColumnNames } from '../../diff/held-names-plan.js'
import { chooseIndexColumnNames, nameAddition } from '../../schema/dsl/naming.js'
import type { Index, QualifiedName } from '../../schema/model.js'
import { displayName, nameKey } from '../../schema/name.js'
import type { ChangeOf, Draft, PlanContext } from './context.js'
import { inverseOf, isFresh } from './context.js'
import { lockFor } from './locks.js'
import { beforeBuildsOrStop, foreignPartitionMade } from './partitioned-copy-check.js'
import { settleCopyNames } from './partitioned-copy-names.js'
import { dollarQuote, quoteIdentList, quoteLiteral, quoteQualified } from './quote.js'
import { indexName, renderCreateIndex, renderDropIndex, renderIndexPart } from './render.js'

/**
 * Whether the online form serves `change`: its partitions are known and each copy's name can be told. An expression
 * part's name is what the server's parser makes of the expression in the CREATE INDEX the plan writes (the differ's
 * namer: change.ts `columnNames`), or each copy's name is the one the catalog lists (copyName); without either, the
 * direct form, which leaves the copies' names to the server.
 */
export function hasOnlineIndexForm(change: ChangeOf<'createIndex'>): boolean {
  const { partitions } = change
  if (partitions === undefined) return false
  // The undo of a dropped expression index: its copies' names as the catalog listed them, no namer needed.
  return copyColumnNames(change) !== undefined || partitions.every((p) => p.copyName !== undefined)
}

/** What to do with a foreign partition in the tree: the direct form, which passes foreign partitions over. */
const directIndex = (index: string) =>
  `this online form would leave ${index} invalid for good. Generate the migration again: keel generate plans the direct CREATE INDEX on the partitioned table then, which passes foreign partitions over (and blocks writes to the others while it builds)`

/** The steps of `change` (an index on a partitioned table that exists, its partitions known) under the safe policy. */
export function addPartitionedIndexSteps(
  change: ChangeOf<'createIndex'>,
  partitions: readonly PartitionLink[],
  ctx: PlanContext,
): Draft[] {
  const { table, index, taken = [] } = change
  const { comment: _comment, ...shape } = index
  // The server's name for a partition's copy (ChooseIndexName: makeObjectName, numbered while the name is held), from
  // the names of the index's columns: generateClonedIndexStmt gives a copy's columns those of the parent's index, an
  // expression's what FigureIndexColname called it there. An expression index's copy takes the name the target's
  // catalog lists instead (copyName: the server named it from the text as written there). The plan renames a copy to
  // any other name.
  const addition = nameAddition(chooseIndexColumnNames(copyColumnNames(change) ?? []))
  const copies = new Map(partitions.map((p) => [nameKey(p.table), planCopyName(p, addition, 'idx', taken)]))
  const nameOn = (on: QualifiedName) => copies.get(nameKey(on)) ?? index.name
  const qualifiedIndex = (on: QualifiedName) => quoteQualified(indexName(on, nameOn(on)))
  const leaves = partitions.filter((p) => p.leaf).map((p) => p.table)
  const builds = leaves.map((leaf): Draft => {
    const fresh = isFresh(ctx, leaf)
    return {
      sql: renderCreateIndex(leaf, { ...shape, name: nameOn(leaf) }, !fresh),
      // IF EXISTS: the parent's reverse, which runs first, drops the copies attached to it.
      reverse: { sql: renderDropIndex(leaf, nameOn(leaf), !fresh, true) },
      transactional: fresh,
      lock: lockFor(fresh ? 'createIndex' : 'createIndexConcurrently', [leaf], ctx),
      scansTable: !fresh,
      source: change,
      comment: `Build index ${nameOn(leaf)} on partition ${displayName(leaf)}${fresh ? ' (created by this plan, empty)' : ' concurrently'}`,
    }
  })
  const parents = [table, ...partitions.filter((p) => !p.leaf).map((p) => p.table)]
  const only = parents.map(
    (on): Draft => ({
      sql: renderCreateIndex(on, { ...shape, name: nameOn(on) }, false, 'only'),
      // Dropping the partitioned table's drops every index attached to it, at any depth.
      reverse: nameKey(on) === nameKey(table) ? inverseOf(change) : { sql: '' },
      lock: lockFor('createIndex', [on], ctx),
      // A partitioned table holds no rows: ON ONLY builds nothing.
      scansTable: false,
      source: change,
      comment: `Create index ${nameOn(on)} on the partitioned table ${displayName(on)} alone (invalid until each partition's is attached)`,
    }),
  )
  const attaches = partitions.map(
    (p): Draft => ({
      sql: `ALTER INDEX ${qualifiedIndex(p.parent)} ATTACH PARTITION ${qualifiedIndex(p.table)}`,
      // An attached index cannot be detached: it goes with its parent's.
      reverse: { sql: '' },
      lock: lockFor('readRelations', [p.parent, p.table], ctx),
      source: change,
      comment: `Attach index ${nameOn(p.table)} of ${displayName(p.table)} to ${nameOn(p.parent)} (catalog only)`,
    }),
  )
  const unknown: Draft = {
    sql: attachUnknownPartitions(table, nameOn(table), index),
    reverse: { sql: '' },
    lock: lockFor('readRelations', [table], ctx),
    source: change,
    comment: `Attach to ${index.name} an index built beforehand on any other partition of ${displayName(table)}, or stop`,
  }
  const check: Draft = {
    sql: beforeBuildsOrStop(
      table,
      partitions.map((p) => ({ on: p.table, name: nameOn(p.table) })),
      `index ${index.name}`,
      directIndex(quoteQualified(indexName(table, index.name))),
    ),
    reverse: { sql: '' },
    // Reads the catalog only.
    lock: lockFor('catalogOnly', [], ctx),
    source: change,
    comment: `Stop, nothing built, if a relation made since the plan holds the name of a partition's index of ${index.name}`,
  }
  // The check, then the concurrent builds, then one transaction (a fresh leaf's build in it): a failure there leaves no
  // invalid parent index behind, and the builds, committed, are not done again.
  return [
    check,
    ...builds.filter((b) => b.transactional === false),
    ...builds.filter((b) => b.transactional),
    ...only,
    ...attaches,
    unknown,
  ]
}

/**
 * After the direct form (CREATE INDEX on the partitioned table, which names each partition's copy itself, from the
 * expression as the plan's text prints it): each copy whose name the target's catalog lists (copyName) renamed to it,
 * found by its root index (settleCopyNames, catalog only), where the server's name differs. A name held in `from` by
 * another relation is left to the server's, as the online form leaves it.
 */
export function directCopyNames(change: ChangeOf<'createIndex'>, ctx: PlanContext): Draft[] {
  const { table, index, taken = [] } = change
  const columns = copyColumnNames(change)
  // Without the differ's namer, the server's names cannot be told: left to it (the direct form as it was).
  if (columns === undefined) return []
  const addition = nameAddition(chooseIndexColumnNames(columns))
  const root = indexName(table, index.name)
  return (change.partitions ?? []).flatMap((p): Draft[] => {
    const name = p.copyName
    if (name === undefined || isHeld(taken, p.table, name, false)) return []
    if (chooseCopyName(p.table, addition, 'idx', taken) === name) return []
    return [
      {
        sql: settleCopyNames(p.table, [{ root, name }]),
        // Dropping the partitioned table's index, the reverse before this one's, drops the copy whatever its name.
        reverse: { sql: '' },
        lock: lockFor('validateConstraint', [p.table], ctx),
        source: change,
        comment: `Name the copy on partition ${displayName(p.table)} of index ${index.name} as the goal has it (${name})`,
      },
    ]
  })
}

/**
 * The DO block that, for each partition of `table` (top down) with no index attached under its index `name`, attaches
 * one built beforehand on it that the server takes as the copy (ATTACH checks that the definitions match: 42P17 if
 * not), or stops, nothing of the transaction committed, saying what to build concurrently before keel migrate runs
 * again. Without it, a partition made after the migration was generated left the index invalid, without a word.
 */
export function attachUnknownPartitions(table: QualifiedName, name: string, index: Index): string {
  // RAISE reads % as a placeholder: those in the index's text are doubled; the two placeholders are the partition.
  const plain = (text: string) => text.replaceAll('%', '%%')
  const root = quoteQualified(indexName(table, name))
  const columns = index.parts.map(renderIndexPart).join(', ')
  const include = index.include.length > 0 ? ` INCLUDE (${quoteIdentList(index.include)})` : ''
  const rest = `${include}${index.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''}${index.where === undefined ? '' : ` WHERE ${index.where}`}`
  const build = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ON % (${plain(columns)})${plain(rest)}`
  const message = `partition % of the partitioned table ${plain(displayName(table))} has no index like ${plain(root)}, one this migration does not know (made after it was generated?): building it here would block writes to it. Build it first (${build}; for a partitioned one, ON ONLY, its partitions' attached to it), and run keel migrate again`
  const foreign = `${foreignPartitionMade(table)}${plain(directIndex(root))}`
  return `DO ${dollarQuote(`
DECLARE
  root regclass := ${quoteLiteral(root)}::regclass;
  rel regclass;
  parent_index regclass;
  candidate regclass;
  attached boolean;
BEGIN
  FOR rel IN SELECT t.relid FROM pg_partition_tree(${quoteLiteral(quoteQualified(table))}::regclass) t WHERE t.level > 0 ORDER BY t.level LOOP
    IF (SELECT relkind FROM pg_class WHERE oid = rel) = 'f' THEN
      RAISE EXCEPTION ${quoteLiteral(foreign)}, rel;
    END IF;
    CONTINUE WHEN EXISTS (SELECT FROM pg_partition_tree(root) x JOIN pg_index i ON i.indexrelid = x.relid WHERE i.indrelid = rel);
    SELECT x.relid INTO parent_index FROM pg_partition_tree(root) x JOIN pg_index i ON i.indexrelid = x.relid
      WHERE i.indrelid = (SELECT inhparent FROM pg_inherits WHERE inhrelid = rel);
    attached := false;
    FOR candidate IN SELECT i.indexrelid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = rel AND (i.indisvalid OR c.relkind = 'I')
          AND NOT EXISTS (SELECT FROM pg_inherits WHERE inhrelid = i.indexrelid)
          AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = i.indexrelid) ORDER BY i.indexrelid LOOP
      BEGIN
        EXECUTE format('ALTER INDEX %s ATTACH PARTITION %s', parent_index, candidate);
        attached := true;
        EXIT;
      EXCEPTION WHEN invalid_object_definition THEN
        NULL;
      END;
    END LOOP;
    IF NOT attached THEN
      RAISE EXCEPTION ${quoteLiteral(message)}, rel, rel;
    END IF;
  END LOOP;
END`)}`
}
