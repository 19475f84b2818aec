/**
 * Model data printed as TypeScript literals, for the DSL builders that take the model's own shape (domains,
 * routines, triggers, rules, collations, and table options such as partitioning, policies and grants).
 */
import type { Collation, Domain, Routine, Rule, Trigger } from '../model.js'
import { attachedKey, routineExportKey } from './export-names.js'
import { array, call, type Layout, object, text } from './layout.js'
import { stringArg } from './print-constraints.js'
import type { PrintContext } from './print-context.js'
import type { Statement } from './print-table.js'
import { propertyKey } from './ts-text.js'

/**
 * A JSON-like value as a TypeScript literal: strings quoted, objects with their keys in the model's order (fields
 * that are undefined left out, as `exactOptionalPropertyTypes` wants).
 */
export function dataLayout(value: unknown): Layout {
  if (typeof value === 'string') return stringArg(value)
  if (typeof value === 'number' || typeof value === 'boolean') return text(String(value))
  if (value === null) return text('null')
  if (Array.isArray(value)) return array(value.map(dataLayout))
  if (typeof value === 'object') {
    return object(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .map(([key, member]) => [propertyKey(key), dataLayout(member)] as const),
    )
  }
  throw new Error(`cannot print ${typeof value} as schema data`)
}

function statement(ctx: PrintContext, name: string | undefined, builder: string, value: unknown): Statement {
  return { name: name as string, value: call(ctx.use(builder), [dataLayout(value)]), notes: [] }
}

/** `domain({ name, type, notNull, default, checks, ... })` */
export function printDomain(domain: Domain, ctx: PrintContext): Statement {
  return statement(ctx, ctx.exportOf('domain', domain.name), 'domain', domain)
}

/** `collation({ name, provider, locale, ... })` */
export function printCollation(collation: Collation, ctx: PrintContext): Statement {
  return statement(ctx, ctx.exportOf('collation', collation.name), 'collation', collation)
}

/** `routine({ name, kind, identityArgs, definition, dependsOn, ... })`; `arguments` when it differs from the identity. */
export function printRoutine(routine: Routine, ctx: PrintContext): Statement {
  const { arguments: args, dependsOn, ...rest } = routine
  const value = {
    ...rest,
    ...(args === routine.identityArgs ? {} : { arguments: args }),
    ...(dependsOn.length === 0 ? {} : { dependsOn }),
  }
  return statement(ctx, ctx.exportOf('routine', routineExportKey(routine)), 'routine', value)
}

/** `trigger({ table, name, definition, function, ... })`; its columns are read back from the definition. */
export function printTrigger(trigger: Trigger, ctx: PrintContext): Statement {
  const { columns: _columns, ...value } = trigger
  return statement(ctx, ctx.exportOf('trigger', attachedKey(trigger.table, trigger.name)), 'trigger', value)
}

/** `rule({ name, table, definition, dependsOn })` */
export function printRule(rule: Rule, ctx: PrintContext): Statement {
  const { dependsOn, ...rest } = rule
  const value = { ...rest, ...(dependsOn.length === 0 ? {} : { dependsOn }) }
  return statement(ctx, ctx.exportOf('rule', attachedKey(rule.table, rule.name)), 'rule', value)
}
