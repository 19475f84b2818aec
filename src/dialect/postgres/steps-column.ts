/**
 * Steps for `alterColumn`: one step per ALTER COLUMN form (see column-transitions.ts), with the safe
 * policy's SET NOT NULL through a validated CHECK, and serial columns' sequences created and dropped.
 */
import { assertNever } from '../../assert-never.js'
import type { Change } from '../../diff/change.js'
import { deepEqual, omitKeys } from '../../schema/equal.js'
import type { Column, QualifiedName } from '../../schema/model.js'
import { displayName } from '../../schema/name.js'
import { renderCollationName } from './collation-name.js'
import type { Transition } from './column-transitions.js'
import { columnTransitions } from './column-transitions.js'
import type { ChangeOf, Draft, PlanContext } from './context.js'
import { inverseOf, isFresh } from './context.js'
import { lockFor } from './locks.js'
import { objectName } from './object-name.js'
import { quoteIdent } from './quote.js'
import { renderAlterColumn, renderAlterTable, renderColumnDefinition, renderIdentity } from './render.js'
import { renderComment, sequenceOptionChanges } from './render-objects.js'
import { renderColumnType } from './render-type.js'
import { dropConstraintSql, validateStep } from './steps-constraint.js'
import {
  continueNewSequenceStep,
  continueSequenceStep,
  serialOffSteps,
  serialOnSteps,
  serialTypeStep,
} from './steps-serial.js'
import { storedGenerated } from './steps-table.js'
import { typeChangeFacts, usingExpression } from './type-change.js'

type AlterColumn = ChangeOf<'alterColumn'>

/** The steps of an `alterColumn`, one or more per changed aspect. */
export function alterColumnSteps(change: AlterColumn, ctx: PlanContext): Draft[] {
  return columnTransitions(change).flatMap((transition) => transitionSteps(transition, ctx))
}

function transitionSteps(transition: Transition, ctx: PlanContext): Draft[] {
  const change = transition.change
  const { table, from, to } = change
  const simple = (action: string, comment: string): Draft[] => [
    {
      sql: renderAlterColumn(table, from.name, action),
      reverse: inverseOf(change),
      lock: lockFor('alterTable', [table], ctx),
      source: change,
      comment: `${comment} (${displayName(table)}.${from.name})`,
    },
  ]
  switch (transition.kind) {
    case 'recreate':
      return recreateSteps(change, ctx)
    case 'dropIdentity':
      return simple('DROP IDENTITY', 'Drop identity')
    case 'identity':
      return identitySteps(change, ctx)
    case 'serialOff':
      return serialOffSteps(change, ctx)
    case 'serialOn':
      return serialOnSteps(change, ctx)
    case 'dropExpression':
      return simple('DROP EXPRESSION', 'Keep the generated values as plain data')
    case 'dropDefault':
      return simple('DROP DEFAULT', 'Drop default')
    case 'setDefault': {
      // A column that becomes serial: its new sequence goes on after the ids it holds (steps-serial.ts).
      const next = continueNewSequenceStep(change, ctx)
      return [...simple(`SET DEFAULT ${to.default?.sql ?? 'NULL'}`, 'Set default'), ...(next ? [next] : [])]
    }
    case 'dropNotNull':
      return simple('DROP NOT NULL', 'Allow nulls')
    case 'setNotNull':
      return setNotNullSteps(change, ctx)
    case 'type':
      return typeSteps(change, ctx)
    case 'comment':
      return [
        {
          sql: renderComment({ kind: 'column', table, column: to.name }, to.comment),
          reverse: inverseOf(change),
          lock: lockFor('comment', [table], ctx),
          source: change,
          comment: `Set the comment of ${displayName(table)}.${to.name}`,
        },
      ]
    default:
      return assertNever(transition.kind)
  }
}

/**
 * ALTER COLUMN TYPE, with the collation and, where no assignment cast exists, `USING col::type`.
 * Binary-coercible changes (varchar(n) → varchar(m ≥ n) or text, wider numeric or timestamp
 * precision) keep the table as it is; others rewrite it and its indexes under ACCESS EXCLUSIVE.
 */
function typeSteps(change: AlterColumn, ctx: PlanContext): Draft[] {
  const { table, from, to } = change
  const facts = typeChangeFacts(from.type, to.type)
  const typeChanges = !deepEqual(from.type, to.type)
  let action = `TYPE ${renderColumnType(to.type)}`
  if (to.collation !== undefined) action += ` COLLATE ${renderCollationName(to.collation)}`
  else if (from.collation !== undefined) action += ' COLLATE "default"'
  if (facts.needsUsing) action += ` USING ${usingExpression(from.name, from.type, to.type)}`
  const note = !typeChanges
    ? 'indexes on it are rebuilt'
    : facts.rewritesTable
      ? 'rewrites the table'
      : 'binary coercible: no rewrite'
  // A serial column's sequence has the column's integer type; widen or narrow it with the column.
  const sequenceStep =
    from.serial &&
    to.serial &&
    from.type.kind === 'integer' &&
    to.type.kind === 'integer' &&
    from.type.bytes !== to.type.bytes
      ? [serialTypeStep(change, from.type, to.type, ctx)]
      : []
  // That step undoes its own change, so this step's reverse is the column's alone.
  const own: AlterColumn =
    sequenceStep.length === 0 ? change : { ...change, from: omitKeys(from, 'serial'), to: omitKeys(to, 'serial') }
  const steps: Draft[] = [
    {
      sql: renderAlterColumn(table, from.name, action),
      reverse: inverseOf(own),
      lock: lockFor('alterTable', [table], ctx),
      rewritesTable: typeChanges && facts.rewritesTable,
      scansTable: !typeChanges || facts.rewritesTable,
      dataLoss: facts.lossless ? 'none' : 'possible',
      source: change,
      comment: `Change the type of ${displayName(table)}.${from.name} to ${renderColumnType(to.type)} (${note})`,
    },
    ...sequenceStep,
  ]
  return steps
}

