import type { Change } from '../diff/change.js'
import type { Column, ColumnType, Index, QualifiedName, RowPolicy, Table } from '../schema/model.js'
import { blankLiterals } from './sql-literals.js'

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
  const { objects, texts } = readSourcesOf(change)
  return [...objects.map((o) => o.name.toLowerCase()), ...texts.flatMap(wordsOf)]
}

/**
 * What a change's object reads (see readsOf), as the model has it: the objects it names by their qualified names, and
 * the texts (expressions, definitions, types the model keeps as the server spells them) that name others in their
 * words. step-ties-names.ts reads the texts' names with their schemas.
 */
export interface ReadSources {
  readonly objects: readonly QualifiedName[]
  readonly texts: readonly string[]
}

/** The objects and texts a change's object reads (see readsOf). */
export function readSourcesOf(change: Change): ReadSources {
  const objects: QualifiedName[] = []
  const texts: string[] = []
  const reads: Reads = { objects, texts }
  switch (change.kind) {
    case 'createTable':
    case 'dropTable':
      tableReads(change.table, reads)
      break
    case 'addColumn':
    case 'dropColumn':
      columnReads(change.column, reads)
      break
    case 'alterColumn':
      columnReads(change.from, reads)
      columnReads(change.to, reads)
      break
    case 'createIndex':
    case 'dropIndex':
      indexReads(change.index, reads)
      break
    case 'addCheck':
    case 'dropCheck':
      texts.push(change.check.expr)
      break
    case 'addForeignKey':
    case 'dropForeignKey':
      objects.push(change.foreignKey.references.table)
      break
    case 'createView':
    case 'dropView':
      objects.push(...change.view.dependsOn)
      texts.push(change.view.definition)
      break
    case 'createRoutine':
    case 'dropRoutine':
      objects.push(...change.routine.dependsOn.map((d) => d.name))
      break
    case 'createDomain':
    case 'dropDomain':
      typeReads(change.domain.type, reads)
      texts.push(...change.domain.checks.map((c) => c.expr))
      break
    case 'createTrigger':
    case 'dropTrigger':
      objects.push(change.trigger.function)
      texts.push(change.trigger.definition)
      break
    case 'createPolicy':
    case 'dropPolicy':
      policyReads(change.policy, reads)
      break
    case 'alterPolicy':
      policyReads(change.from, reads)
      policyReads(change.to, reads)
      break
    case 'addExclusion':
    case 'dropExclusion':
      texts.push(change.exclusion.definition)
      break
    case 'createRule':
    case 'dropRule':
      objects.push(...change.rule.dependsOn)
      texts.push(change.rule.definition)
      break
    default:
      break
  }
  return reads
}

interface Reads {
  readonly objects: QualifiedName[]
  readonly texts: string[]
}

function tableReads(table: Table, reads: Reads): void {
  for (const column of table.columns) columnReads(column, reads)
  for (const index of table.indexes) indexReads(index, reads)
  reads.texts.push(...table.checks.map((c) => c.expr))
  reads.objects.push(...table.foreignKeys.map((fk) => fk.references.table))
  reads.texts.push(...(table.exclusions ?? []).map((e) => e.definition))
}

function columnReads(column: Column, reads: Reads): void {
  typeReads(column.type, reads)
  if (column.default) reads.texts.push(column.default.sql)
  if (column.generated) reads.texts.push(column.generated.expr)
}

/** An enum's name, or the text of a type the model keeps as the server spells it (a domain's name, say). */
function typeReads(type: ColumnType, reads: Reads): void {
  if (type.kind === 'enum') reads.objects.push(type.enum)
  else if (type.kind === 'array') typeReads(type.element, reads)
  else if (type.kind === 'native') reads.texts.push(type.sql)
}

function policyReads(policy: RowPolicy, reads: Reads): void {
  reads.texts.push(policy.using ?? '', policy.withCheck ?? '')
}

function indexReads(index: Index, reads: Reads): void {
  for (const part of index.parts) if (part.expr) reads.texts.push(part.expr)
  if (index.where) reads.texts.push(index.where)
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
  const text = withoutLiterals(sql)
  const words: string[] = []
  // Every character from U+0080 is a letter of an identifier, as PostgreSQL's scanner takes bytes from 0x80 (`café`).
  for (const match of text.matchAll(/"((?:[^"]|"")+)"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/g))
    words.push((match[1] !== undefined ? match[1].replace(/""/g, '"') : match[0]).toLowerCase())
  return words
}

/**
 * `sql` with its string literals blanked (sql-literals.ts), but for one that names a relation (see wordsOf): its text
 * stays, unquoted. Of `sql`'s length, each character where it was (step-ties-names.ts reads positions in both).
 */
export function withoutLiterals(sql: string): string {
  return blankLiterals(
    // A quote in the name stays out: put back, it would open a literal below.
    sql.replace(
      RELATION_LITERAL,
      (_, called?: string, cast?: string) => ` ${(called ?? cast ?? '').replaceAll("''", '  ')} `,
    ),
  )
}
