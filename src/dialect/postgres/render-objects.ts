/**
 * DDL for the objects that are not tables: namespaces, extensions, enums, sequences, views, and
 * COMMENT ON for everything. One statement per function, no trailing semicolon.
 */
import { assertNever } from '../../assert-never.js'
import type { CommentTarget } from '../../diff/change.js'
import type {
  EnumType,
  Extension,
  QualifiedName,
  Sequence,
  SequenceOptions,
  SequenceValue,
  View,
} from '../../schema/model.js'
import { sequenceBigInt } from '../../schema/sequence-value.js'
import { quoteColumnRef, quoteIdent, quoteLiteral, quoteQualified } from './quote.js'
import { indexName, renderSequenceOptions } from './render.js'
import { renderIntegerType } from './render-type.js'

/** `CREATE SCHEMA name` */
export function renderCreateNamespace(name: string): string {
  return `CREATE SCHEMA ${quoteIdent(name)}`
}

/** `DROP SCHEMA name` (never CASCADE: a namespace that still holds objects is an error, not a silent loss). */
export function renderDropNamespace(name: string): string {
  return `DROP SCHEMA ${quoteIdent(name)}`
}

/** `CREATE EXTENSION name [SCHEMA s] [VERSION 'v']` */
export function renderCreateExtension(extension: Extension): string {
  const schema = extension.schema === undefined ? '' : ` SCHEMA ${quoteIdent(extension.schema)}`
  const version = extension.version === undefined ? '' : ` VERSION ${quoteLiteral(extension.version)}`
  return `CREATE EXTENSION ${quoteIdent(extension.name)}${schema}${version}`
}

/** `DROP EXTENSION name` */
export function renderDropExtension(extension: Extension): string {
  return `DROP EXTENSION ${quoteIdent(extension.name)}`
}

/** `CREATE TYPE name AS ENUM ('a', 'b')` */
export function renderCreateEnum(name: QualifiedName, values: readonly string[]): string {
  return `CREATE TYPE ${quoteQualified(name)} AS ENUM (${values.map(quoteLiteral).join(', ')})`
}

/** `DROP TYPE name` */
export function renderDropType(name: QualifiedName): string {
  return `DROP TYPE ${quoteQualified(name)}`
}

/** `ALTER TYPE name ADD VALUE 'v' [BEFORE|AFTER 'w']` */
export function renderAddEnumValue(
  enumType: EnumType,
  value: string,
  position?: { readonly before: string } | { readonly after: string },
): string {
  const where =
    position === undefined
      ? ''
      : 'before' in position
        ? ` BEFORE ${quoteLiteral(position.before)}`
        : ` AFTER ${quoteLiteral(position.after)}`
  return `ALTER TYPE ${quoteQualified(enumType.name)} ADD VALUE ${quoteLiteral(value)}${where}`
}

/** `ALTER TYPE name RENAME TO other` (the new name stays in the type's namespace). */
export function renderRenameType(name: QualifiedName, to: string): string {
  return `ALTER TYPE ${quoteQualified(name)} RENAME TO ${quoteIdent(to)}`
}

/** `CREATE SEQUENCE name [options] [OWNED BY table.column]` */
export function renderCreateSequence(sequence: Sequence): string {
  const clauses = renderSequenceOptions(sequence, true)
  if (sequence.ownedBy !== undefined) {
    clauses.push(`OWNED BY ${quoteColumnRef(sequence.ownedBy.table, sequence.ownedBy.column)}`)
  }
  return [`CREATE SEQUENCE ${quoteQualified(sequence.name)}`, ...clauses].join(' ')
}

/** `DROP SEQUENCE name` */
export function renderDropSequence(name: QualifiedName): string {
  return `DROP SEQUENCE ${quoteQualified(name)}`
}

/** `ALTER SEQUENCE name OWNED BY table.column | NONE` */
export function renderSequenceOwnedBy(name: QualifiedName, ownedBy: Sequence['ownedBy']): string {
  const owner = ownedBy === undefined ? 'NONE' : quoteColumnRef(ownedBy.table, ownedBy.column)
  return `ALTER SEQUENCE ${quoteQualified(name)} OWNED BY ${owner}`
}

