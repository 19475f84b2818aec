/**
 * Step order as data. A planner gives every unit of work a category; units run in the order of
 * their categories below, and within a category in the order of their `rank` (a topological
 * position for tables and views), then in input order. Each line states why it sits where it does.
 */
export const stepCategories = [
  // Triggers first, named as the database has them before any rename; they go before the tables,
  // views, columns and functions they use. (Routines bound to dropped relations are dropped within
  // `dropView`, after the views that may call them and before the relations whose row types they use.)
  'dropTrigger',
  // Rules likewise, named by the tables they had before any rename: a rule blocks dropping or
  // retyping what it uses, and dropping its table drops it anyway.
  'dropRule',
  // Then renames: every other change names tables and columns by their names after the renames.
  'rename',
  // Privileges can be revoked whenever the object exists; doing it first keeps revokes before the grants of a
  // privilege that changes its grant option.
  'revoke',
  // Policies before the columns, views and functions their expressions use are dropped or retyped.
  'dropPolicy',
  // Views go before anything they read, dependents before what they depend on, since a relation
  // cannot be dropped or have a column retyped while a view reads it.
  'dropView',
  // Foreign keys go before the keys, indexes, columns and tables they reference or live on.
  'dropForeignKey',
  // Indexes and constraints go before the columns they cover; dropping them first also frees their
  // names for indexes and constraints created later in the plan.
  'dropIndex',
  'dropConstraint',
  // Partitions are detached (and children un-inherited) before their parent's columns change or the
  // parent is dropped: they keep the parent's columns as they were, as their own.
  'detachPartition',
  // A sequence that is dropped or changes owner is detached first: dropping its owning column or
  // table would otherwise drop it too, and the later DROP SEQUENCE would fail.
  'detachSequence',
  // Generated columns before the columns they read: PostgreSQL refuses to drop a column a generated column reads
  // (a generated column cannot read another, so one category before the rest suffices).
  'dropGeneratedColumn',
  'dropColumn',
  // Tables are dropped before any index is created, since a new index may reuse the name of an
  // index that goes away with its table (prisma's ordering).
  'dropTable',
  // Index and constraint renames after the drops that free their new names, before the creates that may
  // reuse their old ones.
  'renameObject',
  // Namespaces hold everything below, so they come first among the creates.
  'createNamespace',
  // Extensions provide types, functions and operator classes used by columns and indexes.
  'createExtension',
  // Collations before the columns, domains and indexes that use them.
  'createCollation',
  // Types before the columns that use them; changed enums before columns start using new values.
  'createEnum',
  // Routines whose signature or body uses an enum that is recreated: after the views, triggers and checks that
  // call them, and before the old type is renamed away and dropped, which it cannot be while they use it.
  'dropRoutineOfRecreatedType',
  'alterEnum',
  // Domains are types too, and may be over enums; a domain's base type comes before it.
  'createDomain',
  // Sequences before the column defaults that call nextval() on them.
  'createSequence',
  'alterSequence',
  // Functions before the column defaults, checks and views that call them (bodies are not checked at
  // creation, as in pg_dump). Routines whose signature uses a relation created in this plan wait for
  // it: they are ordered among the views, within `createView`.
  'createRoutine',
  // Tables before their columns, constraints and indexes; their foreign keys to tables created
  // later in the plan are deferred to `addForeignKey`, which breaks cycles.
  'createTable',
  // A new plain table's indexes right after it (CREATE INDEX on an empty table needs no CONCURRENTLY), so that they
  // stay in the table's migration: generate gives each concurrent step of a plan a migration of its own, and in a
  // later file the table would no longer look new. Partitioned tables and partitions keep theirs in `createIndex`
  // (a parent's indexes must exist before its partitions are attached and their copies renamed).
  'createTableIndex',
  'alterTable',
  // Row-level security switches on a table that exists; they need nothing else.
  'rowSecurity',
  'addColumn',
  'alterColumn',
  // Generated columns after the columns they read exist with their final types: PostgreSQL refuses to change the
  // type of a column that a generated column reads.
  'addGeneratedColumn',
  // Keys and checks after the columns they cover exist with their final types and nullability.
  'addConstraint',
  // A table is attached as a partition (or inherits) once it and its parent have their final
  // columns and checks, which ATTACH PARTITION and INHERIT require to match.
  'attachPartition',
  'createIndex',
  // A partition's copies of its parent's indexes exist once the partition is attached and the parent's indexes are
  // built: only then can they be renamed to the names the schema gives them.
  'renameAttachedIndex',
  // A created partition's own indexes after its copies of its parent's indexes are renamed, since one may take the
  // default name a copy holds until then (PostgreSQL named the copy `<name>1` when the index came first: 42P07); so
  // does an existing partition's new index of such a name (postgres/expand.ts createAfterCopiesRenamed).
  // Each created partition's renames come here too, before its own indexes: ranked by the tree (parents first), a
  // partition's copies exist once its ancestors' indexes do, its own among them.
  'createPartitionIndex',
  // Foreign keys last among table objects: they need the referenced table and its unique key or index.
  'addForeignKey',
  // OWNED BY needs the owning column, which may have been created just above.
  'attachSequence',
  // Views after every table and column they read, in dependency order; indexes of materialized
  // views after the views themselves.
  'createView',
  'createViewIndex',
  // Triggers after their table or view and their function.
  'createTrigger',
  // Rules after every table and view their actions use.
  'createRule',
  // Policies after every table, column, view and function their expressions may use.
  'createPolicy',
  // Comments after the objects they describe exist.
  'comment',
  // Grants likewise: after the object exists (a recreated routine or view is granted again once created).
  'grant',
  // Types, sequences, extensions and namespaces are dropped last, after the columns, defaults and
  // tables that used them were altered or dropped above (a column moving from a dropped enum to a
  // new type is altered in `alterColumn`, which needs the old type until then).
  // Routines after the defaults, checks, triggers and views that call them; domains after the
  // columns and routines that use them, before the enums they may be over.
  'dropRoutine',
  'dropSequence',
  'dropDomain',
  // Collations after the columns and domains that used them were altered or dropped.
  'dropCollation',
  'dropEnum',
  'dropExtension',
  // A namespace must be empty when it is dropped.
  'dropNamespace',
] as const