/**
 * SET NOT NULL scans the whole table under ACCESS EXCLUSIVE. Under the safe policy: add
 * `CHECK (col IS NOT NULL) NOT VALID`, validate it without blocking writes, then SET NOT NULL,
 * which PostgreSQL 12+ proves from the valid check without a scan, then drop the check.
 */
function setNotNullSteps(change: AlterColumn, ctx: PlanContext): Draft[] {
  const { table, to } = change
  const online = ctx.safe && !isFresh(ctx, table)
  const setNotNull: Draft = {
    sql: renderAlterColumn(table, to.name, 'SET NOT NULL'),
    reverse: inverseOf(change),
    lock: lockFor('alterTable', [table], ctx),
    scansTable: !online && !isFresh(ctx, table),
    source: change,
    comment: `Forbid nulls in ${displayName(table)}.${to.name}${online ? ' (proven by the validated check, no scan)' : ''}`,
  }
  if (!online) return [setNotNull]
  const check = notNullCheckName(table, to.name)
  const addCheck = renderAlterTable(
    table,
    `ADD CONSTRAINT ${quoteIdent(check)} CHECK (${quoteIdent(to.name)} IS NOT NULL) NOT VALID`,
  )
  const dropCheck = dropConstraintSql(table, check)
  return [
    {
      sql: addCheck,
      reverse: { sql: dropCheck },
      lock: lockFor('alterTable', [table], ctx),
      source: change,
      comment: `Add check ${check} without validating existing rows`,
    },
    validateStep(table, check, change, ctx),
    setNotNull,
    {
      sql: dropCheck,
      reverse: { sql: addCheck },
      lock: lockFor('alterTable', [table], ctx),
      source: change,
      comment: `Drop check ${check}, now redundant`,
    },
  ]
}

/** The temporary check's name: `<table>_<column>_keel_nn`, not PostgreSQL 18's own `<table>_<column>_not_null`. */
export function notNullCheckName(table: QualifiedName, column: string): string {
  return objectName(table.name, column, 'keel_nn')
}

/** ADD GENERATED ... AS IDENTITY, or SET GENERATED / SET <option> on an existing identity. */
function identitySteps(change: AlterColumn, ctx: PlanContext): Draft[] {
  const { table, from, to } = change
  if (to.identity === undefined) return []
  let action: string
  if (from.identity === undefined) {
    action = `ADD ${renderIdentity(to.identity)}`
  } else {
    const clauses = sequenceOptionChanges(from.identity.sequence ?? {}, to.identity.sequence ?? {}, false).map(
      (c) => `SET ${c}`,
    )
    if (from.identity.always !== to.identity.always)
      clauses.unshift(`SET GENERATED ${to.identity.always ? 'ALWAYS' : 'BY DEFAULT'}`)
    action = clauses.join(' ')
  }
  return [
    {
      sql: renderAlterColumn(table, to.name, action),
      reverse: inverseOf(change),
      lock: lockFor('alterTable', [table], ctx),
      source: change,
      comment: `${from.identity === undefined ? 'Make' : 'Change'} identity column ${displayName(table)}.${to.name}`,
    },
    // A new identity on a table with rows starts after them (steps-serial.ts).
    ...(from.identity === undefined && !isFresh(ctx, table)
      ? [continueSequenceStep(change, to.identity.sequence ?? {}, ctx)]
      : []),
  ]
}

/**
 * A column that becomes generated or changes its expression: DROP COLUMN, then ADD COLUMN with the
 * new definition (which computes every row). Indexes and constraints on the column go with it.
 */
function recreateSteps(change: AlterColumn, ctx: PlanContext): Draft[] {
  const { table, from, to } = change
  const lock = lockFor('alterTable', [table], ctx)
  const added: Column = to
  const steps: Draft[] = [
    {
      sql: renderAlterTable(table, `DROP COLUMN ${quoteIdent(from.name)}`),
      reverse: { of: { kind: 'addColumn', table, column: from } },
      lock,
      // A generated column's values are computed again; a plain column's data is replaced.
      dataLoss: from.generated === undefined ? 'certain' : 'none',
      source: change,
      comment: `Drop ${displayName(table)}.${from.name} to add it again as a generated column`,
    },
    {
      sql: renderAlterTable(table, `ADD COLUMN ${renderColumnDefinition(added)}`),
      reverse: { of: { kind: 'dropColumn', table, column: to } },
      lock,
      rewritesTable: to.generated?.stored ?? false,
      scansTable: to.generated?.stored ?? false,
      ...storedGenerated(to, table, ctx),
      source: change,
      comment: `Add ${displayName(table)}.${to.name} again with its new definition`,
    },
  ]
  if (to.comment !== undefined) {
    const setComment: Change = {
      kind: 'setComment',
      target: { kind: 'column', table, column: to.name },
      from: undefined,
      to: to.comment,
    }
    steps.push({
      sql: renderComment({ kind: 'column', table, column: to.name }, to.comment),
      reverse: inverseOf(setComment),
      lock: lockFor('comment', [table], ctx),
      source: setComment,
      comment: `Set the comment of ${displayName(table)}.${to.name}`,
    })
  }
  return steps
}
