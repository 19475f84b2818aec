import { assertNever } from '../../assert-never.js'
import type {
  Check,
  Deferrable,
  Exclusion,
  ForeignKey,
  Index,
  IndexPart,
  PrimaryKey,
  ReferentialAction,
  UniqueConstraint,
} from '../../schema/model.js'
import type { CommentLookup } from './introspect-columns.js'
import type { ConstraintRow } from './queries/constraints.js'
import type { IndexPartRow, IndexRow } from './queries/indexes.js'

/** A table's constraints, sorted out by kind. */
export interface TableConstraints {
  primaryKey?: PrimaryKey
  readonly uniques: UniqueConstraint[]
  readonly foreignKeys: ForeignKey[]
  readonly checks: Check[]
  readonly exclusions: Exclusion[]
}

/** Groups constraint rows by table OID and turns them into model objects. */
export function buildConstraints(
  rows: readonly ConstraintRow[],
  comments: CommentLookup,
): Map<string, TableConstraints> {
  const byTable = new Map<string, TableConstraints>()
  for (const row of rows) {
    let constraints = byTable.get(row.table_oid)
    if (constraints === undefined) {
      constraints = { uniques: [], foreignKeys: [], checks: [], exclusions: [] }
      byTable.set(row.table_oid, constraints)
    }
    const comment = comments('pg_constraint', row.oid)
    const commented = comment === undefined ? {} : { comment }
    switch (row.type) {
      case 'p':
        constraints.primaryKey = { name: row.name, columns: row.columns, ...deferrable(row) }
        break
      case 'u':
        constraints.uniques.push({
          name: row.name,
          columns: row.columns,
          ...(row.nulls_not_distinct ? { nullsNotDistinct: true } : {}),
          ...deferrable(row),
          ...commented,
        })
        break
      case 'f':
        constraints.foreignKeys.push({ ...buildForeignKey(row), ...commented })
        break
      case 'c':
        constraints.checks.push({
          name: row.name,
          expr: row.check_expr ?? '',
          ...(row.no_inherit ? { noInherit: true } : {}),
          ...(row.not_valid ? { notValid: true } : {}),
          ...commented,
        })
        break
      case 'x':
        constraints.exclusions.push({ ...buildExclusion(row), ...commented })
        break
      default:
        assertNever(row.type)
    }
  }
  return byTable
}

const ACTIONS: Readonly<Record<string, ReferentialAction>> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
}

function buildForeignKey(row: ConstraintRow): ForeignKey {
  return {
    name: row.name,
    columns: row.columns,
    references: {
      table: { schema: row.ref_schema ?? '', name: row.ref_table ?? '' },
      columns: row.ref_columns ?? [],
    },
    onDelete: ACTIONS[row.on_delete] ?? 'NO ACTION',
    onUpdate: ACTIONS[row.on_update] ?? 'NO ACTION',
    ...(row.match_type === 'f' ? { matchFull: true } : {}),
    ...deferrable(row),
    ...(row.not_valid ? { notValid: true } : {}),
  }
}

/** pg_get_constraintdef ends with the DEFERRABLE clauses, which the model keeps apart. */
function buildExclusion(row: ConstraintRow): Exclusion {
  const definition = (row.exclusion_def ?? '').replace(/ DEFERRABLE( INITIALLY DEFERRED)?$/, '')
  return { name: row.name, definition, ...deferrable(row) }
}

function deferrable(row: ConstraintRow): { readonly deferrable?: Deferrable } {
  return row.deferrable ? { deferrable: { initiallyDeferred: row.deferred } } : {}
}

/** Groups index rows by the OID of their table or materialized view. */
export function buildIndexes(rows: readonly IndexRow[], comments: CommentLookup): Map<string, Index[]> {
  const byRelation = new Map<string, Index[]>()
  for (const row of rows) {
    const comment = comments('pg_class', row.oid)
    const index: Index = {
      name: row.name,
      parts: row.parts.slice(0, row.key_count).map(buildIndexPart),
      unique: row.unique,
      method: row.method,
      ...(row.where === null ? {} : { where: row.where }),
      include: row.parts.slice(row.key_count).map((part) => part.column ?? ''),
      ...(row.nulls_not_distinct ? { nullsNotDistinct: true } : {}),
      ...(comment === undefined ? {} : { comment }),
    }
    const indexes = byRelation.get(row.table_oid)
    if (indexes === undefined) byRelation.set(row.table_oid, [index])
    else indexes.push(index)
  }
  return byRelation
}

/** indoption bits (pg_index.h): INDOPTION_DESC 0x1, INDOPTION_NULLS_FIRST 0x2. */
function buildIndexPart(row: IndexPartRow): IndexPart {
  const option = row.option ?? 0
  return {
    ...(row.column === null ? { expr: row.expr ?? '' } : { column: row.column }),
    ...((option & 1) !== 0 ? { descending: true } : {}),
    // Only where it is not the direction's default (NULLS LAST for ASC, FIRST for DESC), as normalisation keeps it.
    ...(((option & 2) !== 0) !== ((option & 1) !== 0) ? { nullsFirst: (option & 2) !== 0 } : {}),
    ...(row.opclass === null ? {} : { opclass: row.opclass }),
    ...(row.collation === null ? {} : { collation: row.collation }),
  }
}
