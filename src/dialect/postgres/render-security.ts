/** SQL for privileges (GRANT / REVOKE), row-level security, policies and collations. */
import { assertNever } from '../../assert-never.js'
import type { PrivilegeTarget } from '../../diff/change.js'
import type { Collation, QualifiedName, RowPolicy } from '../../schema/model.js'
import { quoteIdent, quoteLiteral, quoteQualified } from './quote.js'

/** A grantee: the PUBLIC keyword, or a quoted role name. */
export function renderGrantee(grantee: string): string {
  return grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(grantee)
}

/** The object of a GRANT or REVOKE: `TABLE name` (views too), `SEQUENCE name`, `SCHEMA name`, `FUNCTION name(args)`. */
export function renderPrivilegeTarget(target: PrivilegeTarget): string {
  switch (target.kind) {
    case 'table':
    case 'view':
    case 'materializedView':
      return `TABLE ${quoteQualified(target.name)}`
    case 'sequence':
      return `SEQUENCE ${quoteQualified(target.name)}`
    case 'namespace':
      return `SCHEMA ${quoteIdent(target.name)}`
    case 'routine': {
      // Aggregates are named as functions in GRANT, as pg_dump does.
      const word = target.routineKind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'
      return `${word} ${quoteQualified(target.name)}(${target.identityArgs})`
    }
    default:
      return assertNever(target)
  }
}

/** `GRANT p, ... ON object TO grantee [WITH GRANT OPTION]` */
export function renderGrant(
  target: PrivilegeTarget,
  grantee: string,
  privileges: readonly string[],
  grantable: boolean,
): string {
  const option = grantable ? ' WITH GRANT OPTION' : ''
  return `GRANT ${privileges.join(', ')} ON ${renderPrivilegeTarget(target)} TO ${renderGrantee(grantee)}${option}`
}

/** `REVOKE p, ... ON object FROM grantee`: the privileges go, and their grant option with them. */
export function renderRevoke(target: PrivilegeTarget, grantee: string, privileges: readonly string[]): string {
  return `REVOKE ${privileges.join(', ')} ON ${renderPrivilegeTarget(target)} FROM ${renderGrantee(grantee)}`
}

/** `ALTER TABLE name ENABLE|DISABLE ROW LEVEL SECURITY` or `FORCE|NO FORCE ROW LEVEL SECURITY`. */
export function renderRowSecurity(table: QualifiedName, action: 'ENABLE' | 'DISABLE' | 'FORCE' | 'NO FORCE'): string {
  return `ALTER TABLE ${quoteQualified(table)} ${action} ROW LEVEL SECURITY`
}

function renderRoles(roles: readonly string[]): string {
  return roles.length === 0 ? 'PUBLIC' : roles.map(renderGrantee).join(', ')
}

/** `CREATE POLICY name ON table AS PERMISSIVE|RESTRICTIVE FOR command TO roles [USING (...)] [WITH CHECK (...)]` */
export function renderCreatePolicy(table: QualifiedName, policy: RowPolicy): string {
  const parts = [
    `CREATE POLICY ${quoteIdent(policy.name)} ON ${quoteQualified(table)}`,
    `AS ${policy.restrictive ? 'RESTRICTIVE' : 'PERMISSIVE'}`,
    `FOR ${policy.command}`,
    `TO ${renderRoles(policy.roles)}`,
  ]
  if (policy.using !== undefined) parts.push(`USING (${policy.using})`)
  if (policy.withCheck !== undefined) parts.push(`WITH CHECK (${policy.withCheck})`)
  return parts.join(' ')
}

/**
 * `ALTER POLICY name ON table` with the clauses of `to` that differ from `from` (roles, USING, WITH CHECK);
 * `to` must not remove an expression, which ALTER POLICY cannot do.
 */
export function renderAlterPolicy(table: QualifiedName, from: RowPolicy, to: RowPolicy): string {
  const parts = [`ALTER POLICY ${quoteIdent(to.name)} ON ${quoteQualified(table)}`]
  if (from.roles.join('\u0001') !== to.roles.join('\u0001')) parts.push(`TO ${renderRoles(to.roles)}`)
  if (from.using !== to.using && to.using !== undefined) parts.push(`USING (${to.using})`)
  if (from.withCheck !== to.withCheck && to.withCheck !== undefined) parts.push(`WITH CHECK (${to.withCheck})`)
  return parts.join(' ')
}

/** `DROP POLICY name ON table` */
export function renderDropPolicy(table: QualifiedName, policy: RowPolicy): string {
  return `DROP POLICY ${quoteIdent(policy.name)} ON ${quoteQualified(table)}`
}

/** `COMMENT ON POLICY name ON table IS ...` */
export function renderPolicyComment(table: QualifiedName, policy: RowPolicy): string {
  return `COMMENT ON POLICY ${quoteIdent(policy.name)} ON ${quoteQualified(table)} IS ${literalOrNull(policy.comment)}`
}

/** `CREATE COLLATION name (provider = ..., locale = ... | lc_collate = ..., lc_ctype = ..., deterministic = false)` */
export function renderCreateCollation(collation: Collation): string {
  const options = [`provider = ${collation.provider}`]
  if (collation.locale !== undefined) options.push(`locale = ${quoteLiteral(collation.locale)}`)
  if (collation.lcCollate !== undefined) options.push(`lc_collate = ${quoteLiteral(collation.lcCollate)}`)
  if (collation.lcCtype !== undefined) options.push(`lc_ctype = ${quoteLiteral(collation.lcCtype)}`)
  if (collation.nondeterministic) options.push('deterministic = false')
  if (collation.rules !== undefined) options.push(`rules = ${quoteLiteral(collation.rules)}`)
  return `CREATE COLLATION ${quoteQualified(collation.name)} (${options.join(', ')})`
}

/** `DROP COLLATION name` (never CASCADE: a collation still used by a column is an error). */
export function renderDropCollation(collation: Collation): string {
  return `DROP COLLATION ${quoteQualified(collation.name)}`
}

/** `COMMENT ON COLLATION name IS ...` */
export function renderCollationComment(collation: Collation): string {
  return `COMMENT ON COLLATION ${quoteQualified(collation.name)} IS ${literalOrNull(collation.comment)}`
}

function literalOrNull(text: string | undefined): string {
  return text === undefined ? 'NULL' : quoteLiteral(text)
}
