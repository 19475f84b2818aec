import type { Change } from '../diff/change.js'
import { KeelError } from '../errors.js'
import { onlyAdds } from '../plan/enum-swap.js'
import type { Phase, Step } from '../plan/step.js'
import { dependsOn, mustKeepOrder } from './step-ties.js'
import { type NameRefs, type ObjectRef, objectsOf, refsOfReads, refsOfSql } from './step-ties-names.js'

/**
 * A step of an enum recreated in place: its change removes or reorders values (ADD VALUE cannot reach them). The
 * type is renamed away, created again and its columns converted; what reads the columns is dropped before and made
 * again after, in one transaction (the planner sets the online forms aside for it: PlanContext.convertedTables).
 */
export function recreatesEnum(step: Step): boolean {
  const source = step.source
  return source.kind === 'alterEnum' && !onlyAdds(source.from.values, source.to.values)
}

/**
 * Keeps each run of steps that must not stop half-way (an enum recreated in place, with the drops and creates of
 * what reads its columns around it) free of steps that break a migration's transaction (`breaks`: a step the dialect
 * runs outside a transaction block, or one the runner commits alone), so that splitting by transaction
 * (render-migration.ts) leaves the run in one migration and one transaction. The planner orders a phase's steps by
 * kind (the drops, then the creates), so a concurrent build or drop on another table can fall between the drop of an
 * index that reads a converted column and its conversion: split there, a failed conversion left the index dropped.
 *
 * Such a step moves to just before the run, with the steps between the run's start and it that it is tied to (see
 * {@link tiedTo}: a NOT VALID check before its VALIDATE), when none of them is part of the run; else to just after
 * the run, with the steps between it and the run's end tied to it (a unique index built apart and the foreign key
 * that references it, a drop apart and a create of the same name keep their order). A step that can go neither way
 * is refused (error[SPLIT_RUN]) rather than written as a run that can stop half-way.
 *
 * The run is the span of its members (see {@link runMembers}); what lies between them is kept in it, whatever it is.
 *
 * Each phase is taken on its own when the steps fall into phases in phase order (a phased plan's expand, backfill
 * and contract): a run never crosses a phase, as generate writes each phase as migrations of its own. Taken whole, as
 * keel push and keel diff passed a phased plan, a contract's recreation counted the expand's steps on its tables and
 * the backfill among its members, so the run spanned the expand's concurrent builds and validations: error[SPLIT_RUN]
 * for a plan that generate writes (25 of the round trip's 4,000 pairs, seeds 1-8; seed 1, pair 274: the contract
 * converts items.c, the expand adds columns to items and builds items_pkey concurrently).
 */
export function keepRunsWhole(steps: readonly Step[], breaks: (step: Step) => boolean): readonly Step[] {
  const phases = phaseSegments(steps)
  return phases.length < 2 ? keepRunWhole(steps, breaks) : phases.flatMap((phase) => keepRunWhole(phase, breaks))
}

const PHASE_ORDER: readonly Phase[] = ['expand', 'backfill', 'contract']

/**
 * `steps` cut where the phase changes, when they fall into phases in phase order (as render-migration.ts writes each
 * phase as migrations of its own); else whole: a one-migration plan marks its drops `contract` among `expand` steps,
 * and an index dropped for a conversion must stay in the conversion's run.
 */
function phaseSegments(steps: readonly Step[]): readonly (readonly Step[])[] {
  const rank = (step: Step | undefined) => PHASE_ORDER.indexOf(step?.phase ?? 'expand')
  if (!steps.every((step, i) => i === 0 || rank(step) >= rank(steps[i - 1]))) return [steps]
  const segments: Step[][] = []
  steps.forEach((step, i) => {
    if (i === 0 || step.phase !== steps[i - 1]?.phase) segments.push([step])
    else segments[segments.length - 1]?.push(step)
  })
  return segments
}

