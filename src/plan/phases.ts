import type { Change, Rename } from '../diff/change.js'
import { type DiffOptions, diff } from '../diff/diff.js'
import { diffTableStructure } from '../diff/diff-partitions.js'
import { refusePartitionKeyRetypes } from '../diff/partition-key-types.js'
import { noTableHierarchy } from '../diff/table-hierarchy.js'
import type { Column, Schema, Table } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import { refuseKeyless } from './backfill-key.js'
import { swapped, swapSteps } from './column-swap.js'
import {
  enumInPlace,
  enumSwapSteps,
  enumsSwapped,
  routinesTaking,
  withoutEnumUsers,
  withoutTypeReaders,
} from './enum-swap-contract.js'
import { expandSchema } from './expanded-schema.js'
import type { Expansion, ExpansionHooks, TableExpansion } from './expansion.js'
import { inheritingTables } from './inheriting-tables.js'
import {
  keyedRetype,
  keyMoveStep,
  movedForeignKeys,
  partitionsOf,
  refuseReferencedPartitionedKeys,
} from './keyed-retype.js'
import { stillFilling, withoutLeftoverSync } from './leftover-sync.js'
import type { KeyMoveStatement, PhaseSql } from './phase-sql.js'
import { backfillSteps, inPhase, reversed, syncSteps, viewStep } from './phase-steps.js'
import { type Policy, safePolicy } from './policy.js'
import { carriedDrop, heldRetype, joiningRetypes } from './retold-steps.js'
import type { Plan, Step } from './step.js'
import { intoSwapTransaction } from './swap-transaction.js'
import { callsOf } from './swapped-calls.js'
import { viewsReading } from './views-reading.js'

/**
 * What the phase pass needs from the dialect: its planner and its expand/contract SQL, and what the differ asks of
 * it (its quoter, default namespace and table hierarchy, `DiffOptions`).
 */
export type PhaseDialect = DiffOptions & {
  /** The dialect's one identifier quoter: a type name an enum swap writes into an expression. */
  quoteIdent(name: string): string
  /** `schemas`: the ends of the whole phased change (Dialect.plan's PlanSchemas). */
  plan(changes: readonly Change[], policy: Policy, schemas?: { readonly from: Schema; readonly to: Schema }): Plan
  readonly phaseSql: PhaseSql
}

/**
 * Plans `from` → `to` as expand, backfill and contract phases when the change would break the running
 * release: a hinted column rename, a new column with a backfill hint (a replaced, split or merged column),
 * a type change that rewrites the table, a hinted table rename, a dropped column or table, a NOT NULL column that
 * nothing fills (no default or hint) added to an existing table (nullable at expand, proven NOT NULL at contract). Returns
 * undefined when nothing needs phases (then the one-migration plan is right).
 *
 * - expand: the expanded schema (plan/expanded-schema.ts) is reached with the planner's own safe steps, then
 *   a trigger keeps old and new columns in step on every write, and a view keeps a renamed table's old name;
 *   the old release and the new one both work from here on.
 * - backfill: one UPDATE per table, which the runner runs in primary-key batches (migrate/backfill/).
 * - contract: the triggers and views go, a retyped column is swapped in, and the planner's safe steps reach
 *   `to` (NOT NULL through a validated check, indexes built concurrently, old columns and tables dropped).
 *
 * Nothing is dropped before the contract, and the contract comes last, so no phase drops what a later
 * phase reads. Pure.
 */
