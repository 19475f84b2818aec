import type { Plan, Step } from '../../plan/step.js'

/**
 * A plan for a dialect without expand/contract SQL of its own (MySQL, SQLite: no `phaseSql`), with its plain drops
 * of tables and columns moved to the end and labelled `contract`, as PostgreSQL's planner labels every drop: `keel
 * generate` then writes them as a migration of their own under `-- keel:phase contract`, the acknowledgement that
 * ban-drop-table and ban-drop-column accept, so that what generate writes lints clean and the drop can ship after
 * the release that stopped using the table or column. Undefined when there is no such drop.
 *
 * Only a step that is one plain `DROP TABLE` or `ALTER TABLE ... DROP COLUMN` of a dropTable/dropColumn change
 * moves: nothing later in a plan depends on a table or column the desired schema no longer has, while a
 * rebuild that drops a column (SQLite) stays whole where its planner put it.
 */
export function contractDrops(plan: Plan): Plan | undefined {
  const isDrop = (s: Step) =>
    (s.source.kind === 'dropTable' || s.source.kind === 'dropColumn') &&
    s.dataLoss !== 'none' &&
    /^\s*(DROP\s+TABLE\b|ALTER\s+TABLE\s+\S+\s+DROP\s+(COLUMN\s+)?\S+(\s*,\s*ALGORITHM\s*=\s*\w+)?(\s*,\s*LOCK\s*=\s*\w+)?\s*;?\s*$)/i.test(
      s.sql,
    ) &&
    !s.sql.trim().replace(/;$/, '').includes(';')
  const drops = plan.steps.filter(isDrop)
  if (drops.length === 0) return undefined
  const rest = plan.steps.filter((s) => !isDrop(s))
  return {
    ...plan,
    steps: [
      ...rest.map((s) => ({ ...s, phase: 'expand' as const })),
      ...drops.map((s) => ({ ...s, phase: 'contract' as const })),
    ],
  }
}
