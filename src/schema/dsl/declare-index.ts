import { KeelError } from '../../errors.js'
import type { Index, IndexPart as ModelIndexPart } from '../model.js'
import { brandOf } from './brand-of.js'
import type { ColumnRef } from './column-ref.js'
import { figureIndexColname } from './figure-index-colname.js'
import type { IndexSpec } from './index-builder.js'
import type { IndexPart } from './index-part.js'
import type { Sql } from './sql.js'

/** An index with every name resolved except its own (which may still be chosen by default). */
export interface IndexDecl extends Omit<Index, 'name'> {
  readonly name?: string
  /** Per-part names for a default index name: the column, or what PostgreSQL calls the expression. */
  readonly labels: readonly string[]
}

/** How an index resolves its targets: a column (reference or name) to its SQL name, an expression to text. */
export interface IndexScope {
  column(target: ColumnRef | string): string
  expr(fragment: Sql): string
}

/** Resolves an index declaration against its table (or materialized view). */
export function declareIndex(spec: IndexSpec, scope: IndexScope): IndexDecl {
  if (spec.parts.length === 0) {
    const label = spec.name === undefined ? 'an index' : `index ${spec.name}`
    throw new KeelError('SCHEMA_MODULE', `${label} has no key columns; add .on(...)`)
  }
  const parts = spec.parts.map((part) => declarePart(part, scope))
  const include = spec.include.map((column) => scope.column(column))
  return {
    ...(spec.name === undefined ? {} : { name: spec.name }),
    parts: parts.map(([part]) => part),
    unique: spec.unique,
    ...(spec.method === undefined || spec.method.toLowerCase() === 'btree'
      ? {}
      : { method: spec.method.toLowerCase() }),
    ...(spec.where === undefined ? {} : { where: scope.expr(spec.where) }),
    include,
    ...(spec.nullsNotDistinct ? { nullsNotDistinct: true } : {}),
    ...(spec.comment === undefined ? {} : { comment: spec.comment }),
    labels: [...parts.map(([, label]) => label), ...include],
  }
}

function declarePart(part: IndexPart, scope: IndexScope): readonly [ModelIndexPart, string] {
  const { target, options } = part
  let base: { column: string } | { expr: string }
  let label: string
  if (brandOf(target) === 'sql') {
    const expr = scope.expr(target as Sql)
    base = { expr }
    label = figureIndexColname(expr)
  } else {
    const column = scope.column(target as ColumnRef | string)
    base = { column }
    label = column
  }
  const descending = options.descending === true
  // The model states nulls placement only when it differs from the order's default (LAST for ASC, FIRST for DESC).
  const nullsFirst =
    options.nulls === 'first' && !descending ? true : options.nulls === 'last' && descending ? false : undefined
  const modelPart: ModelIndexPart = {
    ...base,
    ...(descending ? { descending: true } : {}),
    ...(nullsFirst === undefined ? {} : { nullsFirst }),
    ...(options.opclass === undefined ? {} : { opclass: options.opclass }),
    ...(options.collation === undefined ? {} : { collation: options.collation }),
  }
  return [modelPart, label]
}
