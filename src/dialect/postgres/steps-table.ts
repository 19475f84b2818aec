/** Steps for tables and columns as wholes: create, drop, rename, table options, add and drop column. */

import type { Column, QualifiedName, Table } from '../../schema/model.js'
import { displayName } from '../../schema/name.js'
import type { ChangeOf, Draft, PlanContext } from './context.js'
import { inverseOf, isFresh } from './context.js'
import { defaultIsVolatile } from './default-volatility.js'
import { existingBeforePlan, lockFor } from './locks.js'
import { parentsOf } from './normalize-partitions.js'
import { objectName } from './object-name.js'
import { settleCopyNames } from './partitioned-copy-names.js'
import { dollarQuote, quoteIdent, quoteLiteral, quoteQualified } from './quote.js'
import { indexName, renderAlterTable, renderColumnDefinition, renderCreateTable } from './render.js'
import { partitionLock } from './steps-partitions.js'

/**
 * CREATE TABLE; its inline foreign keys lock the tables they reference (briefly: the new table is empty), and
 * creating a partition takes ACCESS EXCLUSIVE on its parent (partitionLock).
 */
export function createTableSteps(change: ChangeOf<'createTable'>, ctx: PlanContext): Draft[] {
  const referenced = change.table.foreignKeys.map((fk) => fk.references.table)
  const plain = referenced.length === 0 ? lockFor('catalogOnly', [], ctx) : lockFor('addForeignKey', referenced, ctx)
  return [
    {
      sql: renderCreateTable(change.table),
      reverse: inverseOf(change),
      lock: partitionLock(change.table, plain, ctx),
      source: change,
      comment: `Create table ${displayName(change.table.name)}`,
    },
  ]
}

/** DROP TABLE (never CASCADE); dropping its foreign keys locks the tables they reference too. */
export function dropTableSteps(change: ChangeOf<'dropTable'>, _ctx: PlanContext): Draft[] {
  const name = change.table.name
  return [
    {
      sql: `DROP TABLE ${quoteQualified(name)}`,
      reverse: inverseOf(change),
      // Dropping a partition or INHERITS child locks its parent too. All exist before the plan, also when it creates
      // the table again (a plain table made partitioned, say): the drop blocks their sessions.
      lock: lockFor(
        'dropRelation',
        [name, ...change.table.foreignKeys.map((fk) => fk.references.table), ...parentsOf(change.table)],
        existingBeforePlan,
      ),
      dataLoss: 'certain',
      source: change,
      comment: `Drop table ${displayName(name)} and its data`,
    },
  ]
}

/**
 * ALTER TABLE SET SCHEMA or RENAME TO (the expander splits a move that does both). SET SCHEMA moves the
 * sequences the table's columns own; RENAME TO keeps their names, so the sequences implied by serial
 * columns (`<table>_<column>_seq`) are renamed in the same step, or they would no longer read as serials.
 */
export function renameTableSteps(change: ChangeOf<'renameTable'>, ctx: PlanContext): Draft[] {
  const { from, to } = change
  const moves = from.schema !== to.schema
  const action = moves ? `SET SCHEMA ${quoteIdent(to.schema ?? 'public')}` : `RENAME TO ${quoteIdent(to.name)}`
  const sequences = moves
    ? []
    : (change.serialColumns ?? []).map((column) =>
        renameSequence(to, objectName(from.name, column, 'seq'), objectName(to.name, column, 'seq')),
      )
  return [
    {
      sql: [renderAlterTable(from, action), ...sequences].join(';\n'),
      reverse: inverseOf(change),
      lock: lockFor('alterTable', [from], ctx),
      source: change,
      comment: `Rename table ${displayName(from)} to ${displayName(to)}`,
    },
  ]
}

/** ALTER SEQUENCE RENAME for the sequence a serial column implies (catalog only). */
function renameSequence(table: QualifiedName, from: string, to: string): string {
  return `ALTER SEQUENCE ${quoteQualified({ ...table, name: from })} RENAME TO ${quoteIdent(to)}`
}

/**
 * ALTER INDEX ... RENAME (SHARE UPDATE EXCLUSIVE since PostgreSQL 12) or ALTER TABLE ... RENAME CONSTRAINT
 * (ACCESS EXCLUSIVE, held only for the catalog update); renaming a key's constraint renames its index too.
 */
