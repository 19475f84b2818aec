import { KeelError } from '../../errors.js'
import type { Check, ForeignKey, PrimaryKey, UniqueConstraint } from '../model.js'
import { displayName } from '../name.js'
import { brandOf, stateOf } from './brand-of.js'
import type { ColumnConfig } from './column-builder.js'
import type { ColumnRef } from './column-ref.js'
import type { CheckSpec, ForeignKeySpec, PrimaryKeySpec, UniqueBuilder } from './constraints.js'
import { declareIndex, type IndexDecl, type IndexScope } from './declare-index.js'
import { deferrableOf, type ForeignKeyActions, referentialAction } from './foreign-key-options.js'
import type { IndexBuilder } from './index-builder.js'
import { renderSql } from './render-sql.js'
import { inContext, type SchemaNames, type TableNames } from './schema-names.js'
import { isPunct, tokenizeSql } from './sql-tokens.js'
import type { TableState } from './table.js'

type Unnamed<T extends { readonly name: string }> = Omit<T, 'name'> & { readonly name?: string }

/** A column with its resolved SQL name. */
export interface ColumnDecl {
  readonly key: string
  readonly name: string
  readonly config: ColumnConfig
}

/** A check with its resolved text; `column` is the one column it mentions, if exactly one (for its default name). */
export type CheckDecl = Unnamed<Check> & { readonly column?: string }

/** A table with every column and reference resolved; only default constraint and index names remain to choose. */
export interface TableDecl {
  readonly state: TableState
  readonly names: TableNames
  readonly columns: readonly ColumnDecl[]
  readonly primaryKey?: Unnamed<PrimaryKey>
  readonly uniques: readonly Unnamed<UniqueConstraint>[]
  readonly indexes: readonly IndexDecl[]
  readonly foreignKeys: readonly Unnamed<ForeignKey>[]
  readonly checks: readonly CheckDecl[]
}

/** Resolves a table's columns, extras and references (calling its extras callback and reference thunks). */
export function declareTable(state: TableState, schemaNames: SchemaNames): TableDecl {
  const names = schemaNames.table(state)
  return inContext(`table ${displayName(names.name)}`, () => {
    const columns = [...names.columns].map(([key, name]) => ({
      key,
      name,
      config: state.columns[key]?.config as ColumnConfig,
    }))
    const own = (ref: ColumnRef | string, what: string): string =>
      typeof ref === 'string' ? namedColumn(state, names, ref, what) : ownColumn(state, names, ref, what)
    const extras = evaluateExtras(state)
    const primaryKey = declarePrimaryKey(columns, extras.primaryKeys, own)
    const uniques = declareUniques(columns, extras.uniques, own, primaryKey)
    const scope: IndexScope = {
      column: (target) => own(target, 'an index'),
      expr: (fragment) => renderSql(fragment, schemaNames, state).text,
    }
    const indexes = extras.indexes.map((spec) => declareIndex(spec.spec, scope))
    const foreignKeys = [
      ...columns.flatMap((column) => declareReference(column, schemaNames)),
      ...extras.foreignKeys.map((spec) => declareForeignKey(spec, schemaNames, own)),
    ]
    const checks = extras.checks.map((spec) => declareCheck(spec, schemaNames, state, names))
    return {
      state,
      names,
      columns,
      ...(primaryKey === undefined ? {} : { primaryKey }),
      uniques,
      indexes,
      foreignKeys,
      checks,
    }
  })
}

interface Extras {
  readonly indexes: IndexBuilder[]
  readonly uniques: UniqueBuilder[]
  readonly primaryKeys: PrimaryKeySpec[]
  readonly foreignKeys: ForeignKeySpec[]
  readonly checks: CheckSpec[]
}

function evaluateExtras(state: TableState): Extras {
  const extras: Extras = { indexes: [], uniques: [], primaryKeys: [], foreignKeys: [], checks: [] }
  const returned = state.extras?.(state.refs) ?? []
  const list: readonly unknown[] = Array.isArray(returned) ? returned : Object.values(returned)
  for (const item of list) {
    const brand = brandOf(item)
    if (brand === 'index') extras.indexes.push(item as IndexBuilder)
    else if (brand === 'unique') extras.uniques.push(item as UniqueBuilder)
    else if (brand === 'primaryKey') extras.primaryKeys.push(item as PrimaryKeySpec)
    else if (brand === 'foreignKey') extras.foreignKeys.push(item as ForeignKeySpec)
    else if (brand === 'check') extras.checks.push(item as CheckSpec)
    else {
      throw new KeelError(
        'SCHEMA_MODULE',
        'the extras callback returned something that is not an index, unique, primaryKey, foreignKey or check',
      )
    }
  }
  return extras
}

