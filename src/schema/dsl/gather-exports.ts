import { brandOf, stateOf } from './brand-of.js'
import type { Casing } from './casing.js'
import type { AggregateState } from './define-schema.js'
import type { EnumState } from './enum-type.js'
import type { ExtensionState } from './extension.js'
import type { NamespaceState } from './namespace.js'
import type { PgObjectState } from './pg-objects.js'
import type { SequenceState } from './sequence.js'
import type { TableState } from './table.js'
import type { ViewState } from './view.js'

/** The DSL objects a module exports, each once, in export order. */
export interface Gathered {
  /** Tables with the casing of the `defineSchema` aggregate that lists them, if any. */
  readonly tables: ReadonlyMap<TableState, Casing | undefined>
  readonly enums: readonly EnumState[]
  readonly sequences: readonly SequenceState[]
  readonly views: readonly ViewState[]
  readonly extensions: readonly ExtensionState[]
  readonly namespaces: readonly NamespaceState[]
  /** Domains, routines, triggers, rules and collations. */
  readonly pgObjects: readonly PgObjectState[]
}

/** Export names under which a plain object (not a `defineSchema` aggregate) is read as a group of exports. */
const groupKeys = new Set(['default', 'schema'])

/**
 * Finds the DSL objects among a module's exports: named exports, `defineSchema` aggregates (their casing goes
 * with their tables), and plain objects exported as `default` or `schema`. The same object exported twice counts once.
 */
export function gatherExports(moduleExports: Readonly<Record<string, unknown>>): Gathered {
  const tables = new Map<TableState, Casing | undefined>()
  const seen = new Set<unknown>()
  const lists = {
    enums: [] as EnumState[],
    sequences: [] as SequenceState[],
    views: [] as ViewState[],
    extensions: [] as ExtensionState[],
    namespaces: [] as NamespaceState[],
    pgObjects: [] as PgObjectState[],
  }
  const visit = (value: unknown, casing: Casing | undefined, key: string | undefined): void => {
    const brand = brandOf(value)
    if (brand === 'table') {
      const state = stateOf<TableState>(value)
      // A table listed by an aggregate takes the aggregate's casing even if it was also exported on its own.
      if (!tables.has(state) || (tables.get(state) === undefined && casing !== undefined)) tables.set(state, casing)
      return
    }
    if (brand === undefined) {
      if (key !== undefined && groupKeys.has(key) && isPlainObject(value) && !seen.has(value)) {
        seen.add(value)
        for (const [k, member] of Object.entries(value)) visit(member, casing, k)
      }
      return
    }
    const state = stateOf<{ readonly kind: string }>(value)
    if (seen.has(state)) return
    seen.add(state)
    switch (brand) {
      case 'aggregate': {
        const aggregate = state as AggregateState
        for (const member of Object.values(aggregate.members)) visit(member, aggregate.casing ?? casing, undefined)
        return
      }
      case 'enum':
        lists.enums.push(state as EnumState)
        return
      case 'sequence':
        lists.sequences.push(state as SequenceState)
        return
      case 'view':
        lists.views.push(state as ViewState)
        return
      case 'extension':
        lists.extensions.push(state as ExtensionState)
        return
      case 'namespace':
        lists.namespaces.push(state as NamespaceState)
        return
      case 'pgObject':
        lists.pgObjects.push(state as PgObjectState)
        return
      default:
        // Column builders, indexes and other parts are not schema objects on their own (e.g. shared timestamps).
        return
    }
  }
  for (const [key, value] of Object.entries(moduleExports)) visit(value, undefined, key)
  return { tables, ...lists }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  // Module namespace objects (jiti's `default` interop) have a null prototype.
  return proto === Object.prototype || proto === null
}
