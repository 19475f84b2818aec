/**
 * Steps for the table-structure changes: exclusion constraints, ATTACH / DETACH PARTITION, INHERIT / NO INHERIT
 * and rules, with their locks (the ALTER TABLE page of the PostgreSQL manual names each subcommand's lock).
 */
import { assertNever } from '../../assert-never.js'
import type { TableStructureChange } from '../../diff/change.js'
import type { Lock } from '../../plan/step.js'
import type { QualifiedName, Table } from '../../schema/model.js'
import { displayName, nameKey } from '../../schema/name.js'
import type { ChangeOf, Draft, PlanContext } from './context.js'
import { inverseOf, isFresh } from './context.js'
import { lockBlocks, lockFor, type PgLockMode } from './locks.js'
import { quoteIdent } from './quote.js'
import { renderAlterTable, renderExclusionClause } from './render.js'
import {
  renderAttachPartition,
  renderCreateRule,
  renderDetachPartition,
  renderDropRule,
  renderInherit,
  renderRuleComment,
} from './render-partitions.js'
import { detachDroppingCopies } from './undo-attach.js'

/** The draft steps of one table-structure change, in execution order. */
export function structureSteps(change: TableStructureChange, ctx: PlanContext): Draft[] {
  switch (change.kind) {
    case 'addExclusion':
    case 'dropExclusion':
      return exclusionSteps({ ...change, kind: change.kind }, ctx)
    case 'attachPartition':
      return [attachStep({ ...change, kind: change.kind }, ctx)]
    case 'detachPartition':
      return [detachStep({ ...change, kind: change.kind }, ctx)]
    case 'addInherit':
    case 'dropInherit':
      return [inheritStep({ ...change, kind: change.kind }, ctx)]
    case 'createRule':
      return createRuleSteps({ ...change, kind: change.kind }, ctx)
    case 'dropRule':
      return [dropRuleStep({ ...change, kind: change.kind }, ctx)]
    default:
      return assertNever(change)
  }
}

/**
 * The strongest lock of a statement on `main` plus a weaker `mode` on `others`. Relations created in the plan are
 * left out (nobody uses them yet); when the main relations all are, the weaker lock is the one that counts.
 */
function twoLocks(main: Lock, mode: PgLockMode, others: readonly QualifiedName[], ctx: PlanContext): Lock {
  const on = others.filter((name) => !ctx.created.has(nameKey(name)))
  if (on.length === 0) return main
  if (main.on.length === 0) return { mode, blocks: lockBlocks[mode], on }
  return { ...main, also: [{ mode, on }] }
}

/** ADD / DROP CONSTRAINT of an exclusion constraint: ACCESS EXCLUSIVE; adding builds its index (a scan). */
function exclusionSteps(change: ChangeOf<'addExclusion' | 'dropExclusion'>, ctx: PlanContext): Draft[] {
  const { table, exclusion } = change
  const adds = change.kind === 'addExclusion'
  return [
    {
      sql: renderAlterTable(
        table,
        adds ? `ADD ${renderExclusionClause(exclusion)}` : `DROP CONSTRAINT ${quoteIdent(exclusion.name)}`,
      ),
      reverse: inverseOf(change),
      lock: lockFor('alterTable', [table], ctx),
      scansTable: adds && !isFresh(ctx, table),
      source: change,
      comment: `${adds ? 'Add' : 'Drop'} exclusion constraint ${exclusion.name} ${adds ? 'to' : 'from'} ${displayName(table)}`,
    },
  ]
}

/**
 * ATTACH PARTITION: SHARE UPDATE EXCLUSIVE on the parent (PostgreSQL 12+), ACCESS EXCLUSIVE on the partition, which
 * is scanned to check its rows against the bound (a default partition is scanned too).
 */
function attachStep(change: ChangeOf<'attachPartition'>, ctx: PlanContext): Draft {
  const { table, partitionOf } = change
  return {
    sql: renderAttachPartition(table, partitionOf),
    reverse: inverseOf(change),
    lock: twoLocks(lockFor('alterTable', [table], ctx), 'SHARE UPDATE EXCLUSIVE', [partitionOf.parent], ctx),
    scansTable: !isFresh(ctx, table),
    source: change,
    comment: `Attach ${displayName(table)} as a partition of ${displayName(partitionOf.parent)}`,
  }
}

