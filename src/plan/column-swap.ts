/**
 * The contract's swap of retyped columns: its steps (the new column takes the old one's name), and the expanded
 * schema as it stands after them, which the contract plan starts from.
 */
import type { TableHierarchy } from '../diff/table-hierarchy.js'
import type { QualifiedName, Schema, Table } from '../schema/model.js'
import { displayName, nameKey } from '../schema/name.js'
import type { Expansion, TableExpansion } from './expansion.js'
import { isRebuilt, keepsUnique } from './keyed-retype.js'
import { indexMentions, mentionsAny } from './mentions.js'
import type { KeyMove, PhaseSql, SwapStatement } from './phase-sql.js'
import type { Step } from './step.js'

/** The expanded schema after the contract's swaps: each retyped column replaced by its new one. */
export function swapped(expansion: Expansion, hierarchy: TableHierarchy): Schema {
  const byName = new Map(expansion.tables.map((t) => [nameKey(t.after.name), t]))
  // The retyped columns of a partitioned table are its partitions' too: DROP COLUMN at the swap takes a partition's own
  // indexes and checks over them as well, and the contract plan builds the desired ones again.
  const partitionGone = (table: Table): ReadonlySet<string> | undefined => {
    const seen = new Set<string>()
    for (let parent = hierarchy.facts(table).partitionOf?.parent; parent !== undefined; ) {
      if (seen.has(nameKey(parent))) return undefined
      seen.add(nameKey(parent))
      const facts = byName.get(nameKey(parent))
      if (facts !== undefined && facts.retyped.length > 0) return new Set(facts.retyped.map((r) => r.column))
      const above = expansion.schema.tables.find((t) => nameKey(t.name) === nameKey(parent as QualifiedName))
      parent = above === undefined ? undefined : hierarchy.facts(above).partitionOf?.parent
    }
    return undefined
  }
  return {
    ...expansion.schema,
    tables: expansion.schema.tables.map((table) => {
      const facts = byName.get(nameKey(table.name))
      const inherited = facts === undefined ? partitionGone(table) : undefined
      if (inherited !== undefined)
        return {
          ...table,
          checks: table.checks.filter((c) => !mentionsAny([c.expr], inherited)),
          uniques: table.uniques.filter((u) => !mentionsAny(u.columns, inherited)),
          indexes: table.indexes.filter((i) => !mentionsAny(indexMentions(i), inherited)),
        }
      // A generated column dropped before the swap goes from a table with nothing to swap too (an enum swap's reader).
      if (facts === undefined || (facts.retyped.length === 0 && facts.droppedReaders.length === 0)) return table
      const temps = new Map(facts.retyped.map((r) => [r.temp, r.column]))
      const readers = new Set(facts.droppedReaders)
      // The swap sets NOT NULL on a new keyed column that is NOT NULL (moveKeys) and moves a serial's or
      // identity's sequence to it; other constraints come from the contract plan.
      const desired = new Map(facts.after.columns.map((c) => [c.name, c]))
      const columns = table.columns
        .filter((c) => !facts.retyped.some((r) => r.column === c.name) && !readers.has(c.name))
        .map((c) => {
          const name = temps.get(c.name)
          if (name === undefined) return c
          const keyed = facts.retyped.some((r) => r.keyed && r.column === name)
          const { serial, identity, nullable } = desired.get(name) ?? {}
          return {
            ...c,
            name,
            ...(keyed && nullable === false ? { nullable: false } : {}),
            ...(keyed && serial ? { serial, nullable: false } : {}),
            ...(keyed && identity ? { identity, nullable: false } : {}),
          }
        })
      // DROP COLUMN at the swap took the checks and the indexes over the old columns with it, except the indexes
      // moveKeys built again on the new ones; the contract plan builds the desired ones again.
      const gone = new Set([...facts.retyped.map((r) => r.column), ...facts.droppedReaders])
      const keyedNames = new Set(facts.retyped.filter((r) => r.keyed).map((r) => r.column))
      const rebuilt = (i: Table['indexes'][number]) => isRebuilt(i, keyedNames, facts.after)
      return {
        ...table,
        columns,
        checks: table.checks.filter((c) => !mentionsAny([c.expr], gone)),
        indexes: table.indexes.filter((i) => !mentionsAny(indexMentions(i), gone) || rebuilt(i)),
        uniques: table.uniques.filter((u) => !mentionsAny(u.columns, keyedNames) || keepsUnique(u, facts.after)),
      }
    }),
  }
}

/**
 * The contract's swap of every retyped column, in one short transaction: first what must go before any old
 * column does (the old foreign keys, on whichever table; a sequence moved to its new column), then the columns
 * swapped, then the keys attached and the names given back.
 */
export function swapSteps(
  sql: PhaseSql,
  tables: readonly TableExpansion[],
  keyMoves: readonly (readonly [TableExpansion, KeyMove])[],
): Step[] {
  const moveOf = (t: TableExpansion) => keyMoves.find(([m]) => m === t)?.[1]
  const retyping = tables.filter((t) => t.retyped.length > 0)
  const steps = (t: TableExpansion, statements: readonly SwapStatement[]) =>
    statements.map((statement) => swapStep(statement, t.after, t.retyped))
  return [
    ...retyping.flatMap((t) => steps(t, moveOf(t)?.release ?? [])),
    ...retyping.flatMap((t) =>
      steps(
        t,
        t.retyped.flatMap(({ column, temp }) =>
          sql.swapColumn(t.after.name, column, temp).map((statement) => ({ sql: statement, on: [t.after.name] })),
        ),
      ),
    ),
    ...retyping.flatMap((t) => steps(t, moveOf(t)?.settle ?? [])),
  ]
}

function swapStep(statement: SwapStatement, table: Table, retyped: TableExpansion['retyped']): Step {
  const [first = { temp: '', column: '' }] = retyped
  return {
    sql: statement.sql,
    reverse: {
      irreversible: `${retyped.map((r) => `${displayName(table.name)}.${r.column}`).join(', ')} of the old type is dropped; its values live on, converted, in the new column`,
    },
    transactional: true,
    // The tables the statement names: a child's foreign key drop locks the child and its parent, not this table.
    lock: { mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on: statement.on },
    rewritesTable: false,
    scansTable: false,
    dataLoss: 'none',
    phase: 'contract',
    source: { kind: 'renameColumn', table: table.name, from: first.temp, to: first.column },
    comment: `Swap in ${retyped.map((r) => `${displayName(table.name)}.${r.temp} as ${r.column}`).join(', ')} (catalog only)`,
  }
}
