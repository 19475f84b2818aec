/**
 * Steps for enum types. Adding values uses ALTER TYPE ... ADD VALUE; any other change (a value
 * removed, renamed or moved) recreates the type and converts the columns that use it.
 */
import type { Change, EnumDomain, EnumUsage } from '../../diff/change.js'
import { KeelError } from '../../errors.js'
import type { ColumnType, Domain, EnumType, QualifiedName } from '../../schema/model.js'
import { displayName, nameKey, sameName } from '../../schema/name.js'
import type { ChangeOf, Draft, PlanContext } from './context.js'
import { inverseOf } from './context.js'
import { lockFor } from './locks.js'
import { quoteIdent } from './quote.js'
import { renderAlterColumn } from './render.js'
import {
  renderAddEnumValue,
  renderComment,
  renderCreateEnum,
  renderDropType,
  renderRenameType,
} from './render-objects.js'
import {
  renderCreateDomain,
  renderDomainCheckComment,
  renderDomainComment,
  renderDropDomain,
} from './render-routines.js'
import { renderColumnType } from './render-type.js'

/** CREATE TYPE ... AS ENUM */
export function createEnumSteps(change: ChangeOf<'createEnum'>, ctx: PlanContext): Draft[] {
  return [
    {
      sql: renderCreateEnum(change.enum.name, change.enum.values),
      reverse: inverseOf(change),
      lock: lockFor('catalogOnly', [], ctx),
      source: change,
      comment: `Create enum ${displayName(change.enum.name)}`,
    },
  ]
}

/** DROP TYPE (never CASCADE: columns still using it make it fail rather than vanish). */
export function dropEnumSteps(change: ChangeOf<'dropEnum'>, ctx: PlanContext): Draft[] {
  return [
    {
      sql: renderDropType(change.enum.name),
      reverse: inverseOf(change),
      lock: lockFor('catalogOnly', [], ctx),
      source: change,
      comment: `Drop enum ${displayName(change.enum.name)}`,
    },
  ]
}

/** The steps of an `alterEnum`: ADD VALUE per new value when `to` keeps `from`'s values in order, else a recreate. */
export function alterEnumSteps(change: ChangeOf<'alterEnum'>, ctx: PlanContext): Draft[] {
  return isAdditive(change.from.values, change.to.values) ? addValueSteps(change, ctx) : recreateEnumSteps(change, ctx)
}

/** Whether `to` holds every value of `from` in the same relative order. */
export function isAdditive(from: readonly string[], to: readonly string[]): boolean {
  let next = 0
  for (const value of to) if (value === from[next]) next++
  return next === from.length && new Set(to).size === to.length
}

/**
 * ALTER TYPE ... ADD VALUE, one step per value, each placed AFTER its predecessor in `to` (or BEFORE
 * the first old value). Since PostgreSQL 12 ADD VALUE may run in a transaction block, but the new
 * value cannot be used until that transaction commits; the steps are marked non-transactional so that
 * the runner commits them before later steps (a default or a check using the value) run.
 * Each step's reverse recreates the type without the value it added.
 */
function addValueSteps(change: ChangeOf<'alterEnum'>, ctx: PlanContext): Draft[] {
  const { from, to } = change
  const steps: Draft[] = []
  let current: readonly string[] = from.values
  to.values.forEach((value, i) => {
    if (from.values.includes(value)) return
    const previous = to.values[i - 1]
    const first = from.values[0]
    const position = previous !== undefined ? { after: previous } : first !== undefined ? { before: first } : undefined
    const next = [...current]
    next.splice(previous === undefined ? 0 : next.indexOf(previous) + 1, 0, value)
    const before: EnumType = { ...from, values: current }
    const after: EnumType = { ...from, values: next }
    // The reverse recreates the type: it needs the usages and the dependents.
    const source: Change = { ...change, from: before, to: after }
    steps.push({
      sql: renderAddEnumValue(from, value, position),
      reverse: inverseOf(source),
      transactional: false,
      lock: lockFor('catalogOnly', [], ctx),
      source,
      comment: `Add value '${value}' to enum ${displayName(from.name)}`,
    })
    current = next
  })
  return steps
}

