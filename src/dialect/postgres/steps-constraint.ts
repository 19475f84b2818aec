/**
 * Steps for keys, checks, foreign keys and indexes, with the safe policy's rewrites: indexes built
 * and dropped CONCURRENTLY, keys built as a concurrent unique index then attached USING INDEX,
 * foreign keys and checks added NOT VALID and validated in a later step.
 * Tables created or dropped in the same plan get the plain statements: they are empty or going away.
 */
import type { Change } from '../../diff/change.js'
import type { Index, QualifiedName } from '../../schema/model.js'
import { displayName, nameKey } from '../../schema/name.js'
import type { ChangeOf, Draft, PlanContext } from './context.js'
import { inverseOf, isFresh } from './context.js'
import { lockFor } from './locks.js'
import { addPartitionedIndexSteps, directCopyNames, hasOnlineIndexForm } from './partitioned-add-index.js'
import { addPartitionedKeySteps } from './partitioned-add-key.js'
import { quoteIdent } from './quote.js'
import {
  renderAlterTable,
  renderCheckClause,
  renderCreateIndex,
  renderDeferrable,
  renderDropIndex,
  renderForeignKeyClause,
  renderPrimaryKeyClause,
  renderUniqueClause,
} from './render.js'
import { isPartitioned } from './steps-partitions.js'

/**
 * ADD PRIMARY KEY / ADD UNIQUE builds its unique index under ACCESS EXCLUSIVE, blocking reads and
 * writes for the whole build. Under the safe policy, on an existing table, the index is built
 * CONCURRENTLY under the constraint's name and then attached with `ADD CONSTRAINT ... USING INDEX`,
 * which only touches the catalog (a primary key's columns are NOT NULL by then: the plan sets that
 * in `alterColumn`, before the constraints).
 */
export function addKeySteps(change: ChangeOf<'addPrimaryKey' | 'addUnique'>, ctx: PlanContext): Draft[] {
  const clause =
    change.kind === 'addPrimaryKey' ? renderPrimaryKeyClause(change.primaryKey) : renderUniqueClause(change.unique)
  const name = change.kind === 'addPrimaryKey' ? change.primaryKey.name : change.unique.name
  const what = change.kind === 'addPrimaryKey' ? 'primary key' : 'unique constraint'
  // Not on a table an enum recreation converts: a key it drops and makes again (over a generated column that reads the
  // enum) goes in the recreation's transaction, which a concurrent build cannot run in (keepRunsWhole refused the plan).
  const online = ctx.safe && !isFresh(ctx, change.table) && !inRecreation(ctx, change.table)
  if (online && !isPartitioned(ctx, change.table)) return addKeyUsingIndexSteps(change, ctx, name, what)
  // A partitioned table's key is built on its leaf partitions first (partitioned-add-key.ts).
  const foreign = change.foreignPartitions
  if (online && change.leaves !== undefined && foreign === undefined)
    return addPartitionedKeySteps(change, change.leaves, ctx)
  return [
    {
      sql: renderAlterTable(change.table, `ADD ${clause}`),
      reverse: inverseOf(change),
      lock: lockFor('alterTable', [change.table], ctx),
      scansTable: !isFresh(ctx, change.table),
      source: change,
      comment: `Add ${what} ${name} to ${displayName(change.table)}`,
      ...(ctx.safe && foreign !== undefined ? { noOnlineForm: foreignKeyReason(change.table, foreign) } : {}),
      ...inRecreationReason(ctx, change.table, 'a unique index built concurrently'),
    },
  ]
}