export function planPhases(
  current: Schema,
  to: Schema,
  renames: readonly Rename[],
  given: PhaseDialect,
): Plan | undefined {
  // Every phase's plan is told the user's functions at both ends: whether a new column's default calling one rewrites
  // the table (dialect/postgres/default-volatility.ts). Only PostgreSQL has phases, and its planner reads no more.
  const dialect: PhaseDialect = {
    ...given,
    plan: (changes, policy) => given.plan(changes, policy, { from: current, to }),
  }
  const hierarchy = dialect.tableHierarchy ?? noTableHierarchy
  const hooks: ExpansionHooks = {
    rewrites: (table, before, after) => rewrites(dialect, table, before, after),
    cast: (column, from, type) => dialect.phaseSql.cast(column, from, type),
    tempName: (column) => dialect.phaseSql.tempColumn(column),
    references: dialect.phaseSql.references,
    quoteIdent: (name) => dialect.quoteIdent(name),
    stillFilling: stillFilling(current, dialect.phaseSql),
    joinsParent: (before, after) => {
      const was = hierarchy.facts(before).partitionOf?.parent
      const is = hierarchy.facts(after).partitionOf?.parent
      return is !== undefined && (was === undefined || nameKey(was) !== nameKey(is)) ? is : undefined
    },
    asInherited: (before, after) => {
      // `current`: the leftover sync objects withoutLeftoverSync removes are no table structure.
      const structure = diffTableStructure(before, after, { from: current, to }, new Set(), {
        spelling: { quoteIdent: (name) => dialect.quoteIdent(name), defaultNamespace: dialect.defaultNamespace },
        hierarchy: dialect.tableHierarchy ?? noTableHierarchy,
      })
      return { before: structure.from, after: structure.to }
    },
  }
  // Expanded once, from `current` as it is: a stopped push's leftover sync objects are a function and triggers, which
  // shape no table, and are then taken out of both sides (withoutLeftoverSync).
  const expanded = expandSchema(current, to, renames, hooks)
  // A column a partition key reads cannot change type at all (the differ refuses it too): said before anything else.
  refusePartitionKeyRetypes(
    current,
    expanded.tables.flatMap((t) => t.retyped.map((r) => ({ table: t.before.name, column: r.column }))),
    hierarchy,
  )
  const inheritors = (t: TableExpansion) => inheritingTables(expanded.schema, t.after.name, hierarchy)
  const targets = expanded.tables
    .filter((t) => t.syncs.length > 0)
    .map((t) => ({ table: t.after.name, syncs: t.syncs, on: [t.after.name, ...inheritors(t)] }))
  const unleft = withoutLeftoverSync(current, to, expanded, targets, dialect.phaseSql)
  const from = unleft.from
  const expansion: Expansion = { ...expanded, schema: unleft.expanded }
  // An enum recreated in place because a column of it has no online form still goes through the phases: its new
  // values at expand, its recreation at contract, which says why it blocks (enumInPlace).
  const inPlace = [...expansion.enumsInPlace.values()].some((reason) => reason !== undefined)
  const tableRenames = expansion.renamedTables.map((r): Rename => ({ kind: 'table', from: r.from, to: r.to }))
  const planExpand = () =>
    joiningRetypes(dialect.plan(diff(from, expansion.schema, tableRenames, dialect).changes, safePolicy), expansion)
  // A table joining a parent with a rewriting type change goes through here too, to say why it has no online form.
  const joiningExpand = expansion.joining.length === 0 ? undefined : planExpand()
  if (
    expansion.tables.length === 0 &&
    expansion.droppedTables.length === 0 &&
    expansion.renamedTables.length === 0 &&
    !inPlace &&
    !(joiningExpand?.steps.some((s) => s.noOnlineForm !== undefined) ?? false)
  )
    return undefined
  refuseKeyless(expansion)
  const expandPlan = joiningExpand ?? planExpand()
  const foreignKeys = movedForeignKeys(from, expansion)
  refuseReferencedPartitionedKeys(foreignKeys, expansion.schema, hierarchy)
  const keyMoves = expansion.tables.flatMap((t) => {
    const spec = keyedRetype(t, foreignKeys.get(t) ?? [], partitionsOf(expansion.schema, t.after, hierarchy))
    return spec === undefined ? [] : [[t, dialect.phaseSql.moveKeys(spec)] as const]
  })
  const prepared = keyMoves.flatMap(([, move]) => move.prepare)
  const isForeignKey = (s: KeyMoveStatement) => s.kind === 'foreignKey' || s.kind === 'validateForeignKey'
  // The views that read a swapped column go just before the swap (DROP COLUMN refuses while they do), and the
  // contract creates them again over the new column, as the desired schema has them.
  // So do those that read a generated column dropped before the swap (TableExpansion.droppedReaders).
  const blocking = expansion.tables.flatMap((t) => {
    const gone = new Set([...t.retyped.map((r) => r.column), ...t.droppedReaders])
    return gone.size === 0 ? [] : viewsReading(expansion.schema, t.after.name, gone)
  })
  const viewDrops =
    blocking.length === 0
      ? []
      : dialect.plan(
          unique(blocking).map((view): Change => ({ kind: 'dropView', view })),
          safePolicy,
        ).steps
  // Generated columns the desired schema drops, which read a swapped column: they go before the swap, which they
  // would refuse.
  const readerDrops = expansion.tables.flatMap((t) =>
    t.droppedReaders.map(
      (name): Change => ({
        kind: 'dropColumn',
        table: t.after.name,
        column: t.before.columns.find((c) => c.name === name) as Column,
      }),
    ),
  )
  const readerDropSteps = readerDrops.length === 0 ? [] : dialect.plan(readerDrops, safePolicy).steps
  // Swapped enums: once the columns are swapped, the old type goes and its twin takes its name; the routines that take
  // the old type go first (DROP TYPE refuses while they exist), and the contract creates them again.
  const enumRoutines = routinesTaking(expansion.schema, expansion.enumSwaps)
  const routineDrops =
    enumRoutines.length === 0
      ? []
      : dialect.plan(
          enumRoutines.map((routine): Change => ({ kind: 'dropRoutine', routine })),
          safePolicy,
        ).steps
  const enumSteps = expansion.enumSwaps.flatMap((swap) => enumSwapSteps(dialect.phaseSql, from, swap))
  // The tables and columns the contract drops that use a swapped enum go before its swap (DROP TYPE would refuse).
  const beforeEnums = withoutViews(swapped(expansion, hierarchy), blocking)
  // So do the views, checks, defaults and indexes that name the old type (a cast): the contract makes them again.
  const readers = withoutTypeReaders(
    withoutEnumUsers(beforeEnums, to, expansion.enumSwaps, hooks),
    expansion.enumSwaps,
    hooks,
    callsOf(enumRoutines, hooks),
  )
  const cleared = readers.schema
  const enumUserDrops =
    cleared === beforeEnums ? [] : dialect.plan(diff(beforeEnums, cleared, [], dialect).changes, safePolicy).steps
  // A drop that runs apart (an index, concurrently) goes before the swap's transaction, not inside it.
  const apartDrops = enumUserDrops.filter((s) => !s.transactional)
  const settled = enumsSwapped(cleared, expansion.enumSwaps, enumRoutines, hooks)
  const contractPlan = dialect.plan(diff(settled, withoutHints(to), [], dialect).changes, safePolicy)
  const steps: Step[] = [
    ...expandPlan.steps.map((s) => inPhase(s, 'expand')),
    ...expansion.tables.flatMap((t) => syncSteps(dialect.phaseSql, t.after.name, t.syncs, inheritors(t), 'marked')),
    // Keyed retypes: the NOT VALID checks that will prove the new key columns NOT NULL, under the expand's lock.
    ...keyMoves.flatMap(([, move]) => move.expand.map((s) => inPhase(keyMoveStep(s), 'expand'))),
    ...expansion.renamedTables.map((r) => viewStep(dialect.phaseSql, r.from, r.to)),
    ...expansion.tables.flatMap((t) => backfillSteps(dialect.phaseSql, t.after.name, t.syncs)),
    // Keyed retypes: indexes, NOT NULL and foreign keys built on the new columns while the trigger still runs;
    // every table's indexes before any foreign key, which may reference another table's new key.
    ...prepared.filter((s) => !isForeignKey(s)).map(keyMoveStep),
    ...prepared.filter(isForeignKey).map(keyMoveStep),
    ...apartDrops.map((s) => inPhase(s, 'contract')),
    ...expansion.renamedTables.map((r) => reversed(viewStep(dialect.phaseSql, r.from, r.to), 'contract')),
    // The trigger before its function, which it depends on.
    ...expansion.tables.flatMap((t) =>
      syncSteps(dialect.phaseSql, t.after.name, t.syncs, inheritors(t))
        .reverse()
        .map((s) => reversed(s, 'contract')),
    ),
    ...viewDrops.map((s) => inPhase(s, 'contract')),
    ...readerDropSteps.map((s) => carriedDrop(inPhase(s, 'contract'), expansion, dialect.phaseSql)),
    ...swapSteps(dialect.phaseSql, expansion.tables, keyMoves),
    ...enumUserDrops.filter((s) => s.transactional).map((s) => inPhase(s, 'contract')),
    ...routineDrops.map((s) => inPhase(s, 'contract')),
    ...enumSteps,
    // The views and routines dropped for the swap, and the constraints DROP COLUMN took, come back in its transaction.
    ...intoSwapTransaction(
      contractPlan.steps.map((s) =>
        enumInPlace(heldRetype(carriedDrop(inPhase(s, 'contract'), expansion, dialect.phaseSql), expansion), expansion),
      ),
      {
        views: new Set([...blocking.map((v) => nameKey(v.name)), ...readers.views]),
        defaults: readers.defaults,
        routines: new Set(enumRoutines.map((r) => nameKey(r.name))),
      },
    ),
  ]
  return { dialect: expandPlan.dialect, steps }
}

/** Whether the planner rewrites the table to change this column's type. */
function rewrites(dialect: PhaseDialect, table: Table, from: Column, to: Column): boolean {
  const change: Change = {
    kind: 'alterColumn',
    table: table.name,
    from,
    to: { ...from, type: to.type },
    aspects: ['type'],
  }
  return dialect.plan([change], safePolicy).steps.some((s) => s.rewritesTable)
}

/** Each view once, in the first place it comes. */
function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)]
}

function withoutViews(schema: Schema, views: readonly Schema['views'][number][]): Schema {
  if (views.length === 0) return schema
  const gone = new Set(views.map((v) => nameKey(v.name)))
  return { ...schema, views: schema.views.filter((v) => !gone.has(nameKey(v.name))) }
}

/** `schema` without its rename and backfill hints: what a database holding it reads back as. */
export function withoutHints(schema: Schema): Schema {
  return {
    ...schema,
    tables: schema.tables.map(({ renamedFrom: _r, ...table }) => ({
      ...table,
      columns: table.columns.map(({ renamedFrom: _c, backfill: _b, ...column }) => column),
    })),
  }
}
