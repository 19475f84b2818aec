import { KeelError } from '../../errors.js'
import type { EnumType, IntegerType, QualifiedName, Sequence, View } from '../model.js'
import { displayName, qualified } from '../name.js'
import { brandOf, stateOf } from './brand-of.js'
import { nameIndex } from './build-table.js'
import type { ColumnRef } from './column-ref.js'
import { declareIndex } from './declare-index.js'
import type { EnumState } from './enum-type.js'
import type { NamespaceNames } from './naming.js'
import { renderSql } from './render-sql.js'
import { inContext, namespaceKey, type SchemaNames } from './schema-names.js'
import type { SequenceState } from './sequence.js'
import { sequenceOptions } from './sequence-options.js'
import { isPunct, tokenizeSql } from './sql-tokens.js'
import type { TableState } from './table.js'
import type { ViewState } from './view.js'

/** The model's `EnumType`. */
export function buildEnum(state: EnumState): EnumType {
  return {
    name: qualified(state.name, state.schema),
    values: state.values,
    ...(state.comment === undefined ? {} : { comment: state.comment }),
  }
}

const integerTypes: Readonly<Record<'smallint' | 'integer' | 'bigint', IntegerType>> = {
  smallint: { kind: 'integer', bytes: 2 },
  integer: { kind: 'integer', bytes: 4 },
  bigint: { kind: 'integer', bytes: 8 },
}

/** The model's `Sequence`, with options at PostgreSQL's defaults left out (bigint included). */
export function buildSequence(state: SequenceState, schemaNames: SchemaNames): Sequence {
  const { config } = state
  const name = qualified(state.name, config.schema)
  const type = integerTypes[config.type ?? 'bigint']
  const ownedBy = config.ownedBy === undefined ? undefined : ownerOf(config.ownedBy, name, schemaNames)
  return {
    name,
    ...(type.bytes === 8 ? {} : { type }),
    ...inContext(`sequence ${displayName(name)}`, () => sequenceOptions(config, type.bytes)),
    ...(ownedBy === undefined ? {} : { ownedBy }),
    ...(config.comment === undefined ? {} : { comment: config.comment }),
    ...(config.privileges === undefined ? {} : { privileges: config.privileges }),
  }
}

function ownerOf(
  owner: ColumnRef | (() => ColumnRef),
  name: QualifiedName,
  schemaNames: SchemaNames,
): Sequence['ownedBy'] {
  return inContext(`sequence ${displayName(name)} ownedBy`, () => {
    const ref = typeof owner === 'function' ? owner() : owner
    if (brandOf(ref) !== 'ref') throw new KeelError('SCHEMA_MODULE', 'ownedBy must be a column, such as orders.number')
    return { table: schemaNames.table(stateOf<TableState>(ref.table)).name, column: schemaNames.column(ref) }
  })
}

/**
 * The model's `View`. Dependencies are the tables and views the `sql` template interpolates, plus those listed in
 * `dependsOn`, or without that list, the exported tables and views whose names appear in the text.
 */
export function buildView(
  state: ViewState,
  schemaNames: SchemaNames,
  known: ReadonlyMap<string, QualifiedName>,
  names: NamespaceNames,
): View {
  const name = qualified(state.name, state.options.schema)
  return inContext(`view ${displayName(name)}`, () => {
    const { options } = state
    const rendered =
      typeof state.definition === 'string'
        ? { text: state.definition, relations: [] }
        : renderSql(state.definition, schemaNames)
    const definition = rendered.text.trim().replace(/;\s*$/, '').trimEnd()
    const listed = (options.dependsOn ?? []).map((dep) => {
      const brand = brandOf(dep)
      return schemaNames.object(stateOf<object>(dep), brand === 'view' ? 'view' : 'table')
    })
    // An explicit list replaces the scan of the text, whose guesses may include look-alikes.
    const scanned = options.dependsOn === undefined ? mentionedRelations(definition, known) : []
    const dependsOn = uniqueNames([...rendered.relations, ...listed, ...scanned]).filter(
      (dep) => relationKey(dep.schema, dep.name) !== relationKey(name.schema, name.name),
    )
    const scope = {
      column: (target: ColumnRef | string): string => {
        if (typeof target === 'string') return target
        throw new KeelError('SCHEMA_MODULE', "a view index names its columns as strings, e.g. index().on('total')")
      },
      expr: (fragment: Parameters<typeof renderSql>[0]): string => renderSql(fragment, schemaNames).text,
    }
    const indexes = (options.indexes ?? []).map((index) =>
      nameIndex(declareIndex(index.spec, scope), state.name, names),
    )
    if (indexes.length > 0 && options.materialized !== true) {
      throw new KeelError('SCHEMA_MODULE', 'only a materialized view can have indexes')
    }
    return {
      name,
      definition,
      materialized: options.materialized === true,
      dependsOn,
      indexes,
      ...(options.comment === undefined ? {} : { comment: options.comment }),
      ...(options.privileges === undefined ? {} : { privileges: options.privileges }),
      ...(options.renamedFrom === undefined
        ? {}
        : {
            renamedFrom:
              typeof options.renamedFrom === 'string'
                ? qualified(options.renamedFrom, name.schema)
                : options.renamedFrom,
          }),
    }
  })
}

/** Lookup key for `known` relations: namespace (default `public`) and name. */
export function relationKey(schema: string | undefined, name: string): string {
  return `${namespaceKey(schema)}\u0000${name}`
}

/** Known relations named in SQL text, as `name` (default namespace) or `schema.name`. */
function mentionedRelations(text: string, known: ReadonlyMap<string, QualifiedName>): QualifiedName[] {
  const tokens = tokenizeSql(text)
  const found: QualifiedName[] = []
  tokens.forEach((token, i) => {
    if (token.kind !== 'ident' || isPunct(tokens[i - 1], '.')) return
    const next = tokens[i + 2]
    const qualifiedMatch =
      isPunct(tokens[i + 1], '.') && next?.kind === 'ident'
        ? known.get(relationKey(token.value, next.value))
        : undefined
    const match = qualifiedMatch ?? known.get(relationKey(undefined, token.value))
    if (match !== undefined) found.push(match)
  })
  return found
}

function uniqueNames(names: readonly QualifiedName[]): QualifiedName[] {
  const seen = new Set<string>()
  return names.filter((name) => {
    const key = relationKey(name.schema, name.name)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
