import type { Rule, Schema } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import type { Change } from './change.js'
import { compareKeys } from './diff-named.js'
import type { Taint } from './diff-views.js'

/**
 * Diffs rewrite rules, matched by table and name. PostgreSQL cannot alter a rule but CREATE RULE recreates it, so
 * any difference (definition or comment) is a drop and a create. A rule on or over a relation in `tainted`
 * (dropped, recreated, or with columns dropped or retyped), or on or over a view that `viewChanges` drops, is
 * dropped and created again even when unchanged: dropping a relation drops its rules, and PostgreSQL refuses to
 * drop or retype what a rule uses.
 *
 * `from`'s rules keep the table names `from` had (renames are not applied to them): the planner drops rules before
 * any rename runs, and creates them after everything else.
 */
export function diffRules(from: Schema, to: Schema, tainted: Taint, viewChanges: readonly Change[]): Change[] {
  const droppedViews = new Set(viewChanges.flatMap((c) => (c.kind === 'dropView' ? [nameKey(c.view.name)] : [])))
  const key = (rule: Rule) => `${nameKey(rule.table)}\u0001${rule.name}`
  const before = new Map((from.rules ?? []).map((rule) => [key(rule), rule] as const))
  const after = new Map((to.rules ?? []).map((rule) => [key(rule), rule] as const))
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort(compareKeys)
  const usesTainted = (rule: Rule) =>
    [rule.table, ...rule.dependsOn].some((name) => tainted.has(nameKey(name)) || droppedViews.has(nameKey(name)))
  const drops: Change[] = []
  const creates: Change[] = []
  for (const k of keys) {
    const old = before.get(k)
    const next = after.get(k)
    const same = old !== undefined && next !== undefined && sameRule(old, next) && !usesTainted(old)
    if (same) continue
    if (old !== undefined) drops.push({ kind: 'dropRule', rule: old })
    if (next !== undefined) creates.push({ kind: 'createRule', rule: next })
  }
  return [...drops, ...creates]
}

/** `dependsOn` is derived from the definition and only orders the plan. */
function sameRule(a: Rule, b: Rule): boolean {
  return a.definition === b.definition && a.comment === b.comment
}
