import { routineKey } from '../../diff/diff-routines.js'
import type { Collation, Privilege, RowPolicy, Schema, Table } from '../../schema/model.js'
import { nameKey } from '../../schema/name.js'
import type { SecurityCatalogRows } from './introspect-read.js'
import type { CollationRow } from './queries/collations.js'
import type { PrivilegeItemRow, PrivilegeRow } from './queries/privileges.js'
import type { PolicyItemRow, RowSecurityRow } from './queries/row-security.js'

/**
 * `schema` with the privileges of its namespaces, tables, views, sequences and routines, the row-level security
 * and policies of its tables, and its collations. Rows are matched to the objects by name, so rows of objects the
 * schema leaves out (extension members, left-out tables, `public`) are ignored. Normalisation (normalize-security.ts)
 * then drops lists that hold the default.
 */
export function attachSecurity(schema: Schema, rows: SecurityCatalogRows): Schema {
  const privileges = new Map(rows.privileges.map((row) => [privilegeKey(row), row.privileges.map(buildPrivilege)]))
  const of = (kind: string, key: string) => {
    const found = privileges.get(`${kind}\u0002${key}`)
    return found === undefined ? {} : { privileges: found }
  }
  const security = new Map(rows.rowSecurity.map((row) => [nameKey({ schema: row.schema, name: row.name }), row]))
  const collations = rows.collations.map(buildCollation)
  return {
    ...schema,
    namespaces: schema.namespaces.map((n) => ({ ...n, ...of('namespace', n.name) })),
    sequences: schema.sequences.map((s) => ({ ...s, ...of('sequence', nameKey(s.name)) })),
    tables: schema.tables.map((t) => {
      const privileges = of('table', nameKey(t.name))
      return withRowSecurity('privileges' in privileges ? { ...t, ...privileges } : t, security)
    }),
    views: schema.views.map((v) => ({
      ...v,
      ...of(v.materialized ? 'materializedView' : 'view', nameKey(v.name)),
    })),
    ...(schema.routines === undefined
      ? {}
      : {
          routines: schema.routines.map((r) => ({ ...r, ...of('routine', routineKey(r.name, r.identityArgs)) })),
        }),
    ...(collations.length === 0 ? {} : { collations }),
  }
}

function privilegeKey(row: PrivilegeRow): string {
  switch (row.kind) {
    case 'namespace':
      return `namespace\u0002${row.name}`
    case 'routine':
      return `routine\u0002${routineKey({ schema: row.schema, name: row.name }, row.identity_args ?? '')}`
    default:
      return `${row.kind}\u0002${nameKey({ schema: row.schema, name: row.name })}`
  }
}

function buildPrivilege(row: PrivilegeItemRow): Privilege {
  return {
    grantee: row.grantee,
    privilege: row.privilege,
    ...(row.grantable ? { grantable: true } : {}),
    ...(row.revoked ? { revoked: true } : {}),
  }
}

function withRowSecurity(table: Table, security: ReadonlyMap<string, RowSecurityRow>): Table {
  const row = security.get(nameKey(table.name))
  if (row === undefined) return table
  const policies = row.policies.map(buildPolicy)
  return {
    ...table,
    ...(row.enabled || row.forced
      ? { rowLevelSecurity: row.forced ? { enabled: row.enabled, forced: true } : { enabled: row.enabled } }
      : {}),
    ...(policies.length === 0 ? {} : { policies }),
  }
}

const COMMANDS = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' } as const

function buildPolicy(row: PolicyItemRow): RowPolicy {
  return {
    name: row.name,
    ...(row.permissive ? {} : { restrictive: true }),
    command: COMMANDS[row.command],
    roles: row.roles,
    ...(row.using === null ? {} : { using: row.using }),
    ...(row.with_check === null ? {} : { withCheck: row.with_check }),
    ...(row.comment ? { comment: row.comment } : {}),
  }
}

const PROVIDERS = { c: 'libc', i: 'icu', b: 'builtin' } as const

/** A libc collation states one locale when LC_COLLATE and LC_CTYPE agree, as CREATE COLLATION's `locale` sets both. */
function buildCollation(row: CollationRow): Collation {
  const provider = PROVIDERS[row.provider]
  const libcLocale =
    row.lc_collate === row.lc_ctype
      ? row.lc_collate === null
        ? {}
        : { locale: row.lc_collate }
      : {
          ...(row.lc_collate === null ? {} : { lcCollate: row.lc_collate }),
          ...(row.lc_ctype === null ? {} : { lcCtype: row.lc_ctype }),
        }
  return {
    name: { schema: row.schema, name: row.name },
    provider,
    ...(provider === 'libc' ? libcLocale : row.locale === null ? {} : { locale: row.locale }),
    ...(row.deterministic ? {} : { nondeterministic: true }),
    ...(row.rules === null ? {} : { rules: row.rules }),
    ...(row.comment ? { comment: row.comment } : {}),
  }
}