function ownColumn(state: TableState, names: TableNames, ref: ColumnRef, what: string): string {
  if (brandOf(ref) !== 'ref')
    throw new KeelError('SCHEMA_MODULE', `${what} lists something that is not a column (use t.name)`)
  const owner = stateOf<TableState>(ref.table)
  if (owner !== state) {
    throw new KeelError('SCHEMA_MODULE', `${what} uses ${owner.name}.${ref.key}, a column of another table`)
  }
  return names.columns.get(ref.key) as string
}

/**
 * A column named by string: its TypeScript key, or its SQL name; on a partition or INHERITS child, also a column it
 * has from its parent, which it does not declare.
 */
function namedColumn(state: TableState, names: TableNames, name: string, what: string): string {
  const byKey = names.columns.get(name)
  if (byKey !== undefined) return byKey
  if ([...names.columns.values()].includes(name)) return name
  const { partitionOf, inherits } = state.options
  if (partitionOf !== undefined || (inherits !== undefined && inherits.length > 0)) return name
  throw new KeelError('SCHEMA_MODULE', `${what} names column "${name}", which the table does not have`)
}

function declarePrimaryKey(
  columns: readonly ColumnDecl[],
  specs: readonly PrimaryKeySpec[],
  own: (ref: ColumnRef | string, what: string) => string,
): Unnamed<PrimaryKey> | undefined {
  const columnLevel = columns.filter((column) => column.config.primaryKey !== undefined)
  if (columnLevel.length + specs.length > 1) {
    const which = [...columnLevel.map((c) => `${c.key}.primaryKey()`), ...specs.map(() => 'primaryKey(...)')]
    throw new KeelError(
      'SCHEMA_MODULE',
      `more than one primary key (${which.join(', ')}); for a composite key use primaryKey(t.a, t.b) alone`,
    )
  }
  const column = columnLevel[0]
  if (column !== undefined) {
    const name = column.config.primaryKey?.name
    return name === undefined ? { columns: [column.name] } : { name, columns: [column.name] }
  }
  const spec = specs[0]
  if (spec === undefined) return undefined
  if (spec.columns.length === 0) throw new KeelError('SCHEMA_MODULE', 'primaryKey() needs at least one column')
  const pkColumns = spec.columns.map((ref) => own(ref, 'the primary key'))
  return spec.name === undefined ? { columns: pkColumns } : { name: spec.name, columns: pkColumns }
}

function declareUniques(
  columns: readonly ColumnDecl[],
  specs: readonly UniqueBuilder[],
  own: (ref: ColumnRef | string, what: string) => string,
  primaryKey: Unnamed<PrimaryKey> | undefined,
): Unnamed<UniqueConstraint>[] {
  const uniques: Unnamed<UniqueConstraint>[] = []
  for (const column of columns) {
    const unique = column.config.unique
    if (unique === undefined) continue
    uniques.push({
      ...(unique.name === undefined ? {} : { name: unique.name }),
      columns: [column.name],
      ...(unique.nullsNotDistinct ? { nullsNotDistinct: true } : {}),
    })
  }
  for (const { spec } of specs) {
    if (spec.columns.length === 0) throw new KeelError('SCHEMA_MODULE', 'unique() needs columns; add .on(...)')
    const deferrable = deferrableOf(spec.deferrable)
    uniques.push({
      ...(spec.name === undefined ? {} : { name: spec.name }),
      columns: spec.columns.map((ref) => own(ref, 'a unique constraint')),
      ...(spec.nullsNotDistinct ? { nullsNotDistinct: true } : {}),
      ...(deferrable === undefined ? {} : { deferrable }),
      ...(spec.comment === undefined ? {} : { comment: spec.comment }),
    })
  }
  // PostgreSQL silently drops a unique constraint that repeats the primary key or another one; say so instead.
  const seen = primaryKey === undefined ? [] : [primaryKey.columns.join(',')]
  for (const unique of uniques) {
    const key = unique.columns.join(',')
    if (seen.includes(key)) {
      throw new KeelError(
        'SCHEMA_MODULE',
        `unique (${unique.columns.join(', ')}) repeats the primary key or another unique constraint`,
      )
    }
    seen.push(key)
  }
  return uniques
}