/** keepRunsWhole for the steps of one phase. */
function keepRunWhole(steps: readonly Step[], breaks: (step: Step) => boolean): readonly Step[] {
  // In place only: a recreation that converts (rewrites) a table's column. A swap's steps (plan/enum-swap.ts: the
  // expand's CREATE TYPE, the contract's catalog-only DROP TYPE and RENAME) hold nothing dropped across them, and the
  // run would reach every later step that names the type (a view, an index built concurrently after the swap).
  const members = runMembers(steps, breaks)
  if (members.size === 0) return steps
  const recreation = steps.filter((step) => recreatesEnum(step) && step.transactional)
  // Taken from the planner's order once: a step moved past the run does not join it by where it lands.
  const core = (step: Step) => members.has(step)
  let order = [...steps]
  // Each pass moves one breaking step (with what it is tied to) out of the run: at most one pass per step.
  for (let pass = 0; pass <= steps.length; pass++) {
    const first = order.findIndex(core)
    const last = order.findLastIndex(core)
    const at = order.findIndex((step, i) => i > first && i < last && breaks(step))
    if (first === -1 || at === -1) return order
    const step = order[at] as Step
    const earlier = tiedTo(order, at, first)
    const later = tiedTo(order, at, last)
    // Past the recreation's last step, a step of the converted table comes after the conversion by the planner's
    // order, and the members after it are objects made again: it goes after them when nothing between names what
    // it changes (see mustKeepOrder), where the table alone tied them both ways.
    const pastRecreation = at > order.findLastIndex((s) => core(s) && recreatesEnum(s))
    const laterApart = pastRecreation ? tiedTo(order, at, last, mustKeepOrder) : []
    const moves = !earlier.some(core)
      ? { group: earlier, to: first }
      : !later.some(core)
        ? { group: later, to: last + 1 }
        : pastRecreation && !laterApart.some(core)
          ? { group: laterApart, to: last + 1 }
          : undefined
    if (moves === undefined) {
      const needs = earlier.find(core) as Step
      const needed = later.find(core) as Step
      throw new KeelError(
        'SPLIT_RUN',
        `"${step.comment}" cannot run in a transaction, and it falls inside "${(recreation[0] as Step).comment}", which must run in one: it needs "${needs.comment}" before it, and "${needed.comment}" needs it`,
      )
    }
    const group = new Set(moves.group)
    const head = order.slice(0, moves.to).filter((s) => !group.has(s))
    const tail = order.slice(moves.to).filter((s) => !group.has(s))
    order = [...head, ...moves.group, ...tail]
  }
  return order
}

/**
 * The steps of a phase that must share the recreation's transaction (none when no enum is recreated in place), in the
 * planner's order: the recreation's own steps; before its last step, every transactional step that depends on one of
 * them (the drops of what reads the converted columns, and what the planner put among them); after it, only the steps
 * that make again an object one of those drops took away and read the recreation (an index, a view, a check, a
 * generated column whose SQL names the type, a converted column or such an object made again before it: one made
 * again over another column of the table only shares its table). A later step on the converted table, or one that
 * names the new type, needs the recreation to have run, not to share its transaction: the type and the columns are
 * whole once it commits. Counted in, such a step (a column's NOT NULL proven by a check validated apart, after the
 * conversion) stretched the run over the VALIDATE the runner commits alone, which could then go neither before the
 * run nor after it: error[SPLIT_RUN] for a plan that can run (the round trip, seed -1960771233, path "11").
 */
export function runMembers(steps: readonly Step[], breaks: (step: Step) => boolean): ReadonlySet<Step> {
  // In place only: a recreation that converts (rewrites) a table's column (see keepRunsWhole).
  const recreation = steps.filter((step) => recreatesEnum(step) && step.transactional)
  if (recreation.length < 2 || !recreation.some((step) => step.rewritesTable)) return new Set()
  const eligible = (step: Step) => step.transactional && !breaks(step)
  const start = steps.indexOf(recreation[0] as Step)
  const end = steps.lastIndexOf(recreation[recreation.length - 1] as Step)
  // What a dependent made again reads of the recreation: the type, a domain over it, a converted column, or a
  // dependent made again before it; each in its schema (see RunReads).
  const converted = recreation.flatMap((r) => convertedColumns(r.source))
  const read = new RunReads(
    recreation.flatMap((r) => readObjectsOf(r.source)),
    converted,
  )
  // A drop before the recreation of what reads a converted column of another table (a view joining it, whose SQL
  // names neither the type nor locks the table): the conversion needs it gone, and a failed conversion must find it
  // still there. Left out, a view over `posts.m` by another name was dropped in a transaction of its own, before a
  // concurrent step: a failed conversion left it dropped.
  const convertedReads = new RunReads([], converted)
  const readsConverted = (step: Step) => {
    if (objectKey(step.source, 'drop') === undefined) return false
    const refs = refsOfSql(step.sql)
    refs.addAll(refsOfReads(step.source))
    return convertedReads.readsColumn(refs)
  }
  const members = new Set<Step>()
  const dropped: ObjectKey[] = []
  steps.forEach((step, i) => {
    if (!eligible(step)) return
    if (recreatesEnum(step) || (i < end && (recreation.some((r) => dependsOn(step, r)) || readsConverted(step)))) {
      members.add(step)
      const key = objectKey(step.source, 'drop')
      if (i < start && key !== undefined) dropped.push(key)
    } else if (i > end) {
      const key = objectKey(step.source, 'make')
      if (key === undefined || !dropped.some((d) => sameObject(d, key)) || !read.readBy(refsOfSql(step.sql))) return
      members.add(step)
      // What reads it in turn (an index over a generated column made again) is as much the recreation's.
      read.addMadeAgain(step.source)
    }
  })
  return members
}

/** A column of a table, lower-cased: the table in its schema (or in any, when the model holds none). */
interface ColumnRef {
  readonly table: ObjectRef
  readonly column: string
}

/**
 * What reads a recreation, each name where it is (step-ties-names.ts): objects (the type, the domains over it, the
 * dependents made again) in their schemas, and columns (those it converts, the columns made again) of their tables.
 * Compared by bare name, `other.posts_ok` dropped and added again over `other.posts.m` read the recreation that
 * converts `public.posts.m` (or another schema's type of the same name): it joined the run, which then spanned the
 * concurrent steps between, and keel diff could refuse a plan that runs (error[SPLIT_RUN]). A name the model holds
 * without a schema, or one a statement leaves unqualified, may still be any of them: it reads (joins the run).
 */
