/** Steps for namespaces, extensions, sequences, views and comments. */
import { assertNever } from '../../assert-never.js'
import type { Change, CommentTarget } from '../../diff/change.js'
import { deepEqual } from '../../schema/equal.js'
import type { QualifiedName } from '../../schema/model.js'
import { displayName, nameKey } from '../../schema/name.js'
import { withField } from './column-transitions.js'
import type { ChangeOf, Draft, PlanContext } from './context.js'
import { inverseOf } from './context.js'
import { existingBeforePlan, lockFor } from './locks.js'
import { dollarQuote, quoteIdent, quoteLiteral, quoteQualified } from './quote.js'
import {
  renderAlterSequence,
  renderComment,
  renderCreateExtension,
  renderCreateNamespace,
  renderCreateSequence,
  renderCreateView,
  renderDropExtension,
  renderDropNamespace,
  renderDropSequence,
  renderDropView,
  renderSequenceOwnedBy,
  sequenceOptionChanges,
} from './render-objects.js'

/** A step that touches no existing table (namespaces, extensions, types, new sequences and views). */
function catalogStep(sql: string, change: Change, comment: string, ctx: PlanContext): Draft {
  return { sql, reverse: inverseOf(change), lock: lockFor('catalogOnly', [], ctx), source: change, comment }
}

/** CREATE SCHEMA / DROP SCHEMA */
export function namespaceSteps(change: ChangeOf<'createNamespace' | 'dropNamespace'>, ctx: PlanContext): Draft[] {
  const name = change.namespace.name
  return change.kind === 'createNamespace'
    ? [catalogStep(renderCreateNamespace(name), change, `Create schema ${name}`, ctx)]
    : [catalogStep(renderDropNamespace(name), change, `Drop schema ${name}`, ctx)]
}

/** CREATE EXTENSION / DROP EXTENSION */
export function extensionSteps(change: ChangeOf<'createExtension' | 'dropExtension'>, ctx: PlanContext): Draft[] {
  const { extension } = change
  return change.kind === 'createExtension'
    ? [catalogStep(renderCreateExtension(extension), change, `Create extension ${extension.name}`, ctx)]
    : [catalogStep(renderDropExtension(extension), change, `Drop extension ${extension.name}`, ctx)]
}

/** ALTER EXTENSION ... SET SCHEMA and ... UPDATE TO 'version'. */
export function alterExtensionSteps(change: ChangeOf<'alterExtension'>, ctx: PlanContext): Draft[] {
  const { from, to } = change
  const name = quoteIdent(to.name)
  const steps: Draft[] = []
  if (from.schema !== to.schema) {
    const moved: Change = { kind: 'alterExtension', from, to: { ...from, ...schemaOf(to) } }
    steps.push(
      catalogStep(
        `ALTER EXTENSION ${name} SET SCHEMA ${quoteIdent(to.schema ?? 'public')}`,
        moved,
        `Move extension ${to.name} to schema ${to.schema ?? 'public'}`,
        ctx,
      ),
    )
  }
  if (from.version !== to.version) {
    const sql = `ALTER EXTENSION ${name} UPDATE${to.version === undefined ? '' : ` TO ${quoteLiteral(to.version)}`}`
    const updated: Change = { kind: 'alterExtension', from: { ...from, ...schemaOf(to) }, to }
    steps.push({
      ...catalogStep(sql, updated, `Update extension ${to.name} to ${to.version ?? 'its default version'}`, ctx),
      // Without the old version there is nothing to go back to; extensions rarely ship downgrade scripts either.
      reverse:
        from.version === undefined
          ? { irreversible: `the previous version of extension ${to.name} is not known` }
          : inverseOf(updated),
    })
  }
  return steps
}

function schemaOf(extension: { readonly schema?: string }): { schema?: string } {
  return extension.schema === undefined ? {} : { schema: extension.schema }
}

/** CREATE SEQUENCE / DROP SEQUENCE */
export function sequenceSteps(change: ChangeOf<'createSequence' | 'dropSequence'>, ctx: PlanContext): Draft[] {
  const { sequence } = change
  if (change.kind === 'createSequence') {
    const owner = sequence.ownedBy === undefined ? [] : [sequence.ownedBy.table]
    return [
      {
        ...catalogStep(renderCreateSequence(sequence), change, `Create sequence ${displayName(sequence.name)}`, ctx),
        lock: owner.length === 0 ? lockFor('catalogOnly', [], ctx) : lockFor('readRelations', owner, ctx),
      },
    ]
  }
  const identity = ctx.identities?.get(nameKey(sequence.name))
  return [
    {
      sql: renderDropSequence(sequence.name),
      reverse: inverseOf(change),
      lock: lockFor('dropRelation', [sequence.name], existingBeforePlan),
      source: change,
      comment: `Drop sequence ${displayName(sequence.name)}`,
    },
    ...(identity === undefined ? [] : [identityNameStep(sequence.name, identity.table, identity.column, change, ctx)]),
  ]
}

/**
 * A column that became an identity while a sequence of the name PostgreSQL gives an identity's still existed (a serial
 * turned identity: the serial's sequence goes after the identity is added, which keeps the column drawing ids) got
 * `<name>1`: once that sequence is dropped, the identity's takes the exact name. Catalog only; a no-op when the
 * identity has the name already (the drop came first).
 */
