import { defaultPrivileges } from '../../diff/diff-security.js'
import { deepEqual } from '../../schema/equal.js'
import type { Collation, Privilege, QualifiedName, RowPolicy, Schema, Table } from '../../schema/model.js'

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The privileges, row-level security, policies and collations of a schema in canonical form: privilege lists
 * sorted (grantee, privilege), de-duplicated, upper-case, and omitted when they hold the default (empty; EXECUTE to
 * PUBLIC for routines); row-level security omitted when off; policies sorted by name with sorted roles; collations
 * qualified and sorted. Pure and idempotent.
 */
export function normalizeSecurityOf(schema: Schema, qualifyName: (name: QualifiedName) => QualifiedName): Schema {
  const collations = [...(schema.collations ?? [])]
    .map((c) => normalizeCollation(c, qualifyName))
    .sort((a, b) => compare(`${a.name.schema}.${a.name.name}`, `${b.name.schema}.${b.name.name}`))
  const { collations: _, routines, ...rest } = schema
  return {
    ...rest,
    namespaces: schema.namespaces.map((n) => withPrivileges(n, [])),
    sequences: schema.sequences.map((s) => withPrivileges(s, [])),
    tables: schema.tables.map(normalizeTableSecurity),
    views: schema.views.map((v) => withPrivileges(v, [])),
    ...(routines === undefined
      ? {}
      : { routines: routines.map((r) => withPrivileges(r, defaultPrivileges('routine'))) }),
    ...(collations.length === 0 ? {} : { collations }),
  }
}

/** Sorted, de-duplicated, upper-case privileges; `grantable` and `revoked` only when true. */
export function normalizePrivileges(privileges: readonly Privilege[]): readonly Privilege[] {
  const byKey = new Map<string, Privilege>()
  for (const p of privileges) {
    const privilege = p.privilege.toUpperCase()
    const grantee = publicAsKeyword(p.grantee)
    const key = `${grantee}\u0001${privilege}\u0001${p.revoked ? 'r' : ''}`
    const grantable = p.grantable === true || byKey.get(key)?.grantable === true
    byKey.set(key, {
      grantee,
      privilege,
      ...(grantable && !p.revoked ? { grantable: true } : {}),
      ...(p.revoked ? { revoked: true } : {}),
    })
  }
  return [...byKey.entries()].sort(([a], [b]) => compare(a, b)).map(([, p]) => p)
}

/** `public` (a name no role can have) is PUBLIC, as a declared schema may spell it. */
function publicAsKeyword(role: string): string {
  return role === 'public' ? 'PUBLIC' : role
}

function withPrivileges<T extends { readonly privileges?: readonly Privilege[] }>(
  object: T,
  defaults: readonly Privilege[],
): T {
  // Checked before the rest is copied: most objects have no privileges of their own, and the copy is the cost.
  if (object.privileges === undefined) return object
  const { privileges, ...rest } = object
  const normalized = normalizePrivileges(privileges)
  return (deepEqual(normalized, defaults) ? rest : { ...rest, privileges: normalized }) as T
}

function normalizeTableSecurity(table: Table): Table {
  // Nothing to normalise (what most tables are): the table itself, not a copy of it.
  if (table.privileges === undefined && !('rowLevelSecurity' in table) && !('policies' in table)) return table
  const { rowLevelSecurity, policies, ...rest } = withPrivileges(table, [])
  const enabled = rowLevelSecurity?.enabled === true
  const forced = rowLevelSecurity?.forced === true
  const sorted = [...(policies ?? [])].map(normalizePolicy).sort((a, b) => compare(a.name, b.name))
  return {
    ...rest,
    ...(enabled || forced ? { rowLevelSecurity: forced ? { enabled, forced: true } : { enabled } } : {}),
    ...(sorted.length === 0 ? {} : { policies: sorted }),
  }
}

function normalizePolicy(policy: RowPolicy): RowPolicy {
  const { restrictive, roles, using, withCheck, comment, ...rest } = policy
  const names = [...new Set(roles.map(publicAsKeyword))].sort(compare)
  return {
    ...rest,
    command: policy.command.toUpperCase() as RowPolicy['command'],
    ...(restrictive ? { restrictive: true } : {}),
    roles: names.length === 0 ? ['PUBLIC'] : names,
    ...(using === undefined ? {} : { using }),
    ...(withCheck === undefined ? {} : { withCheck }),
    ...(comment ? { comment } : {}),
  }
}

function normalizeCollation(collation: Collation, qualifyName: (name: QualifiedName) => QualifiedName): Collation {
  const { nondeterministic, comment, lcCollate, lcCtype, locale, ...rest } = collation
  // libc: `locale` sets LC_COLLATE and LC_CTYPE alike, so equal halves are one locale.
  const same = lcCollate !== undefined && lcCollate === lcCtype
  return {
    ...rest,
    name: qualifyName(collation.name),
    ...(locale !== undefined ? { locale } : same ? { locale: lcCollate } : {}),
    ...(same || lcCollate === undefined ? {} : { lcCollate }),
    ...(same || lcCtype === undefined ? {} : { lcCtype }),
    ...(nondeterministic ? { nondeterministic: true } : {}),
    ...(comment ? { comment } : {}),
  }
}
