/**
 * Changes → units. Each change becomes one or more units, each in its step category: a created
 * table's indexes, comments and forward foreign keys become units of their own, a dropped sequence
 * is detached from its owner first, and so on. Units carry the exact part of the change they carry
 * out, so that inverting a unit's change gives that unit's reverse.
 */
import { assertNever } from '../../assert-never.js'
import type { Change, RoutineChange, SecurityChange } from '../../diff/change.js'
import { invertChange } from '../../plan/invert.js'
import type { StepCategory } from '../../plan/order.js'
import { topoSort } from '../../plan/order.js'
import { deepEqual, omitKeys } from '../../schema/equal.js'
import type { QualifiedName, Sequence, SequenceOptions, Table, View } from '../../schema/model.js'
import { nameKey, sameName } from '../../schema/name.js'
import type { ChangeOf, PlanContext, Unit } from './context.js'
import { columnKey } from './context.js'
import { leaversTargets, retypeBeforeDomainDrops } from './expand-domain-leavers.js'
import { alterTableUnits, expandStructureChange, partitionedTables } from './expand-partitions.js'
import { domainsMadeAnew, expandRoutineChange, isRoutineChange, placeRoutines } from './expand-routines.js'
import { expandSecurityChange, grantUnits, isSecurityChange } from './expand-security.js'
import { expandTable } from './expand-table.js'
import { parentsOf } from './normalize-partitions.js'
import { objectName } from './object-name.js'
import { isAdditive } from './steps-enum.js'
import type { TableRanks } from './units.js'
import { addForeignKeyUnits, commentUnit, constraintComment, unit } from './units.js'

/** The scope of a set of changes: what they create and drop. */
export function scopeOf(changes: readonly Change[]): Omit<PlanContext, 'safe'> {
  const created = new Set<string>()
  const dropped = new Set<string>()
  const addedColumns = new Set<string>()
  const droppedColumns = new Set<string>()
  const recreatedTypes = new Set<string>()
  const converted = new Set<string>()
  const identities = new Map<string, { readonly table: QualifiedName; readonly column: string }>()
  for (const change of changes) {
    if (change.kind === 'alterColumn' && change.to.identity !== undefined && change.from.identity === undefined) {
      const sequence = { ...change.table, name: objectName(change.table.name, change.to.name, 'seq') }
      identities.set(nameKey(sequence), { table: change.table, column: change.to.name })
    }
    if (change.kind === 'createTable') created.add(nameKey(change.table.name))
    if (change.kind === 'createView') created.add(nameKey(change.view.name))
    if (change.kind === 'createSequence') created.add(nameKey(change.sequence.name))
    if (change.kind === 'dropTable') dropped.add(nameKey(change.table.name))
    if (change.kind === 'dropView') dropped.add(nameKey(change.view.name))
    if (change.kind === 'dropSequence') dropped.add(nameKey(change.sequence.name))
    if (change.kind === 'addColumn') addedColumns.add(columnKey(change.table, change.column.name))
    if (change.kind === 'dropColumn') droppedColumns.add(columnKey(change.table, change.column.name))
    // An enum that only gains values is recreated by the reverse, which needs the routines that take it out of the
    // way (see diff/enum-dependents.ts): routines the plan drops go before the enum changes either way.
    if (change.kind === 'alterEnum') recreatedTypes.add(nameKey(change.to.name))
    if (change.kind === 'alterEnum' && !isAdditive(change.from.values, change.to.values)) {
      for (const usage of [...change.usages, ...(change.domains ?? []).flatMap((d) => d.columns)])
        converted.add(nameKey(usage.table))
    }
  }
  // A domain made anew, or dropped before one is (expand-routines.ts): routines the plan drops that name it go first.
  for (const domain of domainsMadeAnew(changes)) recreatedTypes.add(domain)
  return {
    created,
    dropped,
    addedColumns,
    droppedColumns,
    partitioned: partitionedTables(changes),
    recreatedTypes,
    convertedTables: converted,
    identities,
  }
}

/**
 * The changes with each recreated enum that carries `dependents` (the inverse of an ADD VALUE, see
 * diff/enum-dependents.ts) unfolded into the drops of its dependents, the recreation, and the creates that put them
 * back; their categories order them around the recreation as for a recreation the diff planned itself.
 */
