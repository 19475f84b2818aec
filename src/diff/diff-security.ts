/**
 * Privileges, row-level security and collations in the differ. A created object brings its privileges, row-level
 * security and policies with it (the planner grants and creates them as part of creating it), and a dropped one
 * takes them away, so the changes here are only for objects that exist on both sides and are not recreated.
 */
import { deepEqual, omitKeys } from '../schema/equal.js'
import type { Privilege, Routine, RowPolicy, Schema, Table } from '../schema/model.js'
import { nameKey } from '../schema/name.js'
import type { Change, PrivilegeTarget } from './change.js'
import { compareKeys, matchByName } from './diff-named.js'
import { routineKey, routineNeedsRecreate } from './diff-routines.js'
import type { Taint } from './diff-views.js'
import { mentionsIdentifier } from './rename-identifier.js'

const ROUTINE_DEFAULT: readonly Privilege[] = [{ grantee: 'PUBLIC', privilege: 'EXECUTE' }]

/** What PostgreSQL grants on a new object of this kind without any GRANT: EXECUTE to PUBLIC on routines. */
export function defaultPrivileges(kind: PrivilegeTarget['kind']): readonly Privilege[] {
  return kind === 'routine' ? ROUTINE_DEFAULT : []
}

/** The privileges an object holds: its list, or its kind's default when the model omits the list. */
export function effectivePrivileges(
  kind: PrivilegeTarget['kind'],
  privileges: readonly Privilege[] | undefined,
): readonly Privilege[] {
  return privileges ?? defaultPrivileges(kind)
}

/** The GRANT target of a routine. */
export function routineTarget(routine: Routine): PrivilegeTarget {
  return { kind: 'routine', name: routine.name, routineKind: routine.kind, identityArgs: routine.identityArgs }
}

/** A `grant` or `revoke` change. */
export type PrivilegeChange = Extract<Change, { readonly kind: 'grant' | 'revoke' }>

const atomKey = (p: Privilege) =>
  `${p.grantee}\u0001${p.privilege}\u0001${p.grantable ? 'g' : ''}${p.revoked ? 'r' : ''}`

/**
 * The `revoke` and `grant` changes that turn the privileges `from` into `to` on `target`, revokes first, one per
 * grantee and grant option, privileges sorted. A privilege that gains or loses the grant option is revoked and
 * granted again. A `revoked` entry (a privilege the owner lacks) that appears is a revoke from the owner, and one
 * that goes away a grant back to it.
 *
 * @example
 * privilegeChanges(target, [{ grantee: 'app', privilege: 'SELECT' }], [{ grantee: 'app', privilege: 'UPDATE' }])
 * // [{ kind: 'revoke', target, grantee: 'app', privileges: ['SELECT'] }, { kind: 'grant', ..., privileges: ['UPDATE'] }]
 */
export function privilegeChanges(
  target: PrivilegeTarget,
  from: readonly Privilege[],
  to: readonly Privilege[],
): PrivilegeChange[] {
  const before = new Set(from.map(atomKey))
  const after = new Set(to.map(atomKey))
  const gone = from.filter((p) => !after.has(atomKey(p)))
  const come = to.filter((p) => !before.has(atomKey(p)))
  const revokes = [...gone.filter((p) => !p.revoked), ...come.filter((p) => p.revoked)]
  const grants = [...come.filter((p) => !p.revoked), ...gone.filter((p) => p.revoked)]
  return [...grouped('revoke', target, revokes), ...grouped('grant', target, grants)]
}

function grouped(
  kind: 'grant' | 'revoke',
  target: PrivilegeTarget,
  privileges: readonly Privilege[],
): PrivilegeChange[] {
  const groups = new Map<string, { grantee: string; grantable: boolean; privileges: string[] }>()
  for (const p of privileges) {
    const key = `${p.grantee}\u0001${p.grantable ? 'g' : ''}`
    const group = groups.get(key) ?? { grantee: p.grantee, grantable: p.grantable === true, privileges: [] }
    if (!group.privileges.includes(p.privilege)) group.privileges.push(p.privilege)
    groups.set(key, group)
  }
  return [...groups.entries()]
    .sort(([a], [b]) => compareKeys(a, b))
    .map(
      ([, group]): PrivilegeChange => ({
        kind,
        target,
        grantee: group.grantee,
        privileges: [...group.privileges].sort(compareKeys),
        ...(group.grantable ? { grantable: true as const } : {}),
      }),
    )
}

/** Collations by name; a comment-only difference is an `alterCollation`, any other a drop and a create. */
export function diffCollations(from: Schema, to: Schema): readonly Change[] {
  const matched = matchByName(from.collations ?? [], to.collations ?? [], (c) => nameKey(c.name))
  const changes: Change[] = [
    ...matched.dropped.map((collation): Change => ({ kind: 'dropCollation', collation })),
    ...matched.added.map((collation): Change => ({ kind: 'createCollation', collation })),
  ]
  for (const [before, after] of matched.both) {
    if (deepEqual(before, after)) continue
    if (deepEqual(omitKeys(before, 'comment'), omitKeys(after, 'comment'))) {
      changes.push({ kind: 'alterCollation', from: before, to: after })
    } else {
      changes.push({ kind: 'dropCollation', collation: before }, { kind: 'createCollation', collation: after })
    }
  }
  return changes
}