/**
 * The option clauses that turn sequence options `from` into `to`, restoring PostgreSQL's default
 * where `to` omits an option (`NO MAXVALUE`, `CACHE 1`, ...). Identity columns use the same clauses,
 * each after `SET`. Empty when nothing differs.
 */
export function sequenceOptionChanges(from: SequenceOptions, to: SequenceOptions, withType: boolean): string[] {
  const clauses: string[] = []
  if (withType && from.type?.bytes !== to.type?.bytes) {
    clauses.push(`AS ${to.type === undefined ? 'bigint' : renderIntegerType(to.type)}`)
  }
  if (from.increment !== to.increment) clauses.push(`INCREMENT BY ${to.increment ?? 1}`)
  if (from.min !== to.min) clauses.push(to.min === undefined ? 'NO MINVALUE' : `MINVALUE ${to.min}`)
  if (from.max !== to.max) clauses.push(to.max === undefined ? 'NO MAXVALUE' : `MAXVALUE ${to.max}`)
  if (from.start !== to.start) clauses.push(`START WITH ${to.start ?? defaultStart(to)}`)
  if (from.cache !== to.cache) clauses.push(`CACHE ${to.cache ?? 1}`)
  if (Boolean(from.cycle) !== Boolean(to.cycle)) clauses.push(to.cycle ? 'CYCLE' : 'NO CYCLE')
  return clauses
}

/** PostgreSQL starts an ascending sequence at its minimum (default 1) and a descending one at its maximum (default -1). */
function defaultStart(options: SequenceOptions): SequenceValue {
  return sequenceBigInt(options.increment ?? 1) > 0n ? (options.min ?? 1) : (options.max ?? -1)
}

/** `ALTER SEQUENCE name <clauses>` */
export function renderAlterSequence(name: QualifiedName, clauses: readonly string[]): string {
  return [`ALTER SEQUENCE ${quoteQualified(name)}`, ...clauses].join(' ')
}

/** `CREATE [MATERIALIZED] VIEW name AS <definition>`; the definition loses the trailing semicolon pg_get_viewdef prints. */
export function renderCreateView(view: View): string {
  const definition = view.definition.trim().replace(/;+\s*$/, '')
  return `CREATE ${view.materialized ? 'MATERIALIZED ' : ''}VIEW ${quoteQualified(view.name)} AS\n${definition}`
}

/** `DROP [MATERIALIZED] VIEW name` */
export function renderDropView(view: View): string {
  return `DROP ${view.materialized ? 'MATERIALIZED ' : ''}VIEW ${quoteQualified(view.name)}`
}

/** `COMMENT ON <object> IS 'text'`, or `IS NULL` to remove the comment. */
export function renderComment(target: CommentTarget, text: string | undefined): string {
  return `COMMENT ON ${renderCommentTarget(target)} IS ${text === undefined ? 'NULL' : quoteLiteral(text)}`
}

function renderCommentTarget(target: CommentTarget): string {
  switch (target.kind) {
    case 'table':
      return `TABLE ${quoteQualified(target.name)}`
    case 'view':
      return `VIEW ${quoteQualified(target.name)}`
    case 'materializedView':
      return `MATERIALIZED VIEW ${quoteQualified(target.name)}`
    case 'enum':
      return `TYPE ${quoteQualified(target.name)}`
    case 'sequence':
      return `SEQUENCE ${quoteQualified(target.name)}`
    case 'namespace':
      return `SCHEMA ${quoteIdent(target.name)}`
    case 'column':
      return `COLUMN ${quoteColumnRef(target.table, target.column)}`
    case 'index':
      return `INDEX ${quoteQualified(indexName(target.table, target.index))}`
    case 'constraint':
      return `CONSTRAINT ${quoteIdent(target.constraint)} ON ${quoteQualified(target.table)}`
    default:
      return assertNever(target)
  }
}