/** The refusal's hint: what to do about each blocker, by name, or else how to keep the type as it is. */
function blockerHint(fixes: readonly string[]): string {
  const keep = "keep the enum's values and add new ones only (ALTER TYPE ... ADD VALUE needs no recreation)"
  const text = fixes.length === 0 ? keep : `${fixes.join('; ')}. Or ${keep}`
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

/**
 * Recreates the type: rename the old one away, create the new one, convert each column that uses it
 * through text (dropping its default for the conversion, since the default cannot be cast), then
 * drop the old type. A conversion fails if a row holds a value the new type lacks. The defaults of
 * other columns that cast to the type are dropped and set again the same way; the views, checks and
 * indexes that do are the change's `dependents`, dropped before and created after (expand.ts).
 */
function recreateEnumSteps(change: ChangeOf<'alterEnum'>, ctx: PlanContext): Draft[] {
  const { from, to, usages } = change
  if (change.blockers !== undefined && change.blockers.length > 0) {
    throw new KeelError(
      'UNSUPPORTED',
      `cannot recreate enum ${displayName(from.name)} in place (it loses or reorders values): ${change.blockers.join('; ')}`,
      blockerHint(change.fixes ?? []),
    )
  }
  const old: QualifiedName = { ...from.name, name: temporaryName(from.name.name) }
  const loses = from.values.some((value) => !to.values.includes(value))
  // With the usages' defaults, those of other columns that cast to the type (`('happy'::mood)::text`): PostgreSQL
  // keeps them depending on the old type, which could not be dropped while they do.
  const domains = change.domains ?? []
  // And those of the columns of a domain over the type, which go to text and back around it (defaultsToMove).
  const withDefault = defaultsToMove([
    ...usages.filter((usage) => usage.column.default !== undefined),
    ...(change.castDefaults ?? []),
    ...domains.flatMap((d) => d.columns.filter((usage) => usage.column.default !== undefined)),
  ])
  const created: Change = { kind: 'createEnum', enum: to }
  // The new type starts without a comment: give it the old one (a changed comment is a separate setComment).
  const comment: Draft[] =
    from.comment === undefined
      ? []
      : [
          {
            sql: renderComment({ kind: 'enum', name: to.name }, from.comment),
            reverse: { sql: renderComment({ kind: 'enum', name: to.name }, undefined) },
            lock: lockFor('catalogOnly', [], ctx),
            source: change,
            comment: `Keep the comment of enum ${displayName(to.name)}`,
          },
        ]
  return [
    // Defaults are dropped before the rename so that, in reverse, they are set again only after the
    // old type has its name back (a default spelled 'v'::name must find the type it names).
    ...withDefault.map((usage) =>
      defaultStep(usage, 'DROP DEFAULT', `SET DEFAULT ${usage.column.default?.sql}`, change, ctx),
    ),
    ...domains.flatMap((d) => domainAwaySteps(d, change, ctx)),
    {
      sql: renderRenameType(from.name, old.name),
      reverse: { sql: renderRenameType(old, from.name.name) },
      lock: lockFor('catalogOnly', [], ctx),
      source: change,
      comment: `Rename enum ${displayName(from.name)} out of the way to ${old.name}`,
    },
    {
      sql: renderCreateEnum(to.name, to.values),
      reverse: inverseOf(created),
      lock: lockFor('catalogOnly', [], ctx),
      source: change,
      comment: `Create enum ${displayName(to.name)} with its new values`,
    },
    ...comment,
    ...usages.map((usage) => convertStep(usage, from.name, old, loses, change, ctx)),
    ...domains.flatMap((d) => domainBackSteps(d, loses, change, ctx)),
    ...withDefault.map((usage) =>
      defaultStep(usage, `SET DEFAULT ${usage.column.default?.sql}`, 'DROP DEFAULT', change, ctx),
    ),
    {
      sql: renderDropType(old),
      reverse: { sql: renderCreateEnum(old, from.values) },
      lock: lockFor('catalogOnly', [], ctx),
      source: change,
      comment: `Drop the old enum ${displayName(old)}`,
    },
    // After the old type is gone, so that no session keeps its oid in a compiled body (diff/enum-dependents.ts).
    ...(change.recompiled ?? []).map(
      (routine): Draft => ({
        sql: routine.definition,
        reverse: { sql: routine.definition },
        lock: lockFor('catalogOnly', [], ctx),
        source: change,
        comment: `Compile ${routine.kind} ${displayName(routine.name)}(${routine.identityArgs}) again against the new enum ${displayName(to.name)}`,
      }),
    ),
  ]
}

/** Each column once (a domain column's default may also be among the cast defaults). */
function defaultsToMove(usages: readonly EnumUsage[]): readonly EnumUsage[] {
  const seen = new Set<string>()
  return usages.filter((usage) => {
    const key = `${nameKey(usage.table)}\u0000${usage.column.name}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * Before the old type is renamed away: the columns of a domain over it go to text (PostgreSQL records that the domain
 * depends on the type, so DROP TYPE would fail while it exists), then the domain is dropped. The reverse creates the
 * domain again over the old type, which by then has its name back, and converts the columns back to it.
 */
function domainAwaySteps(over: EnumDomain, source: Change, ctx: PlanContext): Draft[] {
  const { domain, columns } = over
  return [
    ...columns.map(
      (usage): Draft => ({
        sql: renderAlterColumn(usage.table, usage.column.name, retypeTo(usage, 'text')),
        reverse: { sql: renderAlterColumn(usage.table, usage.column.name, retypeTo(usage, 'domain')) },
        lock: lockFor('alterTable', [usage.table], ctx),
        rewritesTable: true,
        scansTable: true,
        source,
        comment: `Convert ${displayName(usage.table)}.${usage.column.name} to text while domain ${displayName(domain.name)} is made again over the new enum (rewrites the table)`,
      }),
    ),
    {
      sql: renderDropDomain(domain.name),
      reverse: { sql: renderCreateDomain(withoutComments(domain)) },
      lock: lockFor('catalogOnly', [], ctx),
      source,
      comment: `Drop domain ${displayName(domain.name)}, which is over the enum, to make it again over the new one`,
    },
  ]
}

/** After the new type exists: the domain created again over it (as it was, comments too), its columns converted back. */
function domainBackSteps(over: EnumDomain, loses: boolean, source: Change, ctx: PlanContext): Draft[] {
  const { domain, columns } = over
  const catalog = (sql: string, reverse: string, comment: string): Draft => ({
    sql,
    reverse: { sql: reverse },
    lock: lockFor('catalogOnly', [], ctx),
    source,
    comment,
  })
  const comments = [
    ...(domain.comment === undefined
      ? []
      : [
          catalog(
            renderDomainComment(domain.name, domain.comment),
            renderDomainComment(domain.name, undefined),
            `Keep the comment of domain ${displayName(domain.name)}`,
          ),
        ]),
    ...domain.checks.flatMap((check) =>
      check.comment === undefined
        ? []
        : [
            catalog(
              renderDomainCheckComment(domain.name, check.name, check.comment),
              renderDomainCheckComment(domain.name, check.name, undefined),
              `Keep the comment of check ${check.name} of domain ${displayName(domain.name)}`,
            ),
          ],
    ),
  ]
  return [
    catalog(
      renderCreateDomain(withoutComments(domain)),
      renderDropDomain(domain.name),
      `Create domain ${displayName(domain.name)} again over the new enum`,
    ),
    ...comments,
    ...columns.map(
      (usage): Draft => ({
        sql: renderAlterColumn(usage.table, usage.column.name, retypeTo(usage, 'domain')),
        reverse: { sql: renderAlterColumn(usage.table, usage.column.name, retypeTo(usage, 'text')) },
        lock: lockFor('alterTable', [usage.table], ctx),
        rewritesTable: true,
        scansTable: true,
        dataLoss: loses ? 'possible' : 'none',
        source,
        comment: `Convert ${displayName(usage.table)}.${usage.column.name} back to domain ${displayName(domain.name)} (rewrites the table)`,
      }),
    ),
  ]
}

/** `TYPE text USING c::text` or `TYPE <its domain> USING c::text::<domain>`, with `[]` for an array column. */
function retypeTo(usage: EnumUsage, to: 'text' | 'domain'): string {
  const column = quoteIdent(usage.column.name)
  const array = usage.column.type.kind === 'array'
  const text = array ? 'text[]' : 'text'
  if (to === 'text') return `TYPE ${text} USING ${column}::${text}`
  const type = renderColumnType(usage.column.type)
  return `TYPE ${type} USING ${column}::${text}::${type}`
}

function withoutComments(domain: Domain): Domain {
  const { comment: _, ...rest } = domain
  return { ...rest, checks: domain.checks.map(({ comment: _c, ...check }) => check) }
}

/** `<name>_keel_old`, within PostgreSQL's 63-byte limit. */
function temporaryName(name: string): string {
  const suffix = '_keel_old'
  return name.slice(0, 63 - suffix.length) + suffix
}

function defaultStep(usage: EnumUsage, action: string, reverse: string, source: Change, ctx: PlanContext): Draft {
  return {
    sql: renderAlterColumn(usage.table, usage.column.name, action),
    reverse: { sql: renderAlterColumn(usage.table, usage.column.name, reverse) },
    lock: lockFor('alterTable', [usage.table], ctx),
    source,
    comment: `${action.startsWith('DROP') ? 'Drop' : 'Restore'} the default of ${displayName(usage.table)}.${usage.column.name} around the enum conversion`,
  }
}

function convertStep(
  usage: EnumUsage,
  name: QualifiedName,
  old: QualifiedName,
  loses: boolean,
  source: Change,
  ctx: PlanContext,
): Draft {
  const column = usage.column.name
  const convert = (type: ColumnType) =>
    renderAlterColumn(
      usage.table,
      column,
      `TYPE ${renderColumnType(type)} USING ${quoteIdent(column)}${textCast(type)}::${renderColumnType(type)}`,
    )
  return {
    sql: convert(usage.column.type),
    reverse: { sql: convert(retarget(usage.column.type, name, old)) },
    lock: lockFor('alterTable', [usage.table], ctx),
    rewritesTable: true,
    scansTable: true,
    dataLoss: loses ? 'possible' : 'none',
    source,
    comment: `Convert ${displayName(usage.table)}.${column} to the new enum ${displayName(name)} (rewrites the table)`,
  }
}

/** `::text` for an enum, `::text[]` for an array of enums: the only casts between two enum types go through text. */
function textCast(type: ColumnType): string {
  return type.kind === 'array' ? `${textCast(type.element)}[]` : '::text'
}

/** `type` with references to enum `name` replaced by `old`. */
function retarget(type: ColumnType, name: QualifiedName, old: QualifiedName): ColumnType {
  if (type.kind === 'array') return { kind: 'array', element: retarget(type.element, name, old) }
  if (type.kind === 'enum' && sameName(type.enum, name)) return { kind: 'enum', enum: old }
  return type
}
