import type { Column, ColumnType, IntegerType, Sequence, SequenceOptions } from '../../schema/model.js'
import { parseSequenceValue } from '../../schema/sequence-value.js'
import { objectName } from './object-name.js'
import { columnTypeFromCatalog } from './parse-type.js'
import type { SequenceRow } from './queries/sequences.js'
import type { ColumnRow, TableRow } from './queries/tables.js'
import { isDefaultSequence, normalizeSequenceOptions } from './sequence-options.js'

/** Looks up the comment on an object: its catalog, its OID, and for a column its number. */
export type CommentLookup = (catalog: string, oid: string, sub?: number) => string | undefined

/** What building a column needs besides its row. */
export interface ColumnContext {
  readonly table: TableRow
  readonly sequencesByOid: ReadonlyMap<string, SequenceRow>
  /** Identity sequences by `tableOid:column`. */
  readonly identitySequences: ReadonlyMap<string, SequenceRow>
  readonly comments: CommentLookup
  /** Collects the sequences that serial columns imply, so that they are not listed on their own. */
  readonly impliedSequences: Set<string>
}

/** Builds a model Column from its catalog row: type, default or generation expression, identity, serial. */
export function buildColumn(row: ColumnRow, context: ColumnContext): Column {
  const type = columnTypeFromCatalog(row)
  const serialOid = serialSequence(row, type, context)
  if (serialOid !== undefined) context.impliedSequences.add(serialOid)
  const identity = identityOf(row, context)
  const comment = context.comments('pg_class', row.table_oid, row.attnum)
  // Built by assignment, in the model's key order, rather than by spreading optional parts into a literal: run once
  // per column of the database (10,000 at 1,000 tables), each spread was an object made and copied.
  const column: Mutable<Column> = { name: row.name, type, nullable: !row.not_null }
  if (row.default_sql !== null && row.generated === '' && serialOid === undefined)
    column.default = { kind: 'sql', sql: row.default_sql }
  if (identity) column.identity = identity
  if (serialOid !== undefined) column.serial = true
  if (row.generated !== '' && row.default_sql !== null)
    column.generated = { expr: row.default_sql, stored: row.generated === 's' }
  if (row.collation !== null) column.collation = row.collation
  if (comment !== undefined) column.comment = comment
  return column
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

function identityOf(row: ColumnRow, context: ColumnContext): Column['identity'] {
  if (row.identity === '') return undefined
  const sequence = context.identitySequences.get(`${row.table_oid}:${row.name}`)
  const options = sequence && sequenceOptions(sequence)
  // Only the options that differ from the defaults for the column's type; normalisation drops the rest.
  return { always: row.identity === 'a', ...(options ? { sequence: options } : {}) }
}

/**
 * The OID of the sequence that makes this column a serial, or undefined. A serial is an integer column
 * whose whole default is `nextval` of a sequence that it owns (pg_depend 'a'), that lives beside the
 * table, is named as CREATE TABLE names it (`<table>_<column>_seq`), has the column's type and default
 * options. Anything else keeps its sequence and its nextval default, so that nothing is lost.
 */
function serialSequence(row: ColumnRow, type: ColumnType, context: ColumnContext): string | undefined {
  if (row.nextval_seq_oid === null || type.kind !== 'integer') return undefined
  const sequence = context.sequencesByOid.get(row.nextval_seq_oid)
  if (sequence === undefined || sequence.owner_kind !== 'a') return undefined
  if (sequence.owner_table_oid !== row.table_oid || sequence.owner_column !== row.name) return undefined
  if (sequence.schema !== context.table.schema) return undefined
  if (sequence.name !== objectName(context.table.name, row.name, 'seq')) return undefined
  const options = sequenceOptions(sequence)
  if (options.type.bytes !== type.bytes) return undefined
  return isDefaultSequence(normalizeSequenceOptions(options, type.bytes, true)) ? row.nextval_seq_oid : undefined
}

/** A sequence row's options, exact (the catalog's text read as bigints), before defaults are dropped. */
export function sequenceOptions(row: SequenceRow): SequenceOptions & { readonly type: IntegerType } {
  return {
    type: { kind: 'integer', bytes: row.type === 'smallint' ? 2 : row.type === 'integer' ? 4 : 8 },
    start: parseSequenceValue(row.start),
    increment: parseSequenceValue(row.increment),
    min: parseSequenceValue(row.min),
    max: parseSequenceValue(row.max),
    cache: parseSequenceValue(row.cache),
    cycle: row.cycle,
  }
}

/** A listed sequence (not an identity's, not a serial's): its options, OWNED BY and comment. */
export function buildSequence(row: SequenceRow, comments: CommentLookup): Sequence {
  const comment = comments('pg_class', row.oid)
  const ownedBy =
    row.owner_kind === 'a' && row.owner_schema !== null && row.owner_table !== null && row.owner_column !== null
      ? { table: { schema: row.owner_schema, name: row.owner_table }, column: row.owner_column }
      : undefined
  return {
    name: { schema: row.schema, name: row.name },
    ...sequenceOptions(row),
    ...(ownedBy ? { ownedBy } : {}),
    ...(comment === undefined ? {} : { comment }),
  }
}