function identityNameStep(
  name: QualifiedName,
  table: QualifiedName,
  column: string,
  source: Change,
  ctx: PlanContext,
): Draft {
  const lookup = `pg_get_serial_sequence(${quoteLiteral(quoteQualified(table))}, ${quoteLiteral(column)})`
  const rename = (from: string, to: string) =>
    `DO ${dollarQuote(`BEGIN IF ${lookup} = ${quoteLiteral(from)} THEN EXECUTE format(${quoteLiteral(`ALTER SEQUENCE %s RENAME TO ${quoteIdent(to)}`)}, ${lookup}); END IF; END`)}`
  const exact = quoteQualified(name)
  // The name PostgreSQL chose beside the old sequence (ChooseRelationName: the name and a digit).
  const chosen = { ...name, name: `${name.name.slice(0, 62)}1` }
  return {
    sql: rename(quoteQualified(chosen), name.name),
    reverse: { sql: rename(exact, chosen.name) },
    lock: lockFor('alterSequence', [], ctx),
    source,
    comment: `Give the identity sequence of ${displayName(table)}.${column} its name, ${displayName(name)}, now free`,
  }
}

/** ALTER SEQUENCE with the options that differ, and OWNED BY when the owner changes: one step each. */
export function alterSequenceSteps(change: ChangeOf<'alterSequence'>, ctx: PlanContext): Draft[] {
  const { from, to } = change
  const lock = lockFor('alterSequence', [to.name], ctx)
  const middle = withField(to, 'ownedBy', from.ownedBy)
  const options: Change = { kind: 'alterSequence', from, to: middle }
  const owner: Change = { kind: 'alterSequence', from: middle, to }
  const clauses = sequenceOptionChanges(from, to, true)
  const steps: Draft[] = []
  if (clauses.length > 0) {
    steps.push({
      sql: renderAlterSequence(to.name, clauses),
      reverse: inverseOf(options),
      lock,
      source: options,
      comment: `Change options of sequence ${displayName(to.name)}`,
    })
  }
  if (!deepEqual(from.ownedBy, to.ownedBy)) {
    steps.push({
      sql: renderSequenceOwnedBy(to.name, to.ownedBy),
      reverse: inverseOf(owner),
      lock,
      source: owner,
      comment:
        to.ownedBy === undefined
          ? `Detach sequence ${displayName(to.name)} from its owning column`
          : `Make ${displayName(to.ownedBy.table)}.${to.ownedBy.column} own sequence ${displayName(to.name)}`,
    })
  }
  return steps
}

/** CREATE [MATERIALIZED] VIEW (a materialized one runs its query now) / DROP [MATERIALIZED] VIEW. */
export function viewSteps(change: ChangeOf<'createView' | 'dropView'>, ctx: PlanContext): Draft[] {
  const { view } = change
  const what = view.materialized ? 'materialized view' : 'view'
  if (change.kind === 'createView') {
    return [
      {
        sql: renderCreateView(view),
        reverse: inverseOf(change),
        lock: view.materialized ? lockFor('readRelations', view.dependsOn, ctx) : lockFor('catalogOnly', [], ctx),
        scansTable: view.materialized,
        source: change,
        comment: `Create ${what} ${displayName(view.name)}`,
      },
    ]
  }
  return [
    {
      sql: renderDropView(view),
      reverse: inverseOf(change),
      // The view exists before the plan, even when the plan creates it again (a recreation, or a dependent put back
      // around an enum's): its readers wait for the drop's lock, so it is not "new in this plan".
      lock: lockFor('dropRelation', [view.name], existingBeforePlan),
      source: change,
      comment: `Drop ${what} ${displayName(view.name)}`,
    },
  ]
}

/** COMMENT ON ... IS ... (or IS NULL). */
export function commentSteps(change: ChangeOf<'setComment'>, ctx: PlanContext): Draft[] {
  const relation = commentedRelation(change.target)
  return [
    {
      sql: renderComment(change.target, change.to),
      reverse: inverseOf(change),
      lock: relation === undefined ? lockFor('catalogOnly', [], ctx) : lockFor('comment', [relation], ctx),
      source: change,
      comment: `${change.to === undefined ? 'Remove' : 'Set'} the comment of ${describeTarget(change.target)}`,
    },
  ]
}

/** The relation a COMMENT ON locks (SHARE UPDATE EXCLUSIVE), if the target is a relation or lives on one. */
function commentedRelation(target: CommentTarget): QualifiedName | undefined {
  switch (target.kind) {
    case 'table':
    case 'view':
    case 'materializedView':
    case 'sequence':
      return target.name
    case 'column':
    case 'index':
    case 'constraint':
      return target.table
    case 'enum':
    case 'namespace':
      return undefined
    default:
      return assertNever(target)
  }
}

function describeTarget(target: CommentTarget): string {
  switch (target.kind) {
    case 'namespace':
      return `schema ${target.name}`
    case 'column':
      return `column ${displayName(target.table)}.${target.column}`
    case 'index':
      return `index ${target.index} on ${displayName(target.table)}`
    case 'constraint':
      return `constraint ${target.constraint} on ${displayName(target.table)}`
    case 'materializedView':
      return `materialized view ${displayName(target.name)}`
    case 'table':
    case 'view':
    case 'enum':
    case 'sequence':
      return `${target.kind} ${displayName(target.name)}`
    default:
      return assertNever(target)
  }
}
