/**
 * The steps the phase pass adds around the planner's: the sync function and triggers that keep old and new columns in
 * step, the backfill, the view that keeps a renamed table's old name, and a step moved into its phase or undone.
 */
import type { Change } from '../diff/change.js'
import type { Column, QualifiedName } from '../schema/model.js'
import { displayName } from '../schema/name.js'
import type { ColumnSync, PhaseSql } from './phase-sql.js'
import type { Phase, Step } from './step.js'

export function inPhase(step: Step, phase: Phase): Step {
  return { ...step, phase }
}

/** A step that undoes `step`, in `phase` (a trigger dropped at contract is the expand's trigger undone). */
export function reversed(step: Step, phase: Phase): Step {
  const sql = 'sql' in step.reverse ? step.reverse.sql : ''
  return {
    ...step,
    sql,
    reverse: { sql: step.sql },
    phase,
    comment: `Remove what the expand phase added: ${step.comment}`,
  }
}

/**
 * The sync function and its triggers; `marked`: with the function's mark (PhaseSql.syncMark) right after it, in the
 * expand (the contract's drop of the function takes the mark along, so its undo has no step of its own).
 */
export function syncSteps(
  sql: PhaseSql,
  table: QualifiedName,
  syncs: readonly ColumnSync[],
  children: readonly QualifiedName[],
  marked?: 'marked',
): Step[] {
  if (syncs.length === 0) return []
  const source = sourceOf(table, syncs)
  const what = syncs.map((s) => (s.kind === 'mirror' ? `${s.column} <-> ${s.from}` : s.column)).join(', ')
  const on = [table, ...children]
  const steps = sql.syncTrigger(table, syncs, children).map(
    (statement, i): Step => ({
      sql: statement.sql,
      reverse: { sql: statement.reverse },
      transactional: true,
      lock:
        i === 0
          ? { mode: 'none', blocks: 'nothing', on: [] }
          : { mode: 'SHARE ROW EXCLUSIVE', blocks: 'writes', on: [on[i - 1] ?? table] },
      rewritesTable: false,
      scansTable: false,
      dataLoss: 'none',
      phase: 'expand',
      source,
      comment:
        i === 0
          ? `Sync function for ${displayName(table)}: keeps ${what} in step while old and new releases write`
          : `Sync trigger on ${displayName(on[i - 1] ?? table)}`,
    }),
  )
  const [fn, ...triggers] = steps
  if (marked === undefined || fn === undefined) return steps
  const mark = sql.syncMark(table, syncs)
  const markStep: Step = {
    ...fn,
    sql: mark.sql,
    reverse: { sql: mark.reverse },
    comment: `Mark ${displayName(table)}'s sync function as Keel's, with what it fills (tells it from a function of yours, and a changed backfill hint, if this push stops before its contract)`,
  }
  return [fn, markStep, ...triggers]
}

export function backfillSteps(sql: PhaseSql, table: QualifiedName, syncs: readonly ColumnSync[]): Step[] {
  if (syncs.length === 0) return []
  return [
    {
      sql: sql.backfill(table, syncs),
      // The expand's undo drops the new columns, and with them what the backfill wrote.
      reverse: { sql: '' },
      transactional: true,
      lock: { mode: 'ROW EXCLUSIVE', blocks: 'nothing', on: [table] },
      rewritesTable: false,
      scansTable: true,
      dataLoss: 'none',
      phase: 'backfill',
      source: sourceOf(table, syncs),
      comment: `Backfill ${syncs.map((s) => `${displayName(table)}.${s.column}`).join(', ')} in primary-key batches`,
    },
  ]
}

export function viewStep(sql: PhaseSql, from: QualifiedName, to: QualifiedName): Step {
  const view = sql.oldNameView(from, to)
  return {
    sql: view.sql,
    reverse: { sql: view.reverse },
    transactional: true,
    lock: { mode: 'none', blocks: 'nothing', on: [] },
    rewritesTable: false,
    scansTable: false,
    dataLoss: 'none',
    phase: 'expand',
    source: { kind: 'renameTable', from, to },
    comment: `Keep the old name ${displayName(from)} working as a view of ${displayName(to)} until contract`,
  }
}

function sourceOf(table: QualifiedName, syncs: readonly ColumnSync[]): Change {
  const [first] = syncs
  const column: Column = { name: first?.column ?? '', type: { kind: 'native', sql: 'unknown' }, nullable: true }
  return { kind: 'addColumn', table, column }
}