function addKeyUsingIndexSteps(
  change: ChangeOf<'addPrimaryKey' | 'addUnique'>,
  ctx: PlanContext,
  name: string,
  what: string,
): Draft[] {
  const { table } = change
  const key = change.kind === 'addPrimaryKey' ? change.primaryKey : change.unique
  const nullsNotDistinct = change.kind === 'addUnique' && change.unique.nullsNotDistinct === true
  const index: Index = {
    name,
    parts: key.columns.map((column) => ({ column })),
    unique: true,
    include: [],
    ...(nullsNotDistinct ? { nullsNotDistinct: true } : {}),
  }
  const kind = change.kind === 'addPrimaryKey' ? 'PRIMARY KEY' : 'UNIQUE'
  return [
    {
      sql: renderCreateIndex(table, index, true),
      // IF EXISTS: undoing the constraint step (which runs first in reverse) drops the index with the constraint.
      reverse: { sql: renderDropIndex(table, name, true, true) },
      transactional: false,
      lock: lockFor('createIndexConcurrently', [table], ctx),
      scansTable: true,
      source: change,
      comment: `Build the unique index of ${what} ${name} on ${displayName(table)} concurrently`,
    },
    {
      sql: renderAlterTable(
        table,
        `ADD CONSTRAINT ${quoteIdent(name)} ${kind} USING INDEX ${quoteIdent(name)}${renderDeferrable(key.deferrable)}`,
      ),
      reverse: inverseOf(change),
      lock: lockFor('alterTable', [table], ctx),
      source: change,
      comment: `Add ${what} ${name} to ${displayName(table)} using that index`,
    },
  ]
}

/** DROP CONSTRAINT for a primary key, unique constraint or check. */
export function dropConstraintSteps(
  change: ChangeOf<'dropPrimaryKey' | 'dropUnique' | 'dropCheck'>,
  ctx: PlanContext,
): Draft[] {
  const name =
    change.kind === 'dropPrimaryKey'
      ? change.primaryKey.name
      : change.kind === 'dropUnique'
        ? change.unique.name
        : change.check.name
  return [
    {
      sql: dropConstraintSql(change.table, name),
      reverse: inverseOf(change),
      lock: lockFor('alterTable', [change.table], ctx),
      source: change,
      comment: `Drop constraint ${name} from ${displayName(change.table)}`,
    },
  ]
}

/** `ALTER TABLE t DROP CONSTRAINT name` */
export function dropConstraintSql(table: QualifiedName, name: string): string {
  return renderAlterTable(table, `DROP CONSTRAINT ${quoteIdent(name)}`)
}

/**
 * `ALTER TABLE t VALIDATE CONSTRAINT name`: scans under SHARE UPDATE EXCLUSIVE, which blocks no reads
 * or writes. It is marked non-transactional although PostgreSQL would run it in a transaction block:
 * inside the transaction of the NOT VALID step before it, the ACCESS EXCLUSIVE (or SHARE ROW
 * EXCLUSIVE) lock of that step would still be held during the scan, which is what the split avoids.
 * The runner commits what came before and runs it on its own.
 */
export function validateStep(table: QualifiedName, name: string, source: Change, ctx: PlanContext): Draft {
  return {
    sql: renderAlterTable(table, `VALIDATE CONSTRAINT ${quoteIdent(name)}`),
    // Validation changes nothing that needs undoing: the reverse of the NOT VALID step drops the constraint.
    reverse: { sql: '' },
    transactional: false,
    lock: lockFor('validateConstraint', [table], ctx),
    scansTable: true,
    source,
    comment: `Validate constraint ${name} on ${displayName(table)} without blocking writes`,
  }
}

/**
 * ADD CHECK; on an existing table under the safe policy, NOT VALID then VALIDATE. A check the schema declares
 * NOT VALID is added so and left unvalidated, on any policy.
 */
export function addCheckSteps(change: ChangeOf<'addCheck'>, ctx: PlanContext): Draft[] {
  const { table, check } = change
  if (check.notValid) return [unvalidatedAdd(change, renderCheckClause(check, true), `check ${check.name}`, ctx)]
  const online = ctx.safe && !isFresh(ctx, table) && !inRecreation(ctx, table)
  const add: Draft = {
    sql: renderAlterTable(table, `ADD ${renderCheckClause(check, online)}`),
    reverse: inverseOf(change),
    lock: lockFor('alterTable', [table], ctx),
    scansTable: !online && !isFresh(ctx, table),
    source: change,
    comment: `Add check ${check.name} to ${displayName(table)}${online ? ' without validating existing rows' : ''}`,
    ...inRecreationReason(ctx, table, 'NOT VALID then VALIDATE, which the runner commits alone'),
  }
  return online ? [add, validateStep(table, check.name, change, ctx)] : [add]
}