export function renameObjectSteps(change: ChangeOf<'renameIndex' | 'renameConstraint'>, ctx: PlanContext): Draft[] {
  const isIndex = change.kind === 'renameIndex'
  const sql = isIndex
    ? `ALTER INDEX ${quoteQualified(indexName(change.table, change.from))} RENAME TO ${quoteIdent(change.to)}`
    : renderAlterTable(change.table, `RENAME CONSTRAINT ${quoteIdent(change.from)} TO ${quoteIdent(change.to)}`)
  return [
    {
      sql,
      reverse: inverseOf(change),
      lock: isIndex ? lockFor('validateConstraint', [change.table], ctx) : lockFor('alterTable', [change.table], ctx),
      source: change,
      comment: `Rename ${isIndex ? 'index' : 'constraint'} ${change.from} of ${displayName(change.table)} to ${change.to}`,
    },
  ]
}

/**
 * Table options: SET LOGGED / SET UNLOGGED, which rewrites the table; and the names of a partition's attached
 * indexes (ALTER INDEX ... RENAME, catalog only), each from its name in `from` (or PostgreSQL's default) to its
 * name in `to` (or the default).
 */
export function alterTableSteps(change: ChangeOf<'alterTable'>, ctx: PlanContext): Draft[] {
  return [...attachedIndexRenames(change, ctx), ...loggedSteps(change, ctx)]
}

function attachedIndexRenames(change: ChangeOf<'alterTable'>, ctx: PlanContext): Draft[] {
  const before = new Map((change.from.ext?.postgres?.attachedIndexes ?? []).map((a) => [a.parent, a]))
  const after = new Map((change.to.ext?.postgres?.attachedIndexes ?? []).map((a) => [a.parent, a]))
  const made = change.newCopies ?? []
  const settled = new Set(made.map((copy) => copy.parent))
  const drafts: Draft[] = []
  let settles = false
  for (const parent of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(parent)
    const next = after.get(parent)
    // Settled below, with the other new copies its default name is one of.
    if (old === undefined && settled.has(parent)) {
      settles = true
      continue
    }
    const from = old?.name ?? (next?.defaultName as string)
    const to = next?.name ?? (old?.defaultName as string)
    if (from === to) continue
    // The plan makes the copy: a relation (of `from`, or made since) may hold the default name, and the copy take
    // another (numbered as ChooseRelationName numbers it): found by the index it is attached to. ALTER INDEX of the
    // default name renamed that relation, a table too.
    const held = old === undefined && change.heldDefaults?.includes(from) === true
    drafts.push({
      sql: held
        ? renameCopyOf(change.table, parent, to)
        : `ALTER INDEX ${quoteQualified(indexName(change.table, from))} RENAME TO ${quoteIdent(to)}`,
      // The default name is held: the reverse of the parent's index, which follows, drops the copy whatever its name.
      reverse: {
        sql: held ? '' : `ALTER INDEX ${quoteQualified(indexName(change.table, to))} RENAME TO ${quoteIdent(from)}`,
      },
      lock: lockFor('validateConstraint', [change.table], ctx),
      source: change,
      comment: `Rename index ${from} of partition ${displayName(change.table)} (attached to ${parent}) to ${to}`,
    })
  }
  if (!settles) return drafts
  return [
    {
      sql: settleCopyNames(change.table, made),
      // The reverse of each copy's index, which follows, drops the copy whatever its name.
      reverse: { sql: '' },
      lock: lockFor('validateConstraint', [change.table], ctx),
      source: change,
      comment: `Name the copies on partition ${displayName(change.table)} of indexes this plan makes as the goal has them (${made.map((copy) => copy.name).join(', ')})`,
    },
    ...drafts,
  ]
}

/** Renames to `to` the index of `table` attached to `parent` (an index of its parent's schema), whatever its name. */
function renameCopyOf(table: QualifiedName, parent: string, to: string): string {
  const message = `partition ${displayName(table)} has no index attached to ${parent}`
  return `DO ${dollarQuote(`
DECLARE
  copy regclass;
BEGIN
  SELECT i.indexrelid INTO copy FROM pg_index i JOIN pg_inherits h ON h.inhrelid = i.indexrelid
    JOIN pg_class p ON p.oid = h.inhparent
    WHERE i.indrelid = ${quoteLiteral(quoteQualified(table))}::regclass AND p.relname = ${quoteLiteral(parent)};
  IF copy IS NULL THEN
    RAISE EXCEPTION '%', ${quoteLiteral(message)};
  END IF;
  IF (SELECT relname FROM pg_class WHERE oid = copy) <> ${quoteLiteral(to)} THEN
    EXECUTE format('ALTER INDEX %s RENAME TO %I', copy, ${quoteLiteral(to)});
  END IF;
END`)}`
}