export function unfoldEnumDependents(changes: readonly Change[]): readonly Change[] {
  return changes.flatMap((change) => {
    if (change.kind !== 'alterEnum' || change.dependents === undefined) return [change]
    if (isAdditive(change.from.values, change.to.values)) return [change]
    const { dependents, ...recreate } = change
    return [...dependents, recreate, ...dependents.map(invertChange)]
  })
}

/** Splits and categorises `changes` into units; `scope` is the scope of the whole plan. */
export function expandChanges(changes: readonly Change[], scope: Omit<PlanContext, 'safe'>): Unit[] {
  const tableRanks = tableOrder(changes)
  const viewRanks = viewOrder(changes)
  const madeAnew = domainsMadeAnew(changes)
  const routines = placeRoutines(changes.filter(isRoutineChange), scope, viewRanks, leaversTargets(changes, madeAnew))
  const expanded = changes.flatMap((change) => {
    if (isRoutineChange(change)) return expandRoutineChange(change, routines)
    if (isSecurityChange(change)) return expandSecurityChange(change)
    return expandChange(change, scope, tableRanks, viewRanks)
  })
  const units = retypeBeforeDomainDrops(expanded, madeAnew)
  return copiesExistBefore(changes) ? renameCopiesEarly(units) : createAfterCopiesRenamed(units)
}

/**
 * Whether every existing partition's copies of its parents' indexes exist before the plan runs: it builds no index,
 * primary key or unique constraint on a partitioned table and attaches no partition (each makes copies). Then a partition's copies are renamed with the
 * other index renames (`renameObject`), before any index is created: one of the partition's own may take the name a
 * copy has until then, and created first it failed with 42P07. Otherwise they wait for the copies (renameAttachedIndex).
 */
function copiesExistBefore(changes: readonly Change[]): boolean {
  return !changes.some(
    (c) =>
      ((c.kind === 'createIndex' || c.kind === 'addPrimaryKey' || c.kind === 'addUnique') && c.partitioned) ||
      c.kind === 'attachPartition',
  )
}

function renameCopiesEarly(units: readonly Unit[]): Unit[] {
  return units.map((u) => (u.category === 'renameAttachedIndex' ? { ...u, category: 'renameObject' } : u))
}

/**
 * Otherwise an index the plan creates on an existing partition under a name that one of its copies holds until it is
 * renamed (its default name, or the name it has now) is created after the renames (`createPartitionIndex`), as a
 * created partition's are: the parent's new index makes the copy under that name first. So is a primary key or
 * unique constraint of such a name (its index takes the name): made before, in `addConstraint`, it left the parent's
 * index to name its copy `<name>1`, which the rename of the copy then found taken (42P07). Names are held per schema,
 * where PostgreSQL keeps them unique: an index the plan creates on any table of the schema under such a name waits too.
 */
function createAfterCopiesRenamed(units: readonly Unit[]): Unit[] {
  const held = new Set<string>()
  for (const { category, change } of units) {
    if (category !== 'renameAttachedIndex' || change.kind !== 'alterTable') continue
    for (const copy of change.from.ext?.postgres?.attachedIndexes ?? []) held.add(memberOf(change.table, copy.name))
    for (const copy of change.to.ext?.postgres?.attachedIndexes ?? [])
      held.add(memberOf(change.table, copy.defaultName))
  }
  if (held.size === 0) return [...units]
  return units.map((u) => {
    const name = ownIndexName(u)
    return name !== undefined && held.has(memberOf(name.table, name.name))
      ? { ...u, category: 'createPartitionIndex' }
      : u
  })
}

/** The table and name of the index a unit creates in `createIndex` or `addConstraint` (a key's index), if any. */
function ownIndexName(u: Unit): { readonly table: QualifiedName; readonly name: string } | undefined {
  const { category, change } = u
  if (category === 'createIndex' && change.kind === 'createIndex')
    return { table: change.table, name: change.index.name }
  if (category !== 'addConstraint') return undefined
  if (change.kind === 'addUnique') return { table: change.table, name: change.unique.name }
  if (change.kind === 'addPrimaryKey') return { table: change.table, name: change.primaryKey.name }
  return undefined
}

// An index's name is unique in its table's schema, not per table: another table's new index may take a copy's name.
const memberOf = (table: QualifiedName, name: string) => nameKey({ ...table, name })