function foreignKeyFields(
  actions: ForeignKeyActions,
): Pick<ForeignKey, 'onDelete' | 'onUpdate' | 'matchFull' | 'deferrable'> {
  const deferrable = deferrableOf(actions.deferrable)
  return {
    onDelete: referentialAction(actions.onDelete),
    onUpdate: referentialAction(actions.onUpdate),
    ...(actions.matchFull === true ? { matchFull: true } : {}),
    ...(deferrable === undefined ? {} : { deferrable }),
  }
}

function declareReference(column: ColumnDecl, schemaNames: SchemaNames): Unnamed<ForeignKey>[] {
  const reference = column.config.references
  if (reference === undefined) return []
  return inContext(`column ${column.key} references`, () => {
    const target = reference.target()
    if (brandOf(target) !== 'ref') {
      throw new KeelError('SCHEMA_MODULE', 'the callback must return a column, as in .references(() => users.id)')
    }
    const targetNames = schemaNames.table(stateOf<TableState>(target.table))
    return [
      {
        ...(reference.name === undefined ? {} : { name: reference.name }),
        columns: [column.name],
        references: { table: targetNames.name, columns: [schemaNames.column(target)] },
        ...foreignKeyFields(reference),
      },
    ]
  })
}

function declareForeignKey(
  spec: ForeignKeySpec,
  schemaNames: SchemaNames,
  own: (ref: ColumnRef | string, what: string) => string,
): Unnamed<ForeignKey> {
  const label = spec.name === undefined ? 'a foreign key' : `foreign key ${spec.name}`
  if (spec.columns.length === 0 || spec.columns.length !== spec.foreignColumns.length) {
    throw new KeelError('SCHEMA_MODULE', `${label} needs as many foreignColumns as columns, at least one`)
  }
  const columns = spec.columns.map((ref) => own(ref, label))
  const targets = spec.foreignColumns.map((ref) => {
    if (brandOf(ref) !== 'ref') throw new KeelError('SCHEMA_MODULE', `${label}: foreignColumns must be columns`)
    return ref
  })
  const targetState = stateOf<TableState>((targets[0] as ColumnRef).table)
  if (targets.some((ref) => stateOf<TableState>(ref.table) !== targetState)) {
    throw new KeelError('SCHEMA_MODULE', `${label}: foreignColumns must all belong to one table`)
  }
  const targetNames = inContext(label, () => schemaNames.table(targetState))
  return {
    ...(spec.name === undefined ? {} : { name: spec.name }),
    columns,
    references: { table: targetNames.name, columns: targets.map((ref) => schemaNames.column(ref)) },
    ...foreignKeyFields(spec),
    ...(spec.notValid === true ? { notValid: true } : {}),
  }
}

function declareCheck(spec: CheckSpec, schemaNames: SchemaNames, state: TableState, names: TableNames): CheckDecl {
  const expr = renderSql(spec.expr, schemaNames, state).text.trim()
  const mentioned = mentionedColumns(expr, new Set(names.columns.values()))
  return {
    ...(spec.name === undefined ? {} : { name: spec.name }),
    expr,
    ...(spec.noInherit === true ? { noInherit: true } : {}),
    ...(spec.notValid === true ? { notValid: true } : {}),
    ...(mentioned.size === 1 ? { column: [...mentioned][0] as string } : {}),
  }
}

/**
 * The table's columns an expression mentions, as PostgreSQL's pull_var_clause would find them: identifiers
 * (folded unless quoted) equal to a column name, except function names, qualifiers (`t.` in `t.col`) and type names.
 */
export function mentionedColumns(expr: string, columns: ReadonlySet<string>): Set<string> {
  const tokens = tokenizeSql(expr)
  const found = new Set<string>()
  tokens.forEach((token, i) => {
    if (token.kind !== 'ident' || !columns.has(token.value)) return
    const before = tokens[i - 1]
    const after = tokens[i + 1]
    if (isPunct(after, '(') || isPunct(after, '.') || isPunct(before, '::')) return
    found.add(token.value)
  })
  return found
}