/**
 * ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE on both tables and scans the referencing one; on an
 * existing table under the safe policy it is added NOT VALID (no scan) and validated in a later
 * step under SHARE UPDATE EXCLUSIVE.
 */
export function addForeignKeySteps(change: ChangeOf<'addForeignKey'>, ctx: PlanContext): Draft[] {
  const { table, foreignKey: fk } = change
  if (fk.notValid) return [unvalidatedAdd(change, renderForeignKeyClause(fk, true), `foreign key ${fk.name}`, ctx)]
  // PostgreSQL (before 18) refuses NOT VALID foreign keys on a partitioned table.
  // Between two tables a recreation converts (a key over its columns, dropped around the conversion): in its transaction.
  const recreated = inRecreation(ctx, table) && inRecreation(ctx, fk.references.table)
  const online = ctx.safe && !isFresh(ctx, table) && !isPartitioned(ctx, table) && !recreated
  const add: Draft = {
    sql: renderAlterTable(table, `ADD ${renderForeignKeyClause(fk, online)}`),
    reverse: inverseOf(change),
    lock: lockFor('addForeignKey', [table, fk.references.table], ctx),
    scansTable: !online && !isFresh(ctx, table),
    source: change,
    comment: `Add foreign key ${fk.name} from ${displayName(table)} to ${displayName(fk.references.table)}${online ? ' without validating existing rows' : ''}`,
    ...(recreated ? inRecreationReason(ctx, table, 'NOT VALID then VALIDATE, which the runner commits alone') : {}),
  }
  return online ? [add, validateStep(table, fk.name, change, ctx)] : [add]
}

/** A constraint the schema declares NOT VALID: added without a scan, and never validated. */
function unvalidatedAdd(
  change: ChangeOf<'addCheck' | 'addForeignKey'>,
  clause: string,
  what: string,
  ctx: PlanContext,
): Draft {
  const tables = change.kind === 'addForeignKey' ? [change.table, change.foreignKey.references.table] : [change.table]
  return {
    sql: renderAlterTable(change.table, `ADD ${clause}`),
    reverse: inverseOf(change),
    lock: lockFor(change.kind === 'addForeignKey' ? 'addForeignKey' : 'alterTable', tables, ctx),
    source: change,
    comment: `Add ${what} to ${displayName(change.table)} NOT VALID, as the schema declares it`,
  }
}

/** DROP CONSTRAINT of a foreign key: removes its triggers from both tables. */
export function dropForeignKeySteps(change: ChangeOf<'dropForeignKey'>, ctx: PlanContext): Draft[] {
  const { table, foreignKey: fk } = change
  return [
    {
      sql: dropConstraintSql(table, fk.name),
      reverse: inverseOf(change),
      lock: lockFor('dropForeignKey', [table, fk.references.table], ctx),
      source: change,
      comment: `Drop foreign key ${fk.name} from ${displayName(table)}`,
    },
  ]
}

/**
 * CREATE INDEX blocks writes while it builds; under the safe policy an index on an existing table is
 * built CONCURRENTLY, which blocks no reads or writes but cannot run inside a transaction block.
 */
