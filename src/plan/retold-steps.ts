/**
 * The planner's steps retold with what only the phase pass knows: a type change with no online form (its table joins
 * a parent, or a kept generated column reads it), and the drop of a renamed-away column, whose values live on.
 */
import { displayName, nameKey } from '../schema/name.js'
import type { Expansion } from './expansion.js'
import { mentionsAny } from './mentions.js'
import type { PhaseSql } from './phase-sql.js'
import type { Plan, Step } from './step.js'

/**
 * The expand's rewriting type changes of a table that joins a parent (Expansion.joining): no online form. A partition
 * takes its parent's column types, so the type changes with the move, and no column can be built beside the old one
 * (the attach wants the parent's columns exactly): the step says so (Step.noOnlineForm), and generate refuses it unless
 * accepted.
 */
export function joiningRetypes(plan: Plan, expansion: Expansion): Plan {
  if (expansion.joining.length === 0) return plan
  const steps = plan.steps.map((step) => {
    const source = step.source
    if (source.kind !== 'alterColumn' || !source.aspects.includes('type') || !step.rewritesTable) return step
    const joins = expansion.joining.find((j) => nameKey(j.table) === nameKey(source.table))
    if (joins === undefined) return step
    const table = displayName(source.table)
    return {
      ...step,
      noOnlineForm: `${table} becomes a partition of ${displayName(joins.parent)}, whose ${source.from.name} has another type: a partition has its parent's column types, so the type changes with the move and rewrites ${table} under ACCESS EXCLUSIVE (a column built beside it would not match the parent's columns, which the attach requires)`,
    }
  })
  return { ...plan, steps }
}

/**
 * The contract's type change of a held column that a kept stored generated column reads (heldColumns): it has no
 * online form. PostgreSQL refuses to retype the column, or to drop it for a swap, while the generated column exists,
 * and adding that column again computes it for every row under ACCESS EXCLUSIVE; the step says so
 * (Step.noOnlineForm), as that ADD COLUMN does.
 */
export function heldRetype(step: Step, expansion: Expansion): Step {
  const source = step.source
  if (source.kind !== 'alterColumn' || !source.aspects.includes('type') || !step.rewritesTable) return step
  const facts = expansion.tables.find((t) => nameKey(t.after.name) === nameKey(source.table))
  if (facts === undefined || !facts.held.includes(source.from.name)) return step
  const noSwap = facts.noSwap.get(source.from.name)
  if (noSwap !== undefined) return { ...step, noOnlineForm: noSwap }
  const readers = facts.before.columns
    .filter((c) => c.generated !== undefined && c.name !== source.from.name)
    .filter((c) => mentionsAny([c.generated?.expr ?? ''], new Set([source.from.name])))
    .map((c) => c.name)
  if (readers.length === 0) return step
  const column = `${displayName(source.table)}.${source.from.name}`
  return {
    ...step,
    noOnlineForm: `stored generated column ${readers.join(', ')} reads ${column}: PostgreSQL refuses to change its type, or to swap in a new column, while ${readers.length === 1 ? 'it exists' : 'they exist'}, and computing ${readers.length === 1 ? 'it' : 'them'} again rewrites the table under ACCESS EXCLUSIVE`,
  }
}

/**
 * The contract's drop of a renamed-away column loses nothing: its values live on in the new column. Its
 * undo adds it back and copies them (in one UPDATE: a rollback, not an online change). A generated one's values are
 * computed again by its undo's ADD COLUMN (an UPDATE of it is refused: column can only be updated to DEFAULT), and by
 * a new generated column it was renamed to, which carries nothing (expand-table.ts).
 */
export function carriedDrop(step: Step, expansion: Expansion, sql: PhaseSql): Step {
  if (step.source.kind !== 'dropColumn') return step
  const { table, column } = step.source
  const facts = expansion.tables.find((t) => nameKey(t.after.name) === nameKey(table))
  const to =
    facts?.carried.get(column.name) ??
    (column.generated === undefined ? undefined : facts?.after.columns.find((c) => c.renamedFrom === column.name)?.name)
  if (to === undefined) return step
  const copy =
    column.generated === undefined
      ? `;\n${sql.backfill(table, [{ kind: 'mirror', column: column.name, from: to }])}`
      : ''
  return {
    ...step,
    dataLoss: 'none',
    comment: `${step.comment.replace(/ and its data$/, '')} (its values live on in ${to})`,
    reverse: 'sql' in step.reverse ? { sql: `${step.reverse.sql}${copy}` } : step.reverse,
  }
}
