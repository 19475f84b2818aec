import { deepEqual, omitKeys } from '../schema/equal.js'
import { nameKey, sameName } from '../schema/name.js'
import type { Change } from './change.js'

type Named = { readonly name: string }

/** What a drop and an add of the same kind carry, and the rename kind they pair into. */
const PAIRS = {
  dropIndex: { add: 'createIndex', field: 'index', rename: 'renameIndex' },
  dropPrimaryKey: { add: 'addPrimaryKey', field: 'primaryKey', rename: 'renameConstraint' },
  dropUnique: { add: 'addUnique', field: 'unique', rename: 'renameConstraint' },
  dropCheck: { add: 'addCheck', field: 'check', rename: 'renameConstraint' },
  dropForeignKey: { add: 'addForeignKey', field: 'foreignKey', rename: 'renameConstraint' },
  dropExclusion: { add: 'addExclusion', field: 'exclusion', rename: 'renameConstraint' },
} as const

type DropKind = keyof typeof PAIRS

/**
 * Turns a drop and an add of an index or constraint on the same table, identical but for the name, into
 * a rename: the same end state, catalog-only, where the pair would rebuild an index or re-validate a
 * constraint. This is no rename guess: indexes and constraints hold no data of their own, so the two ways
 * are equivalent but for their cost. (Typically the names are defaults derived from a renamed table.)
 *
 * Foreign keys that were dropped and re-added only because the key they reference was re-created are
 * then left alone: the key is renamed instead, and the foreign key is unchanged.
 */
export function pairRenames(changes: readonly Change[]): readonly Change[] {
  const used = new Set<Change>()
  const renames = new Map<Change, Change>()
  for (const drop of changes) {
    if (!(drop.kind in PAIRS) || used.has(drop)) continue
    const pair = PAIRS[drop.kind as DropKind]
    const dropped = objectOf(drop, pair.field)
    const add = changes.find(
      (candidate) =>
        !used.has(candidate) &&
        candidate.kind === pair.add &&
        sameName(tableOf(candidate), tableOf(drop)) &&
        objectOf(candidate, pair.field).name !== dropped.name &&
        deepEqual(omitKeys(objectOf(candidate, pair.field), 'name'), omitKeys(dropped, 'name')) &&
        // Neither name may be in use on the other side: the old one re-created, or the new one freed by another drop
        // (a swap of names), which a rename would collide with.
        !changes.some((other) => other.kind === pair.add && isNamed(other, pair.field, dropped.name)) &&
        !changes.some(
          (other) => other.kind === drop.kind && isNamed(other, pair.field, objectOf(candidate, pair.field).name),
        ) &&
        noColumnRecreated(changes, candidate),
    )
    if (!add) continue
    used.add(drop).add(add)
    const to = objectOf(add, pair.field).name
    renames.set(drop, { kind: pair.rename, table: tableOf(drop), from: dropped.name, to })
  }
  if (renames.size === 0) return changes
  const renamedKeys = new Set([...renames.values()].map((r) => nameKey(tableOf(r))))
  const paired = changes.flatMap((change) => {
    if (renames.has(change)) return [renames.get(change)!]
    return used.has(change) ? [] : [change]
  })
  return dropUnchangedForeignKeys(paired, renamedKeys)
}

/** Identical drop and add of a foreign key into a table whose key is now renamed: no longer needed. */
function dropUnchangedForeignKeys(changes: readonly Change[], renamedTables: ReadonlySet<string>): readonly Change[] {
  const redundant = new Set<Change>()
  for (const drop of changes) {
    if (drop.kind !== 'dropForeignKey' || !renamedTables.has(nameKey(drop.foreignKey.references.table))) continue
    const add = changes.find(
      (c) =>
        c.kind === 'addForeignKey' &&
        !redundant.has(c) &&
        sameName(c.table, drop.table) &&
        deepEqual(omitKeys(c, 'kind'), omitKeys(drop, 'kind')),
    )
    if (add) redundant.add(drop).add(add)
  }
  return redundant.size === 0 ? changes : changes.filter((c) => !redundant.has(c))
}

/** An index or constraint over a column that is dropped and added again must be re-created with it. */
function noColumnRecreated(changes: readonly Change[], add: Change): boolean {
  const table = tableOf(add)
  return !changes.some((c) => c.kind === 'dropColumn' && sameName(c.table, table))
}

function tableOf(change: Change): { readonly schema?: string; readonly name: string } {
  return (change as { readonly table: { readonly schema?: string; readonly name: string } }).table
}

function objectOf(change: Change, field: string): Named {
  return (change as unknown as Record<string, Named>)[field]!
}

function isNamed(change: Change, field: string, name: string): boolean {
  return objectOf(change, field).name === name
}