export function createIndexSteps(change: ChangeOf<'createIndex'>, ctx: PlanContext): Draft[] {
  const { table, index } = change
  // A partitioned table's index cannot be built CONCURRENTLY: it is built on each partition first.
  // Not with a foreign partition, which takes no index: the index ON ONLY the table would stay invalid.
  const foreign = change.foreignPartitions
  const online = ctx.safe && !isFresh(ctx, table) && !inRecreation(ctx, table)
  if (online && foreign === undefined && hasOnlineIndexForm(change))
    return addPartitionedIndexSteps(change, change.partitions ?? [], ctx)
  const concurrently = online && !isPartitioned(ctx, table)
  return [
    {
      sql: renderCreateIndex(table, index, concurrently),
      reverse: inverseOf(change),
      transactional: !concurrently,
      lock: lockFor(concurrently ? 'createIndexConcurrently' : 'createIndex', [table], ctx),
      scansTable: !isFresh(ctx, table),
      source: change,
      comment: `Create ${index.unique ? 'unique ' : ''}index ${index.name} on ${displayName(table)}${concurrently ? ' concurrently' : ''}`,
      ...(online && foreign !== undefined
        ? {
            noOnlineForm: `${displayName(table)} has ${foreignNames(foreign)}, where no index is built: the online form's index ON ONLY ${displayName(table)} would stay invalid, while CREATE INDEX passes ${foreign.length === 1 ? 'it' : 'them'} over${index.unique ? ' (a unique one the server refuses)' : ''}`,
          }
        : inRecreationReason(ctx, table, 'a concurrent build, which cannot run in a transaction block')),
    },
    ...directCopyNames(change, ctx),
  ]
}

/** `a foreign partition x` / `foreign partitions x, y`. */
function foreignNames(foreign: readonly QualifiedName[]): string {
  return `${foreign.length === 1 ? 'a foreign partition' : 'foreign partitions'} ${foreign.map(displayName).join(', ')}`
}

/** Why a key on a partitioned table with foreign partitions has no online form. */
function foreignKeyReason(table: QualifiedName, foreign: readonly QualifiedName[]): string {
  return `${displayName(table)} has ${foreignNames(foreign)}, where no index is built: PostgreSQL refuses a primary key or unique constraint on it (ADD CONSTRAINT says so before it builds anything)`
}

/**
 * Whether `table` has columns an enum recreated in place converts (PlanContext.convertedTables). The conversion holds
 * ACCESS EXCLUSIVE on it, rewrites it and rebuilds its indexes until the recreation commits, so what is dropped and
 * made again around it goes in the recreation's transaction, the online forms (CONCURRENTLY, NOT VALID then
 * VALIDATE) set aside: apart, a failure half-way left an index dropped, and a VALIDATE or a concurrent build between
 * the commit and the objects made after it left the table without them meanwhile (a trigger not firing, a restrictive
 * policy not applied, a view or a foreign key missing).
 */
function inRecreation(ctx: PlanContext, table: QualifiedName): boolean {
  return ctx.convertedTables?.has(nameKey(table)) ?? false
}

/**
 * Step.noOnlineForm of a statement on `table` that the safe policy writes in its blocking form only because it goes
 * in an enum recreation's transaction (inRecreation; `online` names the form set aside): generate refuses it with the
 * recreation's conversion, which has no online form either, instead of taking it for a planner gap.
 */
function inRecreationReason(
  ctx: PlanContext,
  table: QualifiedName,
  online: string,
): { readonly noOnlineForm?: string } {
  if (!ctx.safe || isFresh(ctx, table) || !inRecreation(ctx, table)) return {}
  const name = displayName(table)
  return {
    noOnlineForm: `${name} is converted by an enum recreated in place, whose transaction holds ACCESS EXCLUSIVE on it until the commit: this goes in that transaction, where the online form (${online}) cannot run, and apart from it ${name} would go without it after the commit (or for good, if the recreation failed)`,
  }
}

/** DROP INDEX takes ACCESS EXCLUSIVE on the table; CONCURRENTLY waits for users of the index instead. */
export function dropIndexSteps(change: ChangeOf<'dropIndex'>, ctx: PlanContext): Draft[] {
  const { table, index } = change
  const concurrently = ctx.safe && !isFresh(ctx, table) && !isPartitioned(ctx, table) && !inRecreation(ctx, table)
  return [
    {
      sql: renderDropIndex(table, index.name, concurrently),
      reverse: inverseOf(change),
      transactional: !concurrently,
      lock: lockFor(concurrently ? 'dropIndexConcurrently' : 'dropIndex', [table], ctx),
      source: change,
      comment: `Drop index ${index.name} on ${displayName(table)}${concurrently ? ' concurrently' : ''}`,
    },
  ]
}
