import { KeelError } from '../../errors.js'
import type { QualifiedName } from '../model.js'
import { displayName, qualified } from '../name.js'
import { stateOf } from './brand-of.js'
import { applyCasing, type Casing } from './casing.js'
import type { ColumnRef } from './column-ref.js'
import type { EnumState } from './enum-type.js'
import type { Gathered } from './gather-exports.js'
import type { SqlNames } from './render-sql.js'
import type { SequenceState } from './sequence.js'
import type { TableState } from './table.js'
import type { ViewState } from './view.js'

/** A table's resolved SQL names. */
export interface TableNames {
  readonly name: QualifiedName
  readonly casing: Casing
  /** TypeScript key → SQL column name, in declaration order. */
  readonly columns: ReadonlyMap<string, string>
}

/** The namespace key for duplicate checks: an omitted schema is the default one, `public`. */
export function namespaceKey(schema: string | undefined): string {
  return schema ?? 'public'
}

/**
 * The SQL names of everything a module exports, resolved once (casing applied), with the checks that need the
 * whole module: duplicate names, and references to objects the module does not export.
 */
export class SchemaNames implements SqlNames {
  readonly tables = new Map<TableState, TableNames>()
  private readonly others = new Map<object, QualifiedName>()

  constructor(
    found: Gathered,
    defaultCasing: Casing | undefined,
    /** The target dialect's quoter, for the identifiers sql`` fragments interpolate. */
    readonly quoteIdent: (name: string) => string,
    /** The target dialect's string-literal quoter, for defaults and values sql`` fragments interpolate. */
    readonly quoteLiteral: (value: string) => string,
  ) {
    const relations = new Map<string, string>()
    const claim = (name: QualifiedName, what: string): void => {
      const key = `${namespaceKey(name.schema)}\u0000${name.name}`
      const previous = relations.get(key)
      if (previous !== undefined) {
        throw new KeelError('SCHEMA_MODULE', `${what} ${displayName(name)} has the same name as ${previous}`)
      }
      relations.set(key, `${what} ${displayName(name)}`)
    }
    for (const [state, aggregateCasing] of found.tables) {
      const casing = state.options.casing ?? aggregateCasing ?? defaultCasing ?? 'preserve'
      const names = { name: qualified(state.name, state.options.schema), casing, columns: columnNames(state, casing) }
      claim(names.name, 'table')
      this.tables.set(state, names)
    }
    for (const view of found.views) this.add(view, qualified(view.name, view.options.schema), 'view', claim)
    for (const sequence of found.sequences) {
      this.add(sequence, qualified(sequence.name, sequence.config.schema), 'sequence', claim)
    }
    // Types share a namespace with tables and views (each has a row type), but not with sequences.
    const types = new Map<string, string>()
    for (const [key, what] of relations) if (!what.startsWith('sequence')) types.set(key, what)
    for (const item of found.enums) {
      const name = qualified(item.name, item.schema)
      const key = `${namespaceKey(name.schema)}\u0000${name.name}`
      const previous = types.get(key)
      if (previous !== undefined) {
        throw new KeelError('SCHEMA_MODULE', `enum ${displayName(name)} has the same name as ${previous}`)
      }
      types.set(key, `enum ${displayName(name)}`)
      this.others.set(item, name)
    }
  }

  private add(state: object, name: QualifiedName, what: string, claim: (n: QualifiedName, w: string) => void): void {
    claim(name, what)
    this.others.set(state, name)
  }

  /** The names of a table, or an error naming it when the module does not export it. */
  table(state: TableState): TableNames {
    const names = this.tables.get(state)
    if (names === undefined) {
      throw new KeelError(
        'SCHEMA_MODULE',
        `table ${displayName(qualified(state.name, state.options.schema))} is used but not exported from the schema module; export it`,
      )
    }
    return names
  }

  column(ref: ColumnRef): string {
    return this.table(stateOf<TableState>(ref.table)).columns.get(ref.key) as string
  }

  object(state: object, brand: 'table' | 'view' | 'sequence' | 'enum'): QualifiedName {
    if (brand === 'table') return this.table(state as TableState).name
    const name = this.others.get(state)
    if (name !== undefined) return name
    const declared = state as ViewState | SequenceState | EnumState
    const schema =
      'options' in declared ? declared.options.schema : 'config' in declared ? declared.config.schema : declared.schema
    throw new KeelError(
      'SCHEMA_MODULE',
      `${brand} ${displayName(qualified(declared.name, schema))} is used but not exported from the schema module; export it`,
    )
  }
}

function columnNames(state: TableState, casing: Casing): Map<string, string> {
  const names = new Map<string, string>()
  const keysBySqlName = new Map<string, string>()
  for (const [key, builder] of Object.entries(state.columns)) {
    const name = builder.config.name ?? applyCasing(key, casing)
    const other = keysBySqlName.get(name)
    if (other !== undefined) {
      throw new KeelError(
        'SCHEMA_MODULE',
        `table ${state.name}: columns "${other}" and "${key}" are both named "${name}"`,
      )
    }
    keysBySqlName.set(name, key)
    names.set(key, name)
  }
  return names
}

/** Runs `fn`, prefixing the message of a schema-module error with where it happened. */
export function inContext<T>(context: string, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    // Duck-typed: extras callbacks run the DSL of the user's module, which may be another copy of this code.
    const keel = error as {
      readonly name?: unknown
      readonly code?: unknown
      readonly message: string
      readonly hint?: string
    }
    if (error instanceof Error && keel.name === 'KeelError' && keel.code === 'SCHEMA_MODULE') {
      throw new KeelError('SCHEMA_MODULE', `${context}: ${keel.message}`, keel.hint, { cause: error })
    }
    throw error
  }
}