/**
 * The privilege, row-level security and policy changes of objects present on both sides (`from` already renamed).
 * `others` are the diff's other changes: objects they create (or drop and create) are left out, and a table whose
 * columns change type or collation has its policies dropped and created around the change (PostgreSQL refuses to
 * retype a column a policy uses). So does a policy that reads a column in `converted` (of an enum that is recreated,
 * or of a domain over it), which the enum's steps convert.
 */
export function diffSecurity(
  from: Schema,
  to: Schema,
  others: readonly Change[],
  converted: Taint = new Map(),
): readonly Change[] {
  const created = new Set<string>()
  const retyped = new Set<string>()
  for (const change of others) {
    if (change.kind === 'createTable') created.add(nameKey(change.table.name))
    if (change.kind === 'createView') created.add(nameKey(change.view.name))
    if (change.kind === 'createSequence') created.add(nameKey(change.sequence.name))
    if (change.kind === 'alterColumn' && (change.aspects.includes('type') || change.aspects.includes('collation')))
      retyped.add(nameKey(change.table))
  }
  const kept = <T extends { readonly name: Table['name'] }>(pair: readonly [T, T]) =>
    !created.has(nameKey(pair[1].name))
  const changes: Change[] = []
  for (const [before, after] of matchByName(from.namespaces, to.namespaces, (n) => n.name).both) {
    const target = { kind: 'namespace', name: after.name } as const
    changes.push(...privilegeChanges(target, before.privileges ?? [], after.privileges ?? []))
  }
  for (const [before, after] of matchByName(from.sequences, to.sequences, (s) => nameKey(s.name)).both.filter(kept)) {
    const target = { kind: 'sequence', name: after.name } as const
    changes.push(...privilegeChanges(target, before.privileges ?? [], after.privileges ?? []))
  }
  for (const [before, after] of matchByName(from.tables, to.tables, (t) => nameKey(t.name)).both.filter(kept)) {
    const columns = converted.get(nameKey(after.name))
    const reads = (policy: RowPolicy) =>
      columns !== undefined &&
      [policy.using ?? '', policy.withCheck ?? ''].some((expr) =>
        columns === 'all' ? expr !== '' : [...columns].some((column) => mentionsIdentifier(expr, column)),
      )
    changes.push(...diffTableSecurity(before, after, retyped.has(nameKey(after.name)), reads))
  }
  for (const [before, after] of matchByName(from.views, to.views, (v) => nameKey(v.name)).both.filter(kept)) {
    const target = { kind: after.materialized ? 'materializedView' : 'view', name: after.name } as const
    changes.push(...privilegeChanges(target, before.privileges ?? [], after.privileges ?? []))
  }
  const routines = matchByName(from.routines ?? [], to.routines ?? [], (r) => routineKey(r.name, r.identityArgs))
  for (const [before, after] of routines.both) {
    // A routine that is dropped and created again gets its privileges as a new one does.
    if (routineNeedsRecreate(before, after)) continue
    changes.push(
      ...privilegeChanges(
        routineTarget(after),
        effectivePrivileges('routine', before.privileges),
        effectivePrivileges('routine', after.privileges),
      ),
    )
  }
  return changes
}

/** Privileges, row-level security and policies of one table present on both sides. */
function diffTableSecurity(
  before: Table,
  after: Table,
  retyped: boolean,
  readsConverted: (policy: RowPolicy) => boolean,
): Change[] {
  const table = after.name
  const changes: Change[] = privilegeChanges(
    { kind: 'table', name: table },
    before.privileges ?? [],
    after.privileges ?? [],
  )
  if (!deepEqual(before.rowLevelSecurity, after.rowLevelSecurity)) {
    changes.push({ kind: 'setRowLevelSecurity', table, from: before.rowLevelSecurity, to: after.rowLevelSecurity })
  }
  const policies = matchByName(before.policies ?? [], after.policies ?? [], (p) => p.name)
  changes.push(...policies.dropped.map((policy): Change => ({ kind: 'dropPolicy', table, policy })))
  changes.push(...policies.added.map((policy): Change => ({ kind: 'createPolicy', table, policy })))
  for (const [old, next] of policies.both) {
    if (retyped || readsConverted(old) || policyNeedsRecreate(old, next)) {
      changes.push({ kind: 'dropPolicy', table, policy: old }, { kind: 'createPolicy', table, policy: next })
    } else if (!deepEqual(old, next)) {
      changes.push({ kind: 'alterPolicy', table, from: old, to: next })
    }
  }
  return changes
}

/**
 * Whether ALTER POLICY cannot turn `from` into `to`: it changes neither the command nor PERMISSIVE / RESTRICTIVE,
 * and cannot remove a USING or WITH CHECK expression.
 */
export function policyNeedsRecreate(from: RowPolicy, to: RowPolicy): boolean {
  return (
    from.command !== to.command ||
    from.restrictive !== to.restrictive ||
    (from.using !== undefined && to.using === undefined) ||
    (from.withCheck !== undefined && to.withCheck === undefined)
  )
}
