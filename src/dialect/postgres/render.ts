/**
 * DDL for tables and what lives on them: columns, keys, checks, foreign keys and indexes.
 * Every renderer returns one statement without a trailing semicolon; writers of migration files
 * add the terminator. Names go through quote.ts; expressions (defaults, checks, predicates) are
 * the server's own spelling from the model and are written as they are.
 */
import type {
  Check,
  Column,
  Deferrable,
  Exclusion,
  ForeignKey,
  Identity,
  Index,
  IndexPart,
  PrimaryKey,
  QualifiedName,
  SequenceOptions,
  Table,
  UniqueConstraint,
} from '../../schema/model.js'
import { renderCollationName } from './collation-name.js'
import { quoteIdent, quoteIdentList, quoteQualified } from './quote.js'
import { renderTableStatement } from './render-partitions.js'
import { renderColumnType, renderIntegerType, renderSerialType } from './render-type.js'

/** `ALTER TABLE <table> <action>` */
export function renderAlterTable(table: QualifiedName, action: string): string {
  return `ALTER TABLE ${quoteQualified(table)} ${action}`
}

/** `ALTER TABLE <table> ALTER COLUMN <column> <action>` */
export function renderAlterColumn(table: QualifiedName, column: string, action: string): string {
  return renderAlterTable(table, `ALTER COLUMN ${quoteIdent(column)} ${action}`)
}

/**
 * `CREATE [UNLOGGED] TABLE` with columns, primary key, uniques, checks and the given foreign keys
 * inline. Indexes and comments are separate statements.
 *
 * @example
 * renderCreateTable(table, table.foreignKeys)
 * // CREATE TABLE public.users (
 * //   id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
 * //   CONSTRAINT users_pkey PRIMARY KEY (id)
 * // )
 */
export function renderCreateTable(table: Table, foreignKeys: readonly ForeignKey[] = table.foreignKeys): string {
  const lines = [
    ...table.columns.map(renderColumnDefinition),
    ...(table.primaryKey === undefined ? [] : [renderPrimaryKeyClause(table.primaryKey)]),
    ...table.uniques.map(renderUniqueClause),
    ...table.checks.map((check) => renderCheckClause(check)),
    ...(table.exclusions ?? []).map(renderExclusionClause),
    ...foreignKeys.map((fk) => renderForeignKeyClause(fk)),
  ]
  // UNLOGGED, PARTITION OF, INHERITS and PARTITION BY: see render-partitions.ts.
  return renderTableStatement(table, lines)
}

/** A column as in CREATE TABLE and ADD COLUMN: `name type [COLLATE c] [identity | generated] [DEFAULT e] [NOT NULL]`. */
export function renderColumnDefinition(column: Column): string {
  const parts = [quoteIdent(column.name), column.serial ? renderSerialType(column.type) : renderColumnType(column.type)]
  if (column.collation !== undefined) parts.push(`COLLATE ${renderCollationName(column.collation)}`)
  if (column.identity !== undefined) parts.push(renderIdentity(column.identity))
  if (column.generated !== undefined) {
    parts.push(`GENERATED ALWAYS AS (${column.generated.expr}) ${column.generated.stored ? 'STORED' : 'VIRTUAL'}`)
  }
  if (column.default !== undefined) parts.push(`DEFAULT ${column.default.sql}`)
  if (!column.nullable) parts.push('NOT NULL')
  return parts.join(' ')
}

/** `GENERATED ALWAYS|BY DEFAULT AS IDENTITY [(options)]` */
export function renderIdentity(identity: Identity): string {
  const options = renderSequenceOptions(identity.sequence ?? {}, false)
  const suffix = options.length === 0 ? '' : ` (${options.join(' ')})`
  return `GENERATED ${identity.always ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${suffix}`
}

/** Sequence options as clauses (`INCREMENT BY 2`, `CYCLE`); `AS type` only where a sequence, not an identity, takes it. */
export function renderSequenceOptions(options: SequenceOptions, withType: boolean): string[] {
  const clauses: string[] = []
  if (withType && options.type !== undefined) clauses.push(`AS ${renderIntegerType(options.type)}`)
  if (options.increment !== undefined) clauses.push(`INCREMENT BY ${options.increment}`)
  if (options.min !== undefined) clauses.push(`MINVALUE ${options.min}`)
  if (options.max !== undefined) clauses.push(`MAXVALUE ${options.max}`)
  if (options.start !== undefined) clauses.push(`START WITH ${options.start}`)
  if (options.cache !== undefined) clauses.push(`CACHE ${options.cache}`)
  if (options.cycle) clauses.push('CYCLE')
  return clauses
}

/** `CONSTRAINT name PRIMARY KEY (columns) [DEFERRABLE ...]` */
export function renderPrimaryKeyClause(primaryKey: PrimaryKey): string {
  return `CONSTRAINT ${quoteIdent(primaryKey.name)} PRIMARY KEY (${quoteIdentList(primaryKey.columns)})${renderDeferrable(primaryKey.deferrable)}`
}

/** `CONSTRAINT name EXCLUDE USING method (...) [WHERE (...)] [DEFERRABLE ...]` */
export function renderExclusionClause(exclusion: Exclusion): string {
  return `CONSTRAINT ${quoteIdent(exclusion.name)} ${exclusion.definition}${renderDeferrable(exclusion.deferrable)}`
}