/** DETACH PARTITION (not CONCURRENTLY): ACCESS EXCLUSIVE on the parent and the partition; the rows stay in the table. */
function detachStep(change: ChangeOf<'detachPartition'>, ctx: PlanContext): Draft {
  const { table, partitionOf } = change
  return {
    // The undo of an attach drops the copies the attach made, which the detach leaves (undo-attach.ts).
    sql: change.undoesAttach
      ? detachDroppingCopies(table, partitionOf, change.ownIndexes ?? [])
      : renderDetachPartition(table, partitionOf),
    reverse: inverseOf(change),
    lock: lockFor('alterTable', [partitionOf.parent, table], ctx),
    source: change,
    comment: `Detach partition ${displayName(table)} from ${displayName(partitionOf.parent)}`,
  }
}

/** INHERIT / NO INHERIT: ACCESS EXCLUSIVE on the child, SHARE UPDATE EXCLUSIVE on the parent. */
function inheritStep(change: ChangeOf<'addInherit' | 'dropInherit'>, ctx: PlanContext): Draft {
  const { table, parent } = change
  const inherit = change.kind === 'addInherit'
  return {
    sql: renderInherit(table, parent, inherit),
    reverse: inverseOf(change),
    lock: twoLocks(lockFor('alterTable', [table], ctx), 'SHARE UPDATE EXCLUSIVE', [parent], ctx),
    // INHERIT checks the child's columns and constraints against the parent's, not its rows.
    source: change,
    comment: `Make ${displayName(table)} ${inherit ? 'inherit from' : 'stop inheriting from'} ${displayName(parent)}`,
  }
}

/** CREATE RULE takes ACCESS EXCLUSIVE on its table; its comment follows (dropping the rule drops the comment). */
function createRuleSteps(change: ChangeOf<'createRule'>, ctx: PlanContext): Draft[] {
  const { rule } = change
  const lock = lockFor('alterTable', [rule.table], ctx)
  const create: Draft = {
    sql: renderCreateRule(rule),
    reverse: inverseOf(change),
    lock,
    source: change,
    comment: `Create rule ${rule.name} on ${displayName(rule.table)}`,
  }
  if (rule.comment === undefined) return [create]
  return [
    create,
    {
      sql: renderRuleComment(rule, rule.comment),
      reverse: { sql: '' },
      lock: lockFor('comment', [rule.table], ctx),
      source: change,
      comment: `Set the comment of rule ${rule.name} on ${displayName(rule.table)}`,
    },
  ]
}

/** DROP RULE: ACCESS EXCLUSIVE on its table. */
function dropRuleStep(change: ChangeOf<'dropRule'>, ctx: PlanContext): Draft {
  const { rule } = change
  return {
    sql: renderDropRule(rule),
    reverse: inverseOf(change),
    lock: lockFor('alterTable', [rule.table], ctx),
    source: change,
    comment: `Drop rule ${rule.name} on ${displayName(rule.table)}`,
  }
}

/**
 * The lock of CREATE TABLE for `table`: `plain` (its foreign keys' locks), and for a partition ACCESS EXCLUSIVE on
 * the parent, which CREATE TABLE ... PARTITION OF takes; INHERITS takes SHARE UPDATE EXCLUSIVE on the parents.
 */
export function partitionLock(table: Table, plain: Lock, ctx: PlanContext): Lock {
  const postgres = table.ext?.postgres
  if (postgres?.partitionOf !== undefined) {
    const parent = lockFor('alterTable', [postgres.partitionOf.parent], ctx)
    return parent.on.length === 0 ? plain : { ...parent, ...(plain.on.length > 0 ? { also: [plain] } : {}) }
  }
  return twoLocks(plain, 'SHARE UPDATE EXCLUSIVE', postgres?.inherits ?? [], ctx)
}

/** Whether the plan knows `table` to be partitioned (see PlanContext.partitioned). */
export function isPartitioned(ctx: PlanContext, table: QualifiedName): boolean {
  return ctx.partitioned?.has(nameKey(table)) ?? false
}