function tableOrder(changes: readonly Change[]): TableRanks {
  // A partition or INHERITS child is created after its parent and dropped before it, whatever cycle of
  // foreign keys surrounds them (those are deferred instead).
  const refs = (table: Table) => table.foreignKeys.map((fk) => nameKey(fk.references.table))
  const parents = (table: Table) => parentsOf(table).map(nameKey)
  const key = (table: Table) => nameKey(table.name)
  const created = changes.flatMap((c) => (c.kind === 'createTable' ? [c.table] : []))
  const dropped = changes.flatMap((c) => (c.kind === 'dropTable' ? [c.table] : []))
  // Tables that keep existing but gain or lose a key a foreign key may reference (primary key, unique constraint,
  // unique index): a created table's foreign keys to them wait for the key, a dropped one's go before it.
  const keysAdded = new Set<string>()
  const keysDropped = new Set<string>()
  for (const c of changes) {
    if (c.kind === 'addPrimaryKey' || c.kind === 'addUnique' || (c.kind === 'createIndex' && c.index.unique))
      keysAdded.add(nameKey(c.table))
    if (c.kind === 'dropPrimaryKey' || c.kind === 'dropUnique' || (c.kind === 'dropIndex' && c.index.unique))
      keysDropped.add(nameKey(c.table))
  }
  return {
    keysAdded,
    keysDropped,
    created: new Map(topoSort(created, key, refs, parents).map((table, i) => [key(table), i])),
    dropped: new Map(
      topoSort(dropped, key, refs, parents)
        .reverse()
        .map((table, i) => [key(table), i]),
    ),
  }
}

function viewOrder(changes: readonly Change[]): { created: Map<string, number>; dropped: Map<string, number> } {
  const key = (view: View) => nameKey(view.name)
  const deps = (view: View) => view.dependsOn.map(nameKey)
  const created = changes.flatMap((c) => (c.kind === 'createView' ? [c.view] : []))
  const dropped = changes.flatMap((c) => (c.kind === 'dropView' ? [c.view] : []))
  return {
    created: new Map(topoSort(created, key, deps).map((view, i) => [key(view), i])),
    dropped: new Map(
      topoSort(dropped, key, deps)
        .reverse()
        .map((view, i) => [key(view), i]),
    ),
  }
}

/** Kinds that become one unit as they are, and its category. */
const asIs = {
  dropNamespace: 'dropNamespace',
  createExtension: 'createExtension',
  alterExtension: 'createExtension',
  dropExtension: 'dropExtension',
  dropEnum: 'dropEnum',
  renameColumn: 'rename',
  renameIndex: 'renameObject',
  renameConstraint: 'renameObject',
  alterTable: 'alterTable',
  alterColumn: 'alterColumn',
  addPrimaryKey: 'addConstraint',
  dropPrimaryKey: 'dropConstraint',
  dropUnique: 'dropConstraint',
  dropCheck: 'dropConstraint',
  dropIndex: 'dropIndex',
  dropForeignKey: 'dropForeignKey',
  setComment: 'comment',
} as const satisfies Partial<Record<Change['kind'], StepCategory>>

function expandChange(
  change: Exclude<Change, RoutineChange | SecurityChange>,
  scope: Omit<PlanContext, 'safe'>,
  tables: TableRanks,
  views: ReturnType<typeof viewOrder>,
): Unit[] {
  switch (change.kind) {
    case 'dropNamespace':
    case 'createExtension':
    case 'alterExtension':
    case 'dropExtension':
    case 'dropEnum':
    case 'renameColumn':
    case 'renameIndex':
    case 'renameConstraint':
    case 'addPrimaryKey':
    case 'dropPrimaryKey':
    case 'dropUnique':
    case 'dropCheck':
    case 'dropIndex':
    case 'dropForeignKey':
    case 'setComment':
      return [unit(asIs[change.kind], change, change)]
    case 'alterColumn':
      return alterColumnUnits(change)
    case 'alterTable':
      return alterTableUnits(change)
    case 'dropColumn':
      return [unit(change.column.generated === undefined ? 'dropColumn' : 'dropGeneratedColumn', change, change)]
    case 'createTable':
    case 'dropTable':
      return expandTable(change, tables)
    case 'createView':
      return expandCreateView(change.view, change, views.created.get(nameKey(change.view.name)) ?? 0)
    case 'dropView':
      return [unit('dropView', change, change, views.dropped.get(nameKey(change.view.name)) ?? 0)]
    case 'alterEnum':
      return [unit('alterEnum', { ...change, usages: liveUsages(change.usages, scope) }, change)]
    case 'createSequence':
      return expandCreateSequence(change.sequence, change, scope)
    case 'dropSequence':
      return expandDropSequence(change.sequence, change)
    case 'alterSequence':
      return expandAlterSequence(change.from, change.to, change)
    case 'renameTable':
      return expandRenameTable(change.from, change.to, change)
    case 'addForeignKey':
      return addForeignKeyUnits(change.table, change.foreignKey, change)
    case 'createNamespace':
    case 'createEnum':
    case 'addColumn':
    case 'addUnique':
    case 'addCheck':
    case 'createIndex':
      // The cases above narrow `kind`; TypeScript does not narrow members covering two kinds (createEnum | dropEnum).
      return expandCommented(change as Commented, views.created)
    case 'addExclusion':
    case 'dropExclusion':
    case 'attachPartition':
    case 'detachPartition':
    case 'addInherit':
    case 'dropInherit':
    case 'createRule':
    case 'dropRule':
      return expandStructureChange(change)
    default:
      return assertNever(change)
  }
}

