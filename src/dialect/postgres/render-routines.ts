/**
 * DDL for domains, routines (functions, procedures, aggregates) and triggers. One statement per
 * function, no trailing semicolon, except where a routine's creation needs a setting first (below).
 * Names go through quote.ts; definitions, types and expressions are the server's own spelling.
 */
import type { Check, Domain, QualifiedName, Routine, Trigger } from '../../schema/model.js'
import { renderCollationName } from './collation-name.js'
import { quoteIdent, quoteLiteral, quoteQualified } from './quote.js'
import { renderColumnType } from './render-type.js'

/** `CONSTRAINT name CHECK (expr)`, as in CREATE DOMAIN and ALTER DOMAIN ADD. */
export function renderDomainCheck(check: Check): string {
  return `CONSTRAINT ${quoteIdent(check.name)} CHECK (${check.expr})`
}

/** `CREATE DOMAIN name AS type [COLLATE c] [DEFAULT e] [NOT NULL] [CONSTRAINT c CHECK (...)]...` */
export function renderCreateDomain(domain: Domain): string {
  const parts = [`CREATE DOMAIN ${quoteQualified(domain.name)} AS ${renderColumnType(domain.type)}`]
  if (domain.collation !== undefined) parts.push(`COLLATE ${renderCollationName(domain.collation)}`)
  if (domain.default !== undefined) parts.push(`DEFAULT ${domain.default.sql}`)
  if (domain.notNull === true) parts.push('NOT NULL')
  for (const check of domain.checks) parts.push(renderDomainCheck(check))
  return parts.join('\n  ')
}

/** `DROP DOMAIN name` (never CASCADE: a domain still used by a column is an error, not a silent loss). */
export function renderDropDomain(name: QualifiedName): string {
  return `DROP DOMAIN ${quoteQualified(name)}`
}

/** `ALTER DOMAIN name <action>` */
export function renderAlterDomain(name: QualifiedName, action: string): string {
  return `ALTER DOMAIN ${quoteQualified(name)} ${action}`
}

/** `COMMENT ON DOMAIN name IS ...` */
export function renderDomainComment(name: QualifiedName, comment: string | undefined): string {
  return `COMMENT ON DOMAIN ${quoteQualified(name)} IS ${literalOrNull(comment)}`
}

/** `COMMENT ON CONSTRAINT check ON DOMAIN name IS ...` */
export function renderDomainCheckComment(name: QualifiedName, check: string, comment: string | undefined): string {
  return `COMMENT ON CONSTRAINT ${quoteIdent(check)} ON DOMAIN ${quoteQualified(name)} IS ${literalOrNull(comment)}`
}

const ROUTINE_WORD = { function: 'FUNCTION', procedure: 'PROCEDURE', aggregate: 'AGGREGATE' } as const

/** `name(identity arguments)`, how DROP and COMMENT name one routine among overloads (`*` for an aggregate of none). */
export function routineSignature(routine: Routine): string {
  const args = routine.kind === 'aggregate' && routine.identityArgs === '' ? '*' : routine.identityArgs
  return `${quoteQualified(routine.name)}(${args})`
}

/**
 * Whether creating the routine checks its body against the objects it names: a `LANGUAGE sql` body that
 * is not SQL-standard (`BEGIN ATOMIC` and `RETURN` bodies are bound when created, and pg_depend lists
 * what they use, so the plan orders them). PL/pgSQL bodies are only parsed.
 */
export function checksBodyAtCreation(routine: Routine): boolean {
  if (routine.kind === 'aggregate') return false
  const header = routine.definition.split(/\n\s*(AS\s|BEGIN\s+ATOMIC|RETURN\s)/i)[0] ?? ''
  return /\bLANGUAGE\s+sql\b/i.test(header) && /\n\s*AS\s/i.test(routine.definition)
}

/**
 * The routine's own `CREATE OR REPLACE` statement. A SQL-language body is checked against the tables,
 * views and functions it reads when created; like pg_dump, the plan creates routines before the
 * relations that may read them (column defaults and views call functions), so such a statement is
 * preceded by `SET check_function_bodies = false`. The body was checked where the schema came from.
 */
export function renderCreateRoutine(routine: Routine): string {
  return checksBodyAtCreation(routine)
    ? `SET check_function_bodies = false;\n${routine.definition}`
    : routine.definition
}

/** `DROP FUNCTION|PROCEDURE|AGGREGATE name(args)` */
export function renderDropRoutine(routine: Routine): string {
  return `DROP ${ROUTINE_WORD[routine.kind]} ${routineSignature(routine)}`
}

/** `COMMENT ON FUNCTION|PROCEDURE|AGGREGATE name(args) IS ...` */
export function renderRoutineComment(routine: Routine, comment: string | undefined): string {
  return `COMMENT ON ${ROUTINE_WORD[routine.kind]} ${routineSignature(routine)} IS ${literalOrNull(comment)}`
}

/** `DROP TRIGGER name ON table` */
export function renderDropTrigger(trigger: Trigger): string {
  return `DROP TRIGGER ${quoteIdent(trigger.name)} ON ${quoteQualified(trigger.table)}`
}

/** `ALTER TABLE table ENABLE|DISABLE [REPLICA|ALWAYS] TRIGGER name`, for the trigger's enabled state. */
export function renderTriggerEnabled(trigger: Trigger): string {
  const action = {
    O: 'ENABLE TRIGGER',
    D: 'DISABLE TRIGGER',
    R: 'ENABLE REPLICA TRIGGER',
    A: 'ENABLE ALWAYS TRIGGER',
  }[trigger.enabled ?? 'O']
  return `ALTER TABLE ${quoteQualified(trigger.table)} ${action} ${quoteIdent(trigger.name)}`
}

/** `COMMENT ON TRIGGER name ON table IS ...` */
export function renderTriggerComment(trigger: Trigger, comment: string | undefined): string {
  return `COMMENT ON TRIGGER ${quoteIdent(trigger.name)} ON ${quoteQualified(trigger.table)} IS ${literalOrNull(comment)}`
}

function literalOrNull(text: string | undefined): string {
  return text === undefined ? 'NULL' : quoteLiteral(text)
}
