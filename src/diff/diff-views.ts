import { deepEqual } from '../schema/equal.js'
import type { QualifiedName, Schema, View } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import type { Change } from './change.js'
import { diffIndexes } from './diff-indexes.js'
import { matchByName } from './diff-named.js'
import { readColumns } from './rename-identifier.js'

/**
 * What forces the views over a relation to be recreated, by `nameKey` of the relation (after renames): the whole
 * relation (dropped, or a view being recreated), or some of its columns, by the names `from`'s views use for them.
 */
export type Taint = ReadonlyMap<string, ReadonlySet<string> | 'all'>

/** Merges taints: a relation tainted whole stays whole; column sets are united. */
export function mergeTaints(...taints: readonly Taint[]): Map<string, ReadonlySet<string> | 'all'> {
  const merged = new Map<string, ReadonlySet<string> | 'all'>()
  for (const taint of taints) {
    for (const [relation, columns] of taint) {
      const known = merged.get(relation)
      if (known === 'all' || columns === 'all') merged.set(relation, 'all')
      else merged.set(relation, new Set([...(known ?? []), ...columns]))
    }
  }
  return merged
}

/** The view changes, and the renamed views that are recreated instead (their `renameTable` must be left out). */
export interface ViewsDiff {
  readonly changes: readonly Change[]
  /** `nameKey`s of the new names of renamed views that are dropped under their old name and created anew. */
  readonly cancelledRenames: ReadonlySet<string>
}

/**
 * Whether PostgreSQL can keep the view as it is: same definition, same kind. `dependsOn` is derived from the
 * definition and only orders the plan, and `renamedFrom` is a hint, so neither is compared.
 */
function sameDefinition(from: View, to: View): boolean {
  return (
    from.definition === to.definition &&
    deepEqual(from.columns, to.columns) &&
    from.materialized === to.materialized &&
    from.securityInvoker === to.securityInvoker
  )
}

/** Whether the view (as `from` has it, with the names it reads) reads something tainted. */
function readsTainted(view: View, reads: ReadonlySet<string> | 'all', tainted: Taint): boolean {
  return view.dependsOn.some((name) => {
    const columns = tainted.get(nameKey(name))
    if (columns === undefined) return false
    return columns === 'all' || reads === 'all' || [...columns].some((column) => reads.has(column))
  })
}

/**
 * The views present on both sides that must be dropped and created again: those whose definition or kind changes,
 * and, transitively, those that read a tainted column (dropped, renamed or retyped), a dropped relation or a
 * recreated view, since PostgreSQL refuses to drop or retype a column a view uses, or to drop a view another view
 * uses. Dependencies and definitions are read from `from`, which is what the database holds. A view over a tainted
 * table that names none of the tainted columns is kept (recreating a materialized view recomputes it).
 */
function viewsToRecreate(pairs: readonly (readonly [View, View])[], tainted: Taint): ReadonlySet<string> {
  const changed = pairs.filter(([before, after]) => !sameDefinition(before, after)).map(([, after]) => after)
  const blocked = mergeTaints(tainted, new Map(changed.map((view) => [nameKey(view.name), 'all'] as const)))
  const reading = viewsReading(
    pairs.map(([before]) => before),
    blocked,
  )
  return new Set([...changed, ...reading].map((view) => nameKey(view.name)))
}

/**
 * The views that read something tainted, directly or through other views of the list that do: PostgreSQL refuses to
 * drop or retype a column a view reads, or to drop a view another view reads. In the order of `views`.
 */
export function viewsReading(views: readonly View[], tainted: Taint): readonly View[] {
  const blocked = new Map(tainted)
  const found = new Set<View>()
  const reads = new Map(views.map((view) => [view, readColumns(view.definition)] as const))
  let grew = true
  while (grew) {
    grew = false
    for (const view of views) {
      if (found.has(view) || !readsTainted(view, reads.get(view) ?? 'all', blocked)) continue
      found.add(view)
      blocked.set(nameKey(view.name), 'all')
      grew = true
    }
  }
  return views.filter((view) => found.has(view))
}

/**
 * Diffs views and materialized views (`from` already renamed). A view that must be recreated is a `dropView` and a
 * `createView` (which carries a materialized view's indexes); a renamed view that must be recreated is dropped under
 * its old name and its rename is cancelled. Otherwise only indexes of materialized views (with the view's name as
 * `table`) and comments change.
 */
export function diffViews(
  from: Schema,
  to: Schema,
  tainted: Taint,
  renamedViews: ReadonlyMap<string, View>,
): ViewsDiff {
  const matched = matchByName(from.views, to.views, (v) => nameKey(v.name))
  const dropped: Taint = new Map(matched.dropped.map((v) => [nameKey(v.name), 'all'] as const))
  const recreate = viewsToRecreate(matched.both, mergeTaints(tainted, dropped))
  // A renamed view that is recreated keeps its old name until it is dropped: so do the references to it.
  const cancelled = new Map([...renamedViews].filter(([key]) => recreate.has(key)))
  const oldName = (name: QualifiedName): QualifiedName => cancelled.get(nameKey(name))?.name ?? name
  const drop = (view: View): Change => ({ kind: 'dropView', view: { ...view, dependsOn: view.dependsOn.map(oldName) } })
  const changes: Change[] = [
    ...matched.dropped.map(drop),
    ...matched.added.map((view): Change => ({ kind: 'createView', view })),
  ]
  for (const [before, after] of matched.both) {
    const key = nameKey(after.name)
    if (recreate.has(key)) {
      changes.push(drop({ ...before, name: oldName(before.name) }), { kind: 'createView', view: after })
      continue
    }
    const indexes = diffIndexes(after.name, before.indexes, after.indexes)
    changes.push(...indexes.drops, ...indexes.adds, ...indexes.comments)
    if (before.comment !== after.comment) {
      const target = { kind: after.materialized ? 'materializedView' : 'view', name: after.name } as const
      changes.push({ kind: 'setComment', target, from: before.comment, to: after.comment })
    }
  }
  return { changes, cancelledRenames: new Set(cancelled.keys()) }
}