type Commented = ChangeOf<'createNamespace' | 'createEnum' | 'addColumn' | 'addUnique' | 'addCheck' | 'createIndex'>

/** A new object whose comment is set by a `COMMENT ON` of its own, after the object exists. */
function expandCommented(change: Commented, createdViews: ReadonlyMap<string, number>): Unit[] {
  switch (change.kind) {
    case 'createNamespace': {
      const { name, comment, privileges } = change.namespace
      return [
        unit(
          'createNamespace',
          { kind: change.kind, namespace: omitKeys(change.namespace, 'comment', 'privileges') },
          change,
        ),
        ...commentUnit({ kind: 'namespace', name }, comment, change),
        ...grantUnits({ kind: 'namespace', name }, privileges, change),
      ]
    }
    case 'createEnum':
      return [
        unit('createEnum', { kind: change.kind, enum: omitKeys(change.enum, 'comment') }, change),
        ...commentUnit({ kind: 'enum', name: change.enum.name }, change.enum.comment, change),
      ]
    case 'addColumn': {
      const target = { kind: 'column', table: change.table, column: change.column.name } as const
      return [
        unit(
          change.column.generated === undefined ? 'addColumn' : 'addGeneratedColumn',
          { ...change, column: omitKeys(change.column, 'comment') },
          change,
        ),
        ...commentUnit(target, change.column.comment, change),
      ]
    }
    case 'addUnique':
      return [
        unit('addConstraint', { ...change, unique: omitKeys(change.unique, 'comment') }, change),
        ...constraintComment(change.table, change.unique, change),
      ]
    case 'addCheck':
      return [
        unit('addConstraint', { ...change, check: omitKeys(change.check, 'comment') }, change),
        ...constraintComment(change.table, change.check, change),
      ]
    case 'createIndex': {
      // An index on a materialized view created in this plan waits for the view.
      const category = createdViews.has(nameKey(change.table)) ? 'createViewIndex' : 'createIndex'
      const target = { kind: 'index', table: change.table, index: change.index.name } as const
      return [
        unit(category, { ...change, index: omitKeys(change.index, 'comment') }, change),
        ...commentUnit(target, change.index.comment, change),
      ]
    }
    default:
      return assertNever(change)
  }
}

/** Columns of a recreated enum that exist before and after the plan; created and dropped ones need no conversion. */
function liveUsages(usages: ChangeOf<'alterEnum'>['usages'], scope: Omit<PlanContext, 'safe'>) {
  return usages.filter(
    (usage) =>
      !scope.created.has(nameKey(usage.table)) &&
      !scope.dropped.has(nameKey(usage.table)) &&
      !scope.addedColumns.has(columnKey(usage.table, usage.column.name)) &&
      !scope.droppedColumns.has(columnKey(usage.table, usage.column.name)),
  )
}

function expandCreateView(view: View, origin: Change, rank: number): Unit[] {
  const bare: View = { ...omitKeys(view, 'comment', 'privileges'), indexes: [] }
  const target = { kind: view.materialized ? ('materializedView' as const) : ('view' as const), name: view.name }
  return [
    unit('createView', { kind: 'createView', view: bare }, origin, rank),
    ...view.indexes.flatMap((index) => [
      unit(
        'createViewIndex',
        { kind: 'createIndex', table: view.name, index: omitKeys(index, 'comment') },
        origin,
        rank,
      ),
      ...commentUnit({ kind: 'index', table: view.name, index: index.name }, index.comment, origin),
    ]),
    ...commentUnit(target, view.comment, origin),
    ...grantUnits(target, view.privileges, origin),
  ]
}