/** `CONSTRAINT name UNIQUE [NULLS NOT DISTINCT] (columns) [DEFERRABLE ...]` */
export function renderUniqueClause(unique: UniqueConstraint): string {
  const nulls = unique.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''
  return `CONSTRAINT ${quoteIdent(unique.name)} UNIQUE${nulls} (${quoteIdentList(unique.columns)})${renderDeferrable(unique.deferrable)}`
}

/** `CONSTRAINT name CHECK (expr) [NO INHERIT] [NOT VALID]` */
export function renderCheckClause(check: Check, notValid = false): string {
  const noInherit = check.noInherit ? ' NO INHERIT' : ''
  return `CONSTRAINT ${quoteIdent(check.name)} CHECK (${check.expr})${noInherit}${notValid ? ' NOT VALID' : ''}`
}

/** `CONSTRAINT name FOREIGN KEY (cols) REFERENCES t (cols) [MATCH FULL] [ON UPDATE a] [ON DELETE a] [DEFERRABLE ...] [NOT VALID]` */
export function renderForeignKeyClause(fk: ForeignKey, notValid = false): string {
  const parts = [
    `CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${quoteIdentList(fk.columns)})`,
    `REFERENCES ${quoteQualified(fk.references.table)} (${quoteIdentList(fk.references.columns)})`,
  ]
  if (fk.matchFull) parts.push('MATCH FULL')
  // NO ACTION is the default: leaving it out keeps the statement as short as pg_dump's.
  if (fk.onUpdate !== 'NO ACTION') parts.push(`ON UPDATE ${fk.onUpdate}`)
  if (fk.onDelete !== 'NO ACTION') parts.push(`ON DELETE ${fk.onDelete}`)
  return parts.join(' ') + renderDeferrable(fk.deferrable) + (notValid ? ' NOT VALID' : '')
}

/** ` DEFERRABLE INITIALLY DEFERRED|IMMEDIATE`, or nothing for the default NOT DEFERRABLE. */
export function renderDeferrable(deferrable: Deferrable | undefined): string {
  if (deferrable === undefined) return ''
  return ` DEFERRABLE INITIALLY ${deferrable.initiallyDeferred ? 'DEFERRED' : 'IMMEDIATE'}`
}

/**
 * `CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON [ONLY] table [USING method] (parts) [INCLUDE (cols)]
 * [NULLS NOT DISTINCT] [WHERE predicate]`. The index lives in its table's namespace, so its own
 * name is not qualified. `only`: on a partitioned table alone, not its partitions (an invalid index, which becomes
 * valid once an index of each partition is attached to it).
 */
export function renderCreateIndex(
  table: QualifiedName,
  index: Index,
  concurrently = false,
  only: 'only' | undefined = undefined,
): string {
  const parts = [
    `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${quoteIdent(index.name)}`,
  ]
  parts.push(`ON ${only === 'only' ? 'ONLY ' : ''}${quoteQualified(table)}`)
  if (index.method !== undefined) parts.push(`USING ${quoteIdent(index.method)}`)
  parts.push(`(${index.parts.map(renderIndexPart).join(', ')})`)
  if (index.include.length > 0) parts.push(`INCLUDE (${quoteIdentList(index.include)})`)
  if (index.nullsNotDistinct) parts.push('NULLS NOT DISTINCT')
  if (index.where !== undefined) parts.push(`WHERE ${index.where}`)
  return parts.join(' ')
}

/** One key part: `column` or `(expr)`, then `COLLATE`, operator class, `DESC`, `NULLS FIRST|LAST`. */
export function renderIndexPart(part: IndexPart): string {
  const parts = [part.column !== undefined ? quoteIdent(part.column) : `(${part.expr ?? ''})`]
  if (part.collation !== undefined) parts.push(`COLLATE ${renderCollationName(part.collation)}`)
  if (part.opclass !== undefined) parts.push(quoteOperatorClass(part.opclass))
  if (part.descending) parts.push('DESC')
  if (part.nullsFirst !== undefined) parts.push(part.nullsFirst ? 'NULLS FIRST' : 'NULLS LAST')
  return parts.join(' ')
}

/**
 * An operator class, `name` or `schema.name` (introspection qualifies those outside pg_catalog and
 * public). Operator class names do not contain dots; collation names do (`en_US.utf8`), so
 * collations are quoted whole instead.
 */
export function quoteOperatorClass(opclass: string): string {
  const dot = opclass.indexOf('.')
  if (dot < 0) return quoteIdent(opclass)
  return `${quoteIdent(opclass.slice(0, dot))}.${quoteIdent(opclass.slice(dot + 1))}`
}

/** `DROP INDEX [CONCURRENTLY] schema.name`: an index is named in its table's namespace. */
export function renderDropIndex(table: QualifiedName, index: string, concurrently = false, ifExists = false): string {
  return `DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${ifExists ? 'IF EXISTS ' : ''}${quoteQualified(indexName(table, index))}`
}

/** The qualified name of an index, which lives in its table's namespace. */
export function indexName(table: QualifiedName, index: string): QualifiedName {
  return table.schema === undefined ? { name: index } : { schema: table.schema, name: index }
}
