import type { Column, Schema, Sequence, Table } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import { serialSequenceName } from '../schema/serial-sequence-name.js'
import { type NameSpelling, nextvalDefault } from './serial-default.js'

/**
 * `serial` is sugar for an owned sequence `<table>_<column>_seq` plus a `nextval` default. When the two
 * sides disagree on it for the same column (say, `serial` in one and an explicit sequence and default in
 * the other, as after `ALTER SEQUENCE ... OWNED BY NONE`), comparing the sugar would drop a sequence that
 * the other side still uses. So for exactly those columns the serial side is spelled out, and the
 * ordinary sequence and default comparisons take over.
 */
export function desugarSerialConflicts(from: Schema, to: Schema, spelling: NameSpelling): readonly [Schema, Schema] {
  const toTables = new Map(to.tables.map((table) => [nameKey(table.name), table]))
  const fromTables = new Map(from.tables.map((table) => [nameKey(table.name), table]))
  const conflicts = new Set<string>()
  for (const table of from.tables) {
    const twin = toTables.get(nameKey(table.name))
    if (!twin) continue
    for (const column of table.columns) {
      const other = twin.columns.find((c) => c.name === column.name)
      if (other && (column.serial === true) !== (other.serial === true)) conflicts.add(columnKey(table, column))
    }
  }
  if (conflicts.size === 0) return [from, to]
  return [desugar(from, conflicts, fromTables, spelling), desugar(to, conflicts, toTables, spelling)]
}

function desugar(
  schema: Schema,
  conflicts: ReadonlySet<string>,
  tables: ReadonlyMap<string, Table>,
  spelling: NameSpelling,
): Schema {
  const sequences: Sequence[] = [...schema.sequences]
  const rewritten = schema.tables.map((table) => {
    if (!tables.has(nameKey(table.name))) return table
    const columns = table.columns.map((column) => {
      if (!column.serial || !conflicts.has(columnKey(table, column))) return column
      const sequence = serialSequence(table, column)
      sequences.push(sequence)
      const { serial: _serial, ...rest } = column
      return { ...rest, default: { kind: 'sql' as const, sql: nextvalDefault(sequence.name, spelling) } }
    })
    return { ...table, columns }
  })
  sequences.sort((a, b) => nameKey(a.name).localeCompare(nameKey(b.name)))
  return { ...schema, tables: rewritten, sequences }
}

function serialSequence(table: Table, column: Column): Sequence {
  const name = { ...table.name, name: serialSequenceName(table.name.name, column.name) }
  // A serial column's sequence has the column's integer type; bigint is the default for sequences.
  const type = column.type.kind === 'integer' && column.type.bytes !== 8 ? { type: column.type } : {}
  return { name, ...type, ownedBy: { table: table.name, column: column.name } }
}

function columnKey(table: Table, column: Column): string {
  return `${nameKey(table.name)}\u0000${column.name}`
}