function loggedSteps(change: ChangeOf<'alterTable'>, ctx: PlanContext): Draft[] {
  const unlogged = Boolean(change.to.ext?.postgres?.unlogged)
  if (Boolean(change.from.ext?.postgres?.unlogged) === unlogged) return []
  return [
    {
      sql: renderAlterTable(change.table, unlogged ? 'SET UNLOGGED' : 'SET LOGGED'),
      reverse: inverseOf(change),
      lock: lockFor('alterTable', [change.table], ctx),
      rewritesTable: true,
      scansTable: true,
      source: change,
      comment: `Make table ${displayName(change.table)} ${unlogged ? 'unlogged' : 'logged'}`,
    },
  ]
}

/**
 * ADD COLUMN. Since PostgreSQL 11 a constant default is stored in the catalog and the table is not
 * rewritten; a volatile default (serial, identity, gen_random_uuid(), ...) or a stored generated
 * column fills every row, which rewrites it. NOT NULL without a default scans (and fails on a table
 * with rows).
 */
export function addColumnSteps(change: ChangeOf<'addColumn'>, ctx: PlanContext): Draft[] {
  const { column, table } = change
  const rewrites = fillsEveryRow(column, ctx)
  // Nothing fills it: PostgreSQL refuses the column on a table with rows. Said in the step, as Prisma warns,
  // so that the author adds a default or a backfill before it reaches a database with data.
  const needsValues =
    !column.nullable &&
    column.default === undefined &&
    column.identity === undefined &&
    column.generated === undefined &&
    column.serial !== true
  return [
    {
      sql: renderAlterTable(table, `ADD COLUMN ${renderColumnDefinition(column)}`),
      reverse: inverseOf(change),
      lock: lockFor('alterTable', [table], ctx),
      rewritesTable: rewrites,
      scansTable: rewrites || (!column.nullable && column.default === undefined),
      ...storedGenerated(column, table, ctx),
      source: change,
      comment: `Add column ${column.name} to ${displayName(table)}${rewrites ? ' (rewrites the table)' : ''}${needsValues ? ' (NOT NULL without a default: fails if the table has rows; add a default, or add it nullable, backfill, then set NOT NULL)' : ''}`,
    },
  ]
}

/** DROP COLUMN: instant (the column is only marked dropped), but its data is gone. */
export function dropColumnSteps(change: ChangeOf<'dropColumn'>, ctx: PlanContext): Draft[] {
  return [
    {
      sql: renderAlterTable(change.table, `DROP COLUMN ${quoteIdent(change.column.name)}`),
      reverse: inverseOf(change),
      lock: lockFor('alterTable', [change.table], ctx),
      dataLoss: 'certain',
      source: change,
      comment: `Drop column ${change.column.name} from ${displayName(change.table)} and its data`,
    },
  ]
}

/** RENAME COLUMN: catalog only, but running code that uses the old name breaks. */
export function renameColumnSteps(change: ChangeOf<'renameColumn'>, ctx: PlanContext): Draft[] {
  return [
    {
      sql: [
        renderAlterTable(change.table, `RENAME COLUMN ${quoteIdent(change.from)} TO ${quoteIdent(change.to)}`),
        ...(change.serial
          ? [
              renameSequence(
                change.table,
                objectName(change.table.name, change.from, 'seq'),
                objectName(change.table.name, change.to, 'seq'),
              ),
            ]
          : []),
      ].join(';\n'),
      reverse: inverseOf(change),
      lock: lockFor('alterTable', [change.table], ctx),
      source: change,
      comment: `Rename column ${change.from} of ${displayName(change.table)} to ${change.to}`,
    },
  ]
}

/**
 * Step.noOnlineForm of adding a stored generated column to a table that exists before the plan: PostgreSQL computes
 * it for every row under ACCESS EXCLUSIVE, and has no way to add one without (a plain column filled by a trigger
 * and a backfill is another schema: writers could then set it).
 */
export function storedGenerated(column: Column, table: QualifiedName, ctx: PlanContext): Pick<Draft, 'noOnlineForm'> {
  if (column.generated?.stored !== true || isFresh(ctx, table)) return {}
  return {
    noOnlineForm: `PostgreSQL computes stored generated column ${displayName(table)}.${column.name} for every row while it holds ACCESS EXCLUSIVE on the table, and has no online way to add one`,
  }
}

/**
 * Whether adding `column` computes a value for every existing row (a table rewrite): also when its default calls a
 * user's VOLATILE function, or one the plan does not know (default-volatility.ts).
 */
export function fillsEveryRow(column: Column, ctx: PlanContext): boolean {
  if (column.serial || column.identity !== undefined) return true
  if (column.generated !== undefined) return column.generated.stored
  return column.default !== undefined && defaultIsVolatile(column.default.sql, ctx.routines)
}

/** The tables a table's inline foreign keys reference. */
export function referencedTables(table: Table): QualifiedName[] {
  return table.foreignKeys.map((fk) => fk.references.table)
}
