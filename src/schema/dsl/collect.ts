import { assertNever } from '../../assert-never.js'
import { KeelError } from '../../errors.js'
import { deepEqual } from '../equal.js'
import type {
  Collation,
  ColumnType,
  Domain,
  Extension,
  Namespace,
  QualifiedName,
  Routine,
  Rule,
  Schema,
  Table,
  Trigger,
} from '../model.js'
import { displayName } from '../name.js'
import { buildEnum, buildSequence, buildView, relationKey } from './build-entities.js'
import { buildTable, reserveExplicitNames } from './build-table.js'
import type { Casing } from './casing.js'
import { declareTable } from './declare-table.js'
import { gatherExports } from './gather-exports.js'
import { NamespaceNames } from './naming.js'
import type { PgObjectState } from './pg-objects.js'
import { quoteString } from './render-literal.js'
import { standardQuoteIdent } from './render-sql.js'
import { namespaceKey, SchemaNames } from './schema-names.js'

/** Options of `collect`. */
export interface CollectOptions {
  /** Casing for tables that set none themselves and are not in a `defineSchema` aggregate with one. */
  readonly casing?: Casing
  /**
   * The target dialect's identifier quoter (`Dialect.quoteIdent`), for the columns, tables and other objects that
   * sql`` fragments (checks, defaults, index expressions, views) interpolate. When not given, every name is
   * double-quoted (the SQL standard's form, read alike by PostgreSQL and SQLite). On MySQL `"x"` is a string, so a
   * module collected for it must be given MySQL's.
   */
  readonly quoteIdent?: (name: string) => string
  /**
   * The target dialect's string-literal quoter (`Dialect.quoteLiteral`), for column defaults and the values sql``
   * fragments interpolate. When not given, quotes are doubled (the SQL standard's form, read as written by
   * PostgreSQL and SQLite). MySQL reads a backslash in a string as an escape (`'C:\temp'` is `C:<tab>emp`), so a
   * module collected for it must be given MySQL's, which doubles backslashes.
   */
  readonly quoteLiteral?: (value: string) => string
}

/**
 * Turns a schema module's exports into the model `Schema`: every exported table, enum, sequence, view, extension
 * and namespace (plus namespaces that objects use), with SQL names resolved and omitted constraint and index names
 * chosen as PostgreSQL would choose them. Throws `KeelError('SCHEMA_MODULE')` for duplicate names, references to
 * objects the module does not export, and contradictory declarations.
 * @example collect(await import('./schema.ts'), { casing: 'snake_case' })
 */
export function collect(moduleExports: Readonly<Record<string, unknown>>, options: CollectOptions = {}): Schema {
  const found = gatherExports(moduleExports)
  const schemaNames = new SchemaNames(
    found,
    options.casing,
    options.quoteIdent ?? standardQuoteIdent,
    options.quoteLiteral ?? quoteString,
  )
  const namespaces = new Map<string, NamespaceNames>()
  const namesIn = (schema: string | undefined): NamespaceNames => {
    const key = namespaceKey(schema)
    const existing = namespaces.get(key)
    if (existing !== undefined) return existing
    const created = new NamespaceNames()
    namespaces.set(key, created)
    return created
  }
  const known = new Map<string, QualifiedName>()
  for (const names of schemaNames.tables.values())
    known.set(relationKey(names.name.schema, names.name.name), names.name)
  for (const view of found.views)
    known.set(relationKey(view.options.schema, view.name), schemaNames.object(view, 'view'))
  for (const name of known.values()) namesIn(name.schema).reserveRelation(name.name)
  for (const sequence of found.sequences) namesIn(sequence.config.schema).reserveRelation(sequence.name)

  const decls = [...found.tables.keys()].map((state) => declareTable(state, schemaNames))
  for (const decl of decls) reserveExplicitNames(decl, namesIn(decl.names.name.schema))
  for (const view of found.views) {
    for (const index of view.options.indexes ?? []) {
      if (index.spec.name !== undefined) namesIn(view.options.schema).reserveRelation(index.spec.name)
    }
  }
  const tables = decls.map((decl) => buildTable(decl, namesIn(decl.names.name.schema), schemaNames))
  const enums = found.enums.map(buildEnum)
  checkEnumsExported(
    tables,
    enums.map((e) => e.name),
  )
  const sequences = found.sequences.map((state) => buildSequence(state, schemaNames))
  const views = found.views.map((state) => buildView(state, schemaNames, known, namesIn(state.options.schema)))
  const extensions = uniqueExtensions(found.extensions)
  const used: (string | undefined)[] = [
    ...tables.map((t) => t.name.schema),
    ...enums.map((e) => e.name.schema),
    ...sequences.map((s) => s.name.schema),
    ...views.map((v) => v.name.schema),
    ...extensions.map((e) => e.schema),
  ]
  const objects = pgObjectsOf(found.pgObjects)
  used.push(
    ...objects.domains.map((d) => d.name.schema),
    ...objects.routines.map((r) => r.name.schema),
    ...objects.collations.map((c) => c.name.schema),
  )
  return {
    namespaces: namespacesOf(found.namespaces, used),
    extensions,
    enums,
    sequences,
    tables,
    views,
    // Absent means none, as in an introspected schema without them.
    ...Object.fromEntries(Object.entries(objects).filter(([, list]) => list.length > 0)),
  }
}

