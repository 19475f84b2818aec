/**
 * Typed declarations of the PostgreSQL objects whose definition Keel keeps as the server prints it: domains,
 * functions and procedures, triggers, rules and collations. Each takes the model's own shape (Domain and Collation in
 * schema/user-type.ts, Routine and Trigger in schema/routine.ts, Rule in schema/view.ts) and `collect()` puts it into
 * the schema unchanged; a declared schema is created in a scratch database and read back before it is compared, so a
 * definition written by hand compares in the server's spelling. This is what `keel inspect --format ts` prints for
 * them, so nothing it reads is lost on the way back.
 */
import type { Collation, Domain, Routine, Rule, Trigger } from '../model.js'
import { attachState, BRAND } from './brand-of.js'

/** An object declared through this module: its kind and its model value. */
export type PgObjectState =
  | { readonly kind: 'pgObject'; readonly object: 'domain'; readonly value: Domain }
  | { readonly kind: 'pgObject'; readonly object: 'routine'; readonly value: Routine }
  | { readonly kind: 'pgObject'; readonly object: 'trigger'; readonly value: Trigger }
  | { readonly kind: 'pgObject'; readonly object: 'rule'; readonly value: Rule }
  | { readonly kind: 'pgObject'; readonly object: 'collation'; readonly value: Collation }

/** A declared domain, function, trigger, rule or collation. */
export interface PgObjectDef {
  readonly [BRAND]: PgObjectState
}

function define(state: PgObjectState): PgObjectDef {
  return Object.freeze(attachState({}, state)) as PgObjectDef
}

/**
 * `CREATE DOMAIN`: a base type with an optional default, NOT NULL and named checks on `VALUE`. Columns use it as
 * `native('public.year')`.
 * @example export const year = domain({ name: { schema: 'public', name: 'year' }, type: { kind: 'integer', bytes: 4 },
 *   checks: [{ name: 'year_check', expr: '((VALUE >= 1901) AND (VALUE <= 2155))' }] })
 */
export function domain(value: Omit<Domain, 'checks'> & { readonly checks?: Domain['checks'] }): PgObjectDef {
  return define({ kind: 'pgObject', object: 'domain', value: { ...value, checks: value.checks ?? [] } })
}

/**
 * A function, procedure or aggregate, by its whole `CREATE` statement. `identityArgs` names it among overloads
 * (for comments, grants and drops); `dependsOn` lists what must exist first (types or tables in its signature).
 * @example export const touch = routine({ name: { schema: 'public', name: 'touch' }, kind: 'function',
 *   identityArgs: '', arguments: '', returns: 'trigger', definition: 'CREATE OR REPLACE FUNCTION public.touch() ...' })
 */
export function routine(
  value: Omit<Routine, 'dependsOn' | 'arguments'> & {
    readonly dependsOn?: Routine['dependsOn']
    readonly arguments?: string
  },
): PgObjectDef {
  return define({
    kind: 'pgObject',
    object: 'routine',
    value: { ...value, arguments: value.arguments ?? value.identityArgs, dependsOn: value.dependsOn ?? [] },
  })
}

/**
 * A trigger by its `CREATE TRIGGER` statement; `function` is the trigger function, which is created before it.
 * @example export const touchFilm = trigger({ table: { schema: 'public', name: 'film' }, name: 'last_updated',
 *   function: { schema: 'public', name: 'last_updated' }, definition: 'CREATE TRIGGER last_updated BEFORE UPDATE ...' })
 */
export function trigger(value: Omit<Trigger, 'columns'> & { readonly columns?: readonly string[] }): PgObjectDef {
  return define({ kind: 'pgObject', object: 'trigger', value: { ...value, columns: value.columns ?? [] } })
}

/** A rewrite rule by its `CREATE RULE` statement; `dependsOn` lists the other relations its actions use. */
export function rule(value: Omit<Rule, 'dependsOn'> & { readonly dependsOn?: Rule['dependsOn'] }): PgObjectDef {
  return define({ kind: 'pgObject', object: 'rule', value: { ...value, dependsOn: value.dependsOn ?? [] } })
}

/** `CREATE COLLATION`. */
export function collation(value: Collation): PgObjectDef {
  return define({ kind: 'pgObject', object: 'collation', value })
}