function expandCreateSequence(sequence: Sequence, origin: Change, scope: Omit<PlanContext, 'safe'>): Unit[] {
  const bare = omitKeys(sequence, 'comment', 'privileges')
  const comment = [
    ...commentUnit({ kind: 'sequence', name: sequence.name }, sequence.comment, origin),
    ...grantUnits({ kind: 'sequence', name: sequence.name }, sequence.privileges, origin),
  ]
  const owner = sequence.ownedBy
  // OWNED BY names a column; if this plan creates it, the sequence is created bare and attached
  // after tables and columns exist.
  if (
    owner === undefined ||
    (!scope.created.has(nameKey(owner.table)) && !scope.addedColumns.has(columnKey(owner.table, owner.column)))
  ) {
    return [unit('createSequence', { kind: 'createSequence', sequence: bare }, origin), ...comment]
  }
  const detached = omitKeys(bare, 'ownedBy')
  return [
    unit('createSequence', { kind: 'createSequence', sequence: detached }, origin),
    unit('attachSequence', { kind: 'alterSequence', from: detached, to: bare }, origin),
    ...comment,
  ]
}

function expandDropSequence(sequence: Sequence, origin: Change): Unit[] {
  if (sequence.ownedBy === undefined) return [unit('dropSequence', origin, origin)]
  // Dropping the owning table or column would drop the sequence too: detach it first.
  const detached = omitKeys(sequence, 'ownedBy')
  return [
    unit('detachSequence', { kind: 'alterSequence', from: sequence, to: detached }, origin),
    unit('dropSequence', { kind: 'dropSequence', sequence: detached }, origin),
  ]
}

const sequenceOptionKeys = ['type', 'start', 'increment', 'min', 'max', 'cache', 'cycle'] as const

/** `base` with the sequence options of `options` (name, owner and comment of `base`). */
export function withSequenceOptions(base: Sequence, options: SequenceOptions): Sequence {
  const result: Record<string, unknown> = omitKeys(base, ...sequenceOptionKeys)
  for (const key of sequenceOptionKeys) if (options[key] !== undefined) result[key] = options[key]
  return result as unknown as Sequence
}

function expandAlterSequence(from: Sequence, to: Sequence, origin: Change): Unit[] {
  const units: Unit[] = []
  const ownerChanges = !deepEqual(from.ownedBy, to.ownedBy)
  let current = from
  const step = (category: StepCategory, next: Sequence) => {
    if (deepEqual(current, next)) return
    units.push(unit(category, { kind: 'alterSequence', from: current, to: next }, origin))
    current = next
  }
  if (ownerChanges && from.ownedBy !== undefined) step('detachSequence', omitKeys(current, 'ownedBy'))
  step('alterSequence', withSequenceOptions(current, to))
  if (ownerChanges && to.ownedBy !== undefined) step('attachSequence', { ...current, ownedBy: to.ownedBy })
  // A changed comment arrives as a setComment change of its own.
  return units
}

function expandRenameTable(from: QualifiedName, to: QualifiedName, origin: Change): Unit[] {
  if (from.schema === to.schema || from.name === to.name || sameName(from, to)) return [unit('rename', origin, origin)]
  // RENAME TO cannot change the namespace: move with SET SCHEMA, then rename.
  const moved: QualifiedName = to.schema === undefined ? { name: from.name } : { schema: to.schema, name: from.name }
  return [
    unit('rename', { kind: 'renameTable', from, to: moved }, origin),
    unit('rename', { kind: 'renameTable', from: moved, to }, origin),
  ]
}

/**
 * An identity that goes is dropped with the sequences that are detached, before any sequence is created: DROP
 * IDENTITY drops the identity's sequence, whose name (`<table>_<column>_seq`) is the one a column that becomes
 * serial gives its new sequence. The rest of the column's change keeps its place.
 */
function alterColumnUnits(change: ChangeOf<'alterColumn'>): Unit[] {
  const { from, to } = change
  if (from.identity === undefined || to.identity !== undefined || deepEqual(omitKeys(from, 'identity'), to))
    return [unit('alterColumn', change, change)]
  const plain = omitKeys(from, 'identity')
  return [
    unit('detachSequence', { ...change, to: plain, aspects: ['identity'] }, change),
    unit('alterColumn', { ...change, from: plain, aspects: change.aspects.filter((a) => a !== 'identity') }, change),
  ]
}