/** One of the step categories, in execution order. */
export type StepCategory = (typeof stepCategories)[number]

const categoryRank: ReadonlyMap<StepCategory, number> = new Map(stepCategories.map((category, i) => [category, i]))

/** Where a category runs: categories with a lower index run first. */
export function categoryIndex(category: StepCategory): number {
  return categoryRank.get(category) ?? 0
}

/** A unit of work that a planner orders before rendering it. */
export interface Ordered {
  readonly category: StepCategory
  /** Position within the category (a topological index); units of equal rank keep their input order. */
  readonly rank: number
}

/** Sorts units by category, then rank, keeping input order among equals (the sort is stable). */
export function orderUnits<T extends Ordered>(units: readonly T[]): T[] {
  return [...units].sort((a, b) => categoryIndex(a.category) - categoryIndex(b.category) || a.rank - b.rank)
}

/**
 * Topological order of `items`: each item comes after the items it depends on (dependencies on keys
 * outside `items`, and on itself, are ignored). Among items that are ready, input order wins, so the
 * result is deterministic. A cycle is broken by taking the earliest remaining item in input order whose
 * `hardDependsOn` items are all placed: hard dependencies (a partition's parent, an INHERITS parent) cannot
 * be deferred, while the soft ones a cycle goes through (foreign keys) can. Callers find the soft edges that
 * point forward in the result and handle them separately (a deferred foreign key, for one). Without that
 * rule a cycle anywhere in a large schema took whatever came first by name, which put a partition living in
 * a namespace that sorts early (`archive.events_2025`) before its parent (`public.events`).
 *
 * @example
 * topoSort(['posts', 'users'], (t) => t, (t) => (t === 'posts' ? ['users'] : [])) // ['users', 'posts']
 */