class RunReads {
  private readonly objects: ObjectRef[]
  private readonly columns: ColumnRef[]

  constructor(objects: readonly ObjectRef[], columns: readonly ColumnRef[]) {
    this.objects = [...objects]
    this.columns = [...columns]
  }

  /**
   * Whether names `refs` read one of the columns: its name, and its table in its schema. A statement that reads a
   * column names its table (an index's ON, a view's FROM, an ALTER TABLE), as a dropped object's definition does.
   */
  readsColumn(refs: NameRefs): boolean {
    return this.columns.some((c) => refs.mentions(c.table) && refs.mentions({ schema: undefined, name: c.column }))
  }

  /** Whether names `refs` read one of the objects or the columns. */
  readBy(refs: NameRefs): boolean {
    return this.objects.some((o) => refs.mentions(o)) || this.readsColumn(refs)
  }

  /** Counts in what `change` makes again: its objects (not its table) and the columns it makes or changes. */
  addMadeAgain(change: Change): void {
    this.objects.push(...objectsOf(change, true))
    const table = (change as { table?: { schema?: string; name?: unknown } }).table
    if (typeof table?.name !== 'string') return
    const columns =
      change.kind === 'alterColumn'
        ? [change.from.name, change.to.name]
        : change.kind === 'addColumn' || change.kind === 'dropColumn'
          ? [change.column.name]
          : []
    const ref = { schema: table.schema?.toLowerCase(), name: table.name.toLowerCase() }
    this.columns.push(...columns.map((c) => ({ table: ref, column: c.toLowerCase() })))
  }
}

/** The columns an enum recreation converts (its own, and those of the domains over it), by table and column name. */
function convertedColumns(change: Change): readonly ColumnRef[] {
  if (change.kind !== 'alterEnum') return []
  const usages = [...change.usages, ...(change.domains ?? []).flatMap((d) => d.columns)]
  return usages.map((u) => ({
    table: { schema: u.table.schema?.toLowerCase(), name: u.table.name.toLowerCase() },
    column: u.column.name.toLowerCase(),
  }))
}

/** An enum recreation's type and the domains over it, in their schemas. */
function readObjectsOf(change: Change): ObjectRef[] {
  if (change.kind !== 'alterEnum') return []
  const domains = (change.domains ?? []).map((d) => d.domain.name)
  return [
    ...objectsOf(change),
    ...domains.map((n) => ({ schema: n.schema?.toLowerCase(), name: n.name.toLowerCase() })),
  ]
}

/** What a drop or a make change is about (see {@link objectKey}). */
interface ObjectKey {
  readonly kind: string
  readonly objects: readonly ObjectRef[]
  readonly column: string | undefined
}

/**
 * What a drop (`drop...`) or a make (`create...`, `add...`) change is about, alike for both (an index: `Index`, the
 * table and the index, each in its schema), so that a make can be matched with the drop it undoes; undefined for
 * other changes.
 */
function objectKey(change: Change, verb: 'drop' | 'make'): ObjectKey | undefined {
  const match = /^(drop|create|add)([A-Z]\w*)$/.exec(change.kind)
  if (match === null || (match[1] === 'drop') !== (verb === 'drop')) return undefined
  const column = (change as { column?: { name?: unknown } }).column?.name
  return {
    kind: match[2] ?? '',
    objects: objectsOf(change),
    column: typeof column === 'string' ? column.toLowerCase() : undefined,
  }
}

/**
 * Whether a drop and a make are about the same object: each name the same, in the same schema, or in one the model
 * does not give (which may be the other's: the make joins the run rather than escape it).
 */
function sameObject(a: ObjectKey, b: ObjectKey): boolean {
  const same = (x: ObjectRef, y: ObjectRef | undefined) =>
    y !== undefined && x.name === y.name && (x.schema === undefined || y.schema === undefined || x.schema === y.schema)
  return (
    a.kind === b.kind &&
    a.column === b.column &&
    a.objects.length === b.objects.length &&
    a.objects.every((o, i) => same(o, b.objects[i]))
  )
}

/**
 * The steps between `at` and `bound` (either side) tied to the step at `at`, in their order, itself included: those it
 * depends on, those they depend on, and so on (dependsOn is symmetric). Moved together past the others, they keep
 * their order among themselves, and nothing they leave behind depended on them.
 */
function tiedTo(
  order: readonly Step[],
  at: number,
  bound: number,
  tie: (step: Step, other: Step) => boolean = dependsOn,
): Step[] {
  const [from, to] = bound < at ? [bound, at] : [at, bound]
  const window = order.slice(from, to + 1)
  const tied = new Set<Step>([order[at] as Step])
  for (let grown = true; grown; ) {
    grown = false
    for (const step of window)
      if (!tied.has(step) && [...tied].some((t) => tie(step, t))) {
        tied.add(step)
        grown = true
      }
  }
  return window.filter((step) => tied.has(step))
}
