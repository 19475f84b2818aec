/**
 * A column becoming serial or ceasing to be: its sequence `<table>_<column>_seq` (the name
 * PostgreSQL gives a serial's sequence) is created with the column's integer type, becomes the
 * column's default and is owned by it; or the default is dropped and the sequence with it.
 */
import type { IntegerType, QualifiedName } from '../../schema/model.js'
import { displayName } from '../../schema/name.js'
import type { ChangeOf, Draft, PlanContext } from './context.js'
import { lockFor } from './locks.js'
import { objectName } from './object-name.js'
import { quoteLiteral, quoteQualified } from './quote.js'
import { renderAlterColumn } from './render.js'
import { renderCreateSequence, renderDropSequence, renderSequenceOwnedBy } from './render-objects.js'
import { renderIntegerType } from './render-type.js'

type AlterColumn = ChangeOf<'alterColumn'>

/** The sequence of a serial column, named as PostgreSQL names it. */
export function serialSequence(table: QualifiedName, column: string): QualifiedName {
  const name = objectName(table.name, column, 'seq')
  return table.schema === undefined ? { name } : { schema: table.schema, name }
}

/** `nextval('schema.seq'::regclass)`, the default of a serial column. */
export function nextvalDefault(sequence: QualifiedName): string {
  return `nextval(${quoteLiteral(quoteQualified(sequence))}::regclass)`
}

/**
 * A statement on the sequence a serial column owns, whatever its name: a table renamed since the
 * column was created keeps the sequence's old name, so it is looked up with pg_get_serial_sequence
 * in a DO block. `command` holds `%s` where the sequence's name goes.
 */
export function renderOnSerialSequence(table: QualifiedName, column: string, command: string): string {
  const lookup = `pg_get_serial_sequence(${quoteLiteral(quoteQualified(table))}, ${quoteLiteral(column)})`
  return `DO $keel$BEGIN EXECUTE format(${quoteLiteral(command)}, ${lookup}); END$keel$`
}

/** ALTER SEQUENCE ... AS: a serial column's sequence has the column's integer type and changes with it. */
export function serialTypeStep(change: AlterColumn, from: IntegerType, to: IntegerType, ctx: PlanContext): Draft {
  const { table } = change
  const column = change.from.name
  return {
    sql: renderOnSerialSequence(table, column, `ALTER SEQUENCE %s AS ${renderIntegerType(to)}`),
    reverse: { sql: renderOnSerialSequence(table, column, `ALTER SEQUENCE %s AS ${renderIntegerType(from)}`) },
    lock: lockFor('alterSequence', [serialSequence(table, column)], ctx),
    source: change,
    comment: `Change the type of the sequence of serial column ${displayName(table)}.${column}`,
  }
}

/** CREATE SEQUENCE, SET DEFAULT nextval(...), ALTER SEQUENCE OWNED BY: what `serial` does. */
export function serialOnSteps(change: AlterColumn, ctx: PlanContext): Draft[] {
  const { table, to } = change
  const sequence = serialSequence(table, to.name)
  const type = to.type.kind === 'integer' ? { type: to.type } : {}
  const setDefault = renderAlterColumn(table, to.name, `SET DEFAULT ${nextvalDefault(sequence)}`)
  const dropDefault = renderAlterColumn(table, to.name, 'DROP DEFAULT')
  const name = `${displayName(table)}.${to.name}`
  return [
    {
      sql: renderCreateSequence({ name: sequence, ...type }),
      reverse: { sql: renderDropSequence(sequence) },
      lock: lockFor('catalogOnly', [], ctx),
      source: change,
      comment: `Create sequence ${displayName(sequence)} for serial column ${name}`,
    },
    {
      sql: setDefault,
      reverse: { sql: dropDefault },
      lock: lockFor('alterTable', [table], ctx),
      source: change,
      comment: `Draw ${name} from ${displayName(sequence)}`,
    },
    {
      sql: renderSequenceOwnedBy(sequence, { table, column: to.name }),
      reverse: { sql: renderSequenceOwnedBy(sequence, undefined) },
      lock: lockFor('alterSequence', [sequence], ctx),
      source: change,
      comment: `Make ${name} own ${displayName(sequence)}`,
    },
  ]
}

/** DROP DEFAULT, then DROP SEQUENCE; the reverse recreates the sequence from its start. */
export function serialOffSteps(change: AlterColumn, ctx: PlanContext): Draft[] {
  const { table, from } = change
  const sequence = serialSequence(table, from.name)
  const type = from.type.kind === 'integer' ? { type: from.type } : {}
  const name = `${displayName(table)}.${from.name}`
  return [
    {
      sql: renderAlterColumn(table, from.name, 'DROP DEFAULT'),
      reverse: { sql: renderAlterColumn(table, from.name, `SET DEFAULT ${nextvalDefault(sequence)}`) },
      lock: lockFor('alterTable', [table], ctx),
      source: change,
      comment: `Stop drawing ${name} from ${displayName(sequence)}`,
    },
    {
      sql: renderOnSerialSequence(table, from.name, 'DROP SEQUENCE %s'),
      reverse: { sql: renderCreateSequence({ name: sequence, ...type, ownedBy: { table, column: from.name } }) },
      lock: lockFor('dropRelation', [sequence], ctx),
      source: change,
      comment: `Drop the sequence of former serial column ${name}`,
    },
  ]
}
