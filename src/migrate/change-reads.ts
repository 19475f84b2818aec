import type { Change } from '../diff/change.js'
import type { Column, ColumnType, Index, RowPolicy, Table } from '../schema/model.js'

/**
 * The names of the objects that a change's object reads, as the model has them (lower-cased, without their schema,
 * as whole-runs.ts compares names): the types of its columns, the relations and routines its definition names, the
 * table a foreign key references. A drop's SQL names only what it drops (`DROP TABLE public.notes`), while the object
 * it drops still holds the others until it runs: a table with a column of an enum must be dropped before the enum's
 * old type is (2BP01, round trip seed 896117121, path "45"). Words of expressions (defaults, checks, index predicates,
 * view definitions) are taken as they are, column names among them: a false name only keeps two steps in order.
 * A policy's expressions and a trigger's definition (its WHEN) are read too: the enum's recreation drops and makes again
 * those that cast to the type (diff/enum-dependents.ts castReaders), on tables it does not convert, and `DROP POLICY p
 * ON public.tags` names nothing of it; left out of the run, a failed conversion left the policy dropped.
 */
export function readsOf(change: Change): string[] {
  switch (change.kind) {
    case 'createTable':
    case 'dropTable':
      return tableReads(change.table)
    case 'addColumn':
    case 'dropColumn':
      return columnReads(change.column)
    case 'alterColumn':
      return [...columnReads(change.from), ...columnReads(change.to)]
    case 'createIndex':
    case 'dropIndex':
      return indexReads(change.index)
    case 'addCheck':
    case 'dropCheck':
      return wordsOf(change.check.expr)
    case 'addForeignKey':
    case 'dropForeignKey':
      return [change.foreignKey.references.table.name.toLowerCase()]
    case 'createView':
    case 'dropView':
      return [...change.view.dependsOn.map((d) => d.name.toLowerCase()), ...wordsOf(change.view.definition)]
    case 'createRoutine':
    case 'dropRoutine':
      return change.routine.dependsOn.map((d) => d.name.name.toLowerCase())
    case 'createDomain':
    case 'dropDomain':
      return [...typeReads(change.domain.type), ...change.domain.checks.flatMap((c) => wordsOf(c.expr))]
    case 'createTrigger':
    case 'dropTrigger':
      return [change.trigger.function.name.toLowerCase(), ...wordsOf(change.trigger.definition)]
    case 'createPolicy':
    case 'dropPolicy':
      return policyReads(change.policy)
    case 'alterPolicy':
      return [...policyReads(change.from), ...policyReads(change.to)]
    case 'addExclusion':
    case 'dropExclusion':
      return wordsOf(change.exclusion.definition)
    case 'createRule':
    case 'dropRule':
      return [...change.rule.dependsOn.map((d) => d.name.toLowerCase()), ...wordsOf(change.rule.definition)]
    default:
      return []
  }
}

function tableReads(table: Table): string[] {
  return [
    ...table.columns.flatMap(columnReads),
    ...table.indexes.flatMap(indexReads),
    ...table.checks.flatMap((c) => wordsOf(c.expr)),
    ...table.foreignKeys.map((fk) => fk.references.table.name.toLowerCase()),
    ...(table.exclusions ?? []).flatMap((e) => wordsOf(e.definition)),
  ]
}

function columnReads(column: Column): string[] {
  return [
    ...typeReads(column.type),
    ...(column.default ? wordsOf(column.default.sql) : []),
    ...(column.generated ? wordsOf(column.generated.expr) : []),
  ]
}

/** An enum's name, or the words of a type the model keeps as the server spells it (a domain's name, say). */
function typeReads(type: ColumnType): string[] {
  if (type.kind === 'enum') return [type.enum.name.toLowerCase()]
  if (type.kind === 'array') return typeReads(type.element)
  if (type.kind === 'native') return wordsOf(type.sql)
  return []
}

function policyReads(policy: RowPolicy): string[] {
  return [...wordsOf(policy.using ?? ''), ...wordsOf(policy.withCheck ?? '')]
}

function indexReads(index: Index): string[] {
  return [...index.parts.flatMap((p) => (p.expr ? wordsOf(p.expr) : [])), ...(index.where ? wordsOf(index.where) : [])]
}

/** A string literal cast to regclass, or the first argument of nextval, currval or setval (its text in either group). */
const RELATION_LITERAL =
  /(?<=\b(?:nextval|currval|setval)\s*\(\s*)'((?:[^']|'')*)'|'((?:[^']|'')*)'(?=\s*::\s*regclass\b)/gi

/**
 * The identifiers of a statement or expression, lower-cased and unquoted; string literals left out, but for one that
 * names a relation: `nextval('public.s'::regclass)`, a default as the server prints it, reads the sequence s. Left out,
 * an ADD COLUMN with that default moved before an enum's run (tied by its table to a concurrent build) ahead of the
 * CREATE SEQUENCE the planner put before it (42P01).
 */
export function wordsOf(sql: string): string[] {
  const text = sql
    // A quote in the name stays out: put back, it would open a literal below.
    .replace(
      RELATION_LITERAL,
      (_, called?: string, cast?: string) => ` ${(called ?? cast ?? '').replaceAll("''", ' ')} `,
    )
    .replace(/'(?:[^']|'')*'/g, ' ')
  const words: string[] = []
  for (const match of text.matchAll(/"((?:[^"]|"")+)"|[A-Za-z_][A-Za-z0-9_$]*/g))
    words.push((match[1] !== undefined ? match[1].replace(/""/g, '"') : match[0]).toLowerCase())
  return words
}
