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
  const type = columnTypeFromCatalog({
    isArray: row.is_array,
    formatted: row.base_sql,
    typtype: row.base_typtype,
    schema: row.base_schema,
    name: row.base_name,
    qualified: row.base_qualified,
  })
  const serialOid = serialSequence(row, type, context)
  if (serialOid !== undefined) context.impliedSequences.add(serialOid)
  const identity = identityOf(row, context)
  const comment = context.comments('pg_class', row.table_oid, row.attnum)
  const hasDefault = row.default_sql !== null && row.generated === '' && serialOid === undefined
  return {
    name: row.name,
    type,
    nullable: !row.not_null,
    ...(hasDefault ? { default: { kind: 'sql', sql: row.default_sql ?? '' } } : {}),
    ...(identity ? { identity } : {}),
    ...(serialOid === undefined ? {} : { serial: true }),
    ...(row.generated !== '' && row.default_sql !== null
      ? { generated: { expr: row.default_sql, stored: row.generated === 's' } }
      : {}),
    ...(row.collation === null ? {} : { collation: row.collation }),
    ...(comment === undefined ? {} : { comment }),
  }
}

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