/** The declared domains, routines, triggers, rules and collations, each list only when it has any. */
function pgObjectsOf(states: readonly PgObjectState[]): {
  readonly domains: Domain[]
  readonly routines: Routine[]
  readonly triggers: Trigger[]
  readonly rules: Rule[]
  readonly collations: Collation[]
} {
  const lists = {
    domains: [] as Domain[],
    routines: [] as Routine[],
    triggers: [] as Trigger[],
    rules: [] as Rule[],
    collations: [] as Collation[],
  }
  for (const state of states) {
    switch (state.object) {
      case 'domain':
        lists.domains.push(state.value)
        break
      case 'routine':
        lists.routines.push(state.value)
        break
      case 'trigger':
        lists.triggers.push(state.value)
        break
      case 'rule':
        lists.rules.push(state.value)
        break
      case 'collation':
        lists.collations.push(state.value)
        break
      default:
        assertNever(state)
    }
  }
  return lists
}

/** Declared namespaces first, then those objects use; `public` is implied and never listed. */
function namespacesOf(declared: readonly Namespace[], used: readonly (string | undefined)[]): Namespace[] {
  const result = new Map<string, Namespace>()
  for (const namespace of declared) {
    const previous = result.get(namespace.name)
    if (previous !== undefined && !deepEqual(previous, { name: namespace.name, ...commentOf(namespace) })) {
      throw new KeelError('SCHEMA_MODULE', `namespace ${namespace.name} is declared twice with different comments`)
    }
    result.set(namespace.name, { name: namespace.name, ...commentOf(namespace) })
  }
  for (const name of used) if (name !== undefined && !result.has(name)) result.set(name, { name })
  result.delete('public')
  return [...result.values()]
}

function commentOf(namespace: Namespace): Omit<Namespace, 'name'> {
  return {
    ...(namespace.comment === undefined ? {} : { comment: namespace.comment }),
    ...(namespace.privileges === undefined ? {} : { privileges: namespace.privileges }),
  }
}

function uniqueExtensions(declared: readonly (Extension & { readonly kind: 'extension' })[]): Extension[] {
  const result = new Map<string, Extension>()
  for (const { kind: _kind, ...extension } of declared) {
    const previous = result.get(extension.name)
    if (previous !== undefined && !deepEqual(previous, extension)) {
      throw new KeelError('SCHEMA_MODULE', `extension ${extension.name} is declared twice with different options`)
    }
    result.set(extension.name, extension)
  }
  return [...result.values()]
}

function checkEnumsExported(tables: readonly Table[], enums: readonly QualifiedName[]): void {
  const exported = new Set(enums.map((name) => relationKey(name.schema, name.name)))
  for (const table of tables) {
    for (const column of table.columns) {
      const used = enumOf(column.type)
      if (used !== undefined && !exported.has(relationKey(used.schema, used.name))) {
        throw new KeelError(
          'SCHEMA_MODULE',
          `table ${displayName(table.name)}, column ${column.name}: enum ${displayName(used)} is used but not exported from the schema module; export it`,
        )
      }
    }
  }
}

function enumOf(type: ColumnType): QualifiedName | undefined {
  if (type.kind === 'enum') return type.enum
  return type.kind === 'array' ? enumOf(type.element) : undefined
}
