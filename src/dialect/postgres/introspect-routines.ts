import type { Check, Domain, ObjectRef, QualifiedName, Routine, Schema, Trigger } from '../../schema/model.js'
import { nameKey } from '../../schema/name.js'
import type { RoutineCatalogRows } from './introspect-read.js'
import { columnTypeFromCatalog } from './parse-type.js'
import type { DomainRow } from './queries/domains.js'
import type { RoutineRow } from './queries/routines.js'
import type { TriggerRow } from './queries/triggers.js'
import { quoteLiteral, quoteQualified } from './quote.js'

/**
 * The schema's domains, routines and triggers from their catalog rows; each field is omitted when
 * empty. Only triggers on `relations` (the tables and views introspection reports) are kept, so that a
 * trigger never outlives a relation that was left out.
 */
export function buildRoutineObjects(
  rows: RoutineCatalogRows,
  relations: readonly QualifiedName[],
): Pick<Schema, 'domains' | 'routines' | 'triggers'> {
  const kept = new Set(relations.map(nameKey))
  const domains = rows.domains.map(buildDomain)
  const routines = rows.routines.map(buildRoutine)
  const triggers = rows.triggers
    .filter((row) => kept.has(nameKey({ schema: row.schema, name: row.table })))
    .map(buildTrigger)
  return {
    ...(domains.length > 0 ? { domains } : {}),
    ...(routines.length > 0 ? { routines } : {}),
    ...(triggers.length > 0 ? { triggers } : {}),
  }
}

/** A model Domain from its row; the base type is read as a column's type is. */
export function buildDomain(row: DomainRow): Domain {
  const type = columnTypeFromCatalog(row)
  const checks = row.checks.map(
    (check): Check => ({ name: check.name, expr: check.expr, ...(check.comment ? { comment: check.comment } : {}) }),
  )
  return {
    name: { schema: row.schema, name: row.name },
    type,
    ...(row.not_null ? { notNull: true } : {}),
    ...(row.default_sql === null ? {} : { default: { kind: 'sql', sql: row.default_sql } }),
    ...(row.collation === null ? {} : { collation: row.collation }),
    checks,
    ...(row.comment ? { comment: row.comment } : {}),
  }
}

const ROUTINE_KINDS = { f: 'function', w: 'function', p: 'procedure', a: 'aggregate' } as const

/** A model Routine from its row: functions and procedures as the server prints them, aggregates rebuilt. */
export function buildRoutine(row: RoutineRow): Routine {
  const kind = ROUTINE_KINDS[row.kind]
  const name = { schema: row.schema, name: row.name }
  const definition = kind === 'aggregate' ? aggregateDefinition(name, row) : (row.definition ?? '')
  return {
    name,
    kind,
    identityArgs: row.identity_args,
    arguments: row.arguments,
    ...(row.returns === null ? {} : { returns: row.returns }),
    definition: definition.trim().replace(/;$/, ''),
    dependsOn: row.depends_on.map(
      (dep): ObjectRef =>
        dep.kind === 'routine'
          ? { kind: 'routine', name: { schema: dep.schema, name: dep.name }, identityArgs: dep.args ?? '' }
          : { kind: dep.kind, name: { schema: dep.schema, name: dep.name } },
    ),
    ...(row.comment ? { comment: row.comment } : {}),
  }
}

/** A model Trigger from its row; `enabled` is omitted for the default (O, fires in origin and local mode). */
export function buildTrigger(row: TriggerRow): Trigger {
  return {
    table: { schema: row.schema, name: row.table },
    name: row.name,
    definition: row.definition.trim(),
    function: { schema: row.function_schema, name: row.function_name },
    columns: row.columns,
    ...(row.enabled === 'O' ? {} : { enabled: row.enabled }),
    ...(row.comment ? { comment: row.comment } : {}),
  }
}

/**
 * `CREATE OR REPLACE AGGREGATE` from an aggregate's pg_aggregate facts, stating only what differs from
 * the defaults (as pg_dump does). Function and type names come printed by the server (regproc,
 * format_type), quoted and qualified where needed; INITCOND is a string literal.
 */
export function aggregateDefinition(name: QualifiedName, row: RoutineRow): string {
  const orderedSet = row.agg_kind === 'o' || row.agg_kind === 'h'
  const defaultModify = orderedSet ? 'w' : 'r'
  const modify = { r: 'READ_ONLY', s: 'SHAREABLE', w: 'READ_WRITE' } as const
  const options: string[] = []
  const add = (key: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined) options.push(`${key} = ${value}`)
  }
  add('SFUNC', row.agg_sfunc)
  add('STYPE', row.agg_stype)
  if (row.agg_sspace) add('SSPACE', String(row.agg_sspace))
  add('FINALFUNC', row.agg_finalfunc)
  if (row.agg_finalfunc_extra) options.push('FINALFUNC_EXTRA')
  if (row.agg_finalfunc_modify && row.agg_finalfunc_modify !== defaultModify)
    add('FINALFUNC_MODIFY', modify[row.agg_finalfunc_modify])
  add('COMBINEFUNC', row.agg_combinefunc)
  add('SERIALFUNC', row.agg_serialfunc)
  add('DESERIALFUNC', row.agg_deserialfunc)
  add('INITCOND', row.agg_initcond === null ? null : quoteLiteral(row.agg_initcond))
  add('MSFUNC', row.agg_msfunc)
  add('MINVFUNC', row.agg_minvfunc)
  add('MSTYPE', row.agg_msfunc === null ? null : row.agg_mstype)
  if (row.agg_msspace) add('MSSPACE', String(row.agg_msspace))
  add('MFINALFUNC', row.agg_mfinalfunc)
  if (row.agg_mfinalfunc_extra) options.push('MFINALFUNC_EXTRA')
  if (row.agg_msfunc !== null && row.agg_mfinalfunc_modify && row.agg_mfinalfunc_modify !== defaultModify)
    add('MFINALFUNC_MODIFY', modify[row.agg_mfinalfunc_modify])
  add('MINITCOND', row.agg_minitcond === null ? null : quoteLiteral(row.agg_minitcond))
  add('SORTOP', row.agg_sortop)
  if (row.parallel === 's') add('PARALLEL', 'SAFE')
  if (row.parallel === 'r') add('PARALLEL', 'RESTRICTED')
  if (row.agg_kind === 'h') options.push('HYPOTHETICAL')
  const body = options.map((option) => `    ${option}`).join(',\n')
  // An aggregate over no arguments (count(*) style) is declared with `*`.
  const args = row.arguments === '' ? '*' : row.arguments
  return `CREATE OR REPLACE AGGREGATE ${quoteQualified(name)}(${args}) (\n${body}\n)`
}
