import { assertNever } from '../assert-never.js'
import type { SecurityChange } from '../diff/change.js'

/**
 * The change that undoes a privilege, row-level security or collation change: a grant becomes the revoke of the
 * same privileges (with the grant option when it was granted with it) and back, a create becomes the drop of the
 * same object and back, and an alteration swaps its `from` and `to`.
 *
 * @example
 * invertSecurityChange({ kind: 'grant', target, grantee: 'app', privileges: ['SELECT'] })
 * // { kind: 'revoke', target, grantee: 'app', privileges: ['SELECT'] }
 */
export function invertSecurityChange(change: SecurityChange): SecurityChange {
  switch (change.kind) {
    case 'grant':
      return { ...change, kind: 'revoke' }
    case 'revoke':
      return { ...change, kind: 'grant' }
    case 'createPolicy':
      return { ...change, kind: 'dropPolicy' }
    case 'dropPolicy':
      return { ...change, kind: 'createPolicy' }
    case 'createCollation':
      return { ...change, kind: 'dropCollation' }
    case 'dropCollation':
      return { ...change, kind: 'createCollation' }
    case 'setRowLevelSecurity':
      return { kind: 'setRowLevelSecurity', table: change.table, from: change.to, to: change.from }
    case 'alterPolicy':
      return { kind: 'alterPolicy', table: change.table, from: change.to, to: change.from }
    case 'alterCollation':
      return { kind: 'alterCollation', from: change.to, to: change.from }
    default:
      return assertNever(change)
  }
}