export function topoSort<T>(
  items: readonly T[],
  key: (item: T) => string,
  dependsOn: (item: T) => readonly string[],
  hardDependsOn: (item: T) => readonly string[] = () => [],
): T[] {
  // The planner sorts one change's items for each step's reverse: mostly none or one, with nothing to order.
  if (items.length < 2) return [...items]
  const keys = items.map(key)
  const known = new Set(keys)
  // Each item's dependencies on other items of the set (distinct keys), computed once.
  const local = (deps: readonly string[], i: number) => new Set(deps.filter((dep) => dep !== keys[i] && known.has(dep)))
  const hard = items.map((item, i) => local(hardDependsOn(item), i))
  const deps = items.map((item, i) => new Set([...local(dependsOn(item), i), ...(hard[i] ?? [])]))
  // Kahn's algorithm, counting for each item its dependencies not yet placed; among the items whose count is 0 the
  // earliest in input order goes next (a heap of indexes), as the scan over the remaining items from the start did
  // in a round per item (quadratic: `keel inspect --format sql` at 1,000 tables spent more in it than in printing).
  const waiting = deps.map((d) => d.size)
  const hardWaiting = hard.map((d) => d.size)
  const dependents = new Map<string, number[]>()
  const hardDependents = new Map<string, number[]>()
  const note = (map: Map<string, number[]>, dep: string, i: number) => {
    const list = map.get(dep)
    if (list === undefined) map.set(dep, [i])
    else list.push(i)
  }
  deps.forEach((d, i) => {
    for (const dep of d) note(dependents, dep, i)
  })
  hard.forEach((d, i) => {
    for (const dep of d) note(hardDependents, dep, i)
  })
  const ready = new IndexHeap()
  const hardReady = new IndexHeap()
  items.forEach((_, i) => {
    if (waiting[i] === 0) ready.push(i)
    if (hardWaiting[i] === 0) hardReady.push(i)
  })
  const placedItems = new Array<boolean>(items.length).fill(false)
  const placedKeys = new Set<string>()
  let firstUnplaced = 0
  const result: T[] = []
  while (result.length < items.length) {
    // An item can be in a heap after it was placed by another route: such entries are skipped.
    let index = ready.popWhere((i) => !placedItems[i])
    // A cycle: the earliest item whose hard dependencies are placed, else the earliest of all.
    index ??= hardReady.popWhere((i) => !placedItems[i])
    if (index === undefined) {
      while (placedItems[firstUnplaced]) firstUnplaced++
      index = firstUnplaced
    }
    placedItems[index] = true
    result.push(items[index] as T)
    const placedKey = keys[index] as string
    if (placedKeys.has(placedKey)) continue
    placedKeys.add(placedKey)
    for (const i of dependents.get(placedKey) ?? []) {
      waiting[i] = (waiting[i] as number) - 1
      if (waiting[i] === 0) ready.push(i)
    }
    for (const i of hardDependents.get(placedKey) ?? []) {
      hardWaiting[i] = (hardWaiting[i] as number) - 1
      if (hardWaiting[i] === 0) hardReady.push(i)
    }
  }
  return result
}

/** A binary min-heap of item indexes. */
class IndexHeap {
  private readonly heap: number[] = []

  push(value: number): void {
    const heap = this.heap
    let i = heap.push(value) - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if ((heap[parent] as number) <= value) break
      heap[i] = heap[parent] as number
      i = parent
    }
    heap[i] = value
  }

  /** Removes and returns the smallest index that `keep` accepts, dropping the smaller ones it rejects. */
  popWhere(keep: (value: number) => boolean): number | undefined {
    while (this.heap.length > 0) {
      const top = this.pop()
      if (keep(top)) return top
    }
    return undefined
  }

  private pop(): number {
    const heap = this.heap
    const top = heap[0] as number
    const last = heap.pop() as number
    if (heap.length > 0) {
      let i = 0
      for (;;) {
        const left = 2 * i + 1
        if (left >= heap.length) break
        const right = left + 1
        const child = right < heap.length && (heap[right] as number) < (heap[left] as number) ? right : left
        if ((heap[child] as number) >= last) break
        heap[i] = heap[child] as number
        i = child
      }
      heap[i] = last
    }
    return top
  }
}
