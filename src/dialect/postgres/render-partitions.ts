/**
 * DDL for partitions, inheritance and rules. Every renderer returns one statement without a trailing semicolon.
 * Partition keys, bounds and rule definitions are the server's own spelling from the model.
 */
import type { PartitionOf, QualifiedName, Rule, Table } from '../../schema/model.js'
import { quoteIdent, quoteLiteral, quoteQualified } from './quote.js'

/**
 * The CREATE TABLE statement around already rendered table elements (columns and constraints):
 * `CREATE [UNLOGGED] TABLE t (elements) [INHERITS (parents)] [PARTITION BY key]`, or for a partition
 * `CREATE TABLE t PARTITION OF parent [(constraints)] FOR VALUES ... [PARTITION BY key]`, since a partition has
 * no columns of its own (its columns, defaults and NOT NULLs come from the parent).
 */
export function renderTableStatement(table: Table, elements: readonly string[]): string {
  const postgres = table.ext?.postgres
  const unlogged = postgres?.unlogged ? 'UNLOGGED ' : ''
  const body = (empty: string) =>
    elements.length === 0 ? empty : `(\n${elements.map((line) => `  ${line}`).join(',\n')}\n)`
  const partitionBy = postgres?.partitionBy === undefined ? '' : `\nPARTITION BY ${postgres.partitionBy}`
  const head = `CREATE ${unlogged}TABLE ${quoteQualified(table.name)}`
  if (postgres?.partitionOf !== undefined) {
    const { parent, bound } = postgres.partitionOf
    const list = elements.length === 0 ? '' : ` ${body('')}`
    return `${head} PARTITION OF ${quoteQualified(parent)}${list}\n${bound}${partitionBy}`
  }
  const inherits =
    postgres?.inherits === undefined || postgres.inherits.length === 0
      ? ''
      : `\nINHERITS (${postgres.inherits.map(quoteQualified).join(', ')})`
  return `${head} ${body('()')}${inherits}${partitionBy}`
}

/** `ALTER TABLE parent ATTACH PARTITION t FOR VALUES ...` */
export function renderAttachPartition(table: QualifiedName, partitionOf: PartitionOf): string {
  return `ALTER TABLE ${quoteQualified(partitionOf.parent)} ATTACH PARTITION ${quoteQualified(table)} ${partitionOf.bound}`
}

/** `ALTER TABLE parent DETACH PARTITION t` */
export function renderDetachPartition(table: QualifiedName, partitionOf: PartitionOf): string {
  return `ALTER TABLE ${quoteQualified(partitionOf.parent)} DETACH PARTITION ${quoteQualified(table)}`
}

/** `ALTER TABLE t [NO] INHERIT parent` */
export function renderInherit(table: QualifiedName, parent: QualifiedName, inherit: boolean): string {
  return `ALTER TABLE ${quoteQualified(table)} ${inherit ? 'INHERIT' : 'NO INHERIT'} ${quoteQualified(parent)}`
}

/** The rule's own CREATE RULE statement, as the server printed it. */
export function renderCreateRule(rule: Rule): string {
  return rule.definition
}

/** `DROP RULE name ON table` */
export function renderDropRule(rule: Rule): string {
  return `DROP RULE ${quoteIdent(rule.name)} ON ${quoteQualified(rule.table)}`
}

/** `COMMENT ON RULE name ON table IS '...'` */
export function renderRuleComment(rule: Rule, comment: string): string {
  return `COMMENT ON RULE ${quoteIdent(rule.name)} ON ${quoteQualified(rule.table)} IS ${quoteLiteral(comment)}`
}
