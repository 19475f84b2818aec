/**
 * A column becoming serial or ceasing to be: its sequence `<table>_<column>_seq` (the name
 * PostgreSQL gives a serial's sequence) is created with the column's integer type, becomes the
 * column's default and is owned by it; or the default is dropped and the sequence with it.
 */
import type { IntegerType, QualifiedName, SequenceValue } from '../../schema/model.js'
import { displayName, nameKey } from '../../schema/name.js'
import type { ChangeOf, Draft, PlanContext } from './context.js'
import { isFresh } from './context.js'
import { existingBeforePlan, lockFor } from './locks.js'
import { objectName } from './object-name.js'
import { dollarQuote, quoteIdent, quoteLiteral, quoteQualified } from './quote.js'
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
  return `DO ${dollarQuote(`BEGIN EXECUTE format(${quoteLiteral(command)}, ${lookup}); END`)}`
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
    ...(isFresh(ctx, table) ? [] : [continueSequenceStep(change, {}, ctx)]),
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
      // Made again, the sequence goes on after the column's values (continueSequenceStep).
      reverse: {
        sql: `${renderCreateSequence({ name: sequence, ...type, ownedBy: { table, column: from.name } })};\n${continueSequenceStep(change, {}, ctx).sql}`,
      },
      lock: lockFor('dropRelation', [sequence], existingBeforePlan),
      source: change,
      comment: `Drop the sequence of former serial column ${name}`,
    },
  ]
}

/**
 * The step that makes a column's new sequence go on after the values the column already holds: a column that
 * becomes serial or identity on a table with rows gets a sequence that starts at its START (1), and its first
 * draws would collide with (or, without a unique key, duplicate) the ids already there. `setval` to the
 * highest value (the lowest for a descending sequence) when it is at or past the start; nothing on an empty
 * table or one whose values are all below the start. It runs in the transaction of the ALTER TABLE that gave
 * the column its sequence, whose ACCESS EXCLUSIVE lock keeps writers out until both commit, so no id is drawn
 * before the sequence is set. `max(column)` is an index lookup on a key column; without an index on the
 * column it reads the table under that lock.
 */
export function continueSequenceStep(
  change: AlterColumn,
  options: {
    readonly start?: SequenceValue
    readonly increment?: SequenceValue
    readonly min?: SequenceValue
    readonly max?: SequenceValue
  },
  ctx: PlanContext,
): Draft {
  const { table, to } = change
  const descending = BigInt(options.increment ?? 1) < 0n
  const start = String(options.start ?? (descending ? (options.max ?? -1) : (options.min ?? 1)))
  const column = quoteIdent(to.name)
  const extreme = `${descending ? 'min' : 'max'}(${column})`
  const lookup = `pg_get_serial_sequence(${quoteLiteral(quoteQualified(table))}, ${quoteLiteral(to.name)})`
  return {
    sql: `SELECT setval(${lookup}, ${extreme}) FROM ${quoteQualified(table)} HAVING ${extreme} ${descending ? '<=' : '>='} ${start}`,
    // Undoing the column's sequence (DROP IDENTITY, or the serial's DROP SEQUENCE) undoes this too.
    reverse: { sql: '' },
    lock: lockFor('readRelations', [table], ctx),
    source: change,
    comment: `Continue the sequence of ${displayName(table)}.${to.name} after the values it holds (${extreme}), so that new ids do not collide`,
  }
}

/**
 * A new default `nextval('seq'::regclass)` of a sequence this plan creates (how the differ spells a column that
 * becomes serial), on a table with rows: the sequence is set after the column's values, as continueSequenceStep
 * does, reading its direction and start from pg_sequence (the plan does not carry them here). Undefined for
 * any other default: a sequence that existed before holds a value someone chose.
 */
export function continueNewSequenceStep(change: AlterColumn, ctx: PlanContext): Draft | undefined {
  const { table, to } = change
  const match = /^nextval\('((?:[^']|'')+)'::regclass\)$/.exec(to.default?.sql ?? '')
  if (match === undefined || match === null || isFresh(ctx, table)) return undefined
  const text = (match[1] as string).replaceAll("''", "'")
  const parts = text.split('.').map((p) => (p.startsWith('"') ? p.slice(1, -1).replaceAll('""', '"') : p))
  const sequence: QualifiedName =
    parts.length === 2 ? { schema: parts[0] as string, name: parts[1] as string } : { ...table, name: text }
  if (parts.length > 2 || !ctx.created.has(nameKey(sequence))) return undefined
  const seq = `${quoteLiteral(quoteQualified(sequence))}::regclass`
  const column = quoteIdent(to.name)
  return {
    sql: [
      `SELECT setval(${seq}, CASE WHEN s.seqincrement > 0 THEN m.hi ELSE m.lo END)`,
      `FROM pg_catalog.pg_sequence s, (SELECT max(${column}) AS hi, min(${column}) AS lo FROM ${quoteQualified(table)}) m`,
      `WHERE s.seqrelid = ${seq} AND CASE WHEN s.seqincrement > 0 THEN m.hi >= s.seqstart ELSE m.lo <= s.seqstart END`,
    ].join(' '),
    reverse: { sql: '' },
    lock: lockFor('readRelations', [table], ctx),
    source: change,
    comment: `Continue ${displayName(sequence)} after the values ${displayName(table)}.${to.name} holds, so that new ids do not collide`,
  }
}
