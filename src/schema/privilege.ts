/**
 * One privilege granted on an object (`GRANT privilege ON object TO grantee`), as `aclexplode` lists it. Lists of
 * privileges are sorted (grantee, then privilege) and leave out the owner's own privileges, which it holds
 * implicitly (ownership is not modelled), except those revoked from it: an entry with `revoked` names the owner
 * and one privilege it no longer holds. A list is omitted when it is the object's default: empty, except for
 * routines, whose default is `[{ grantee: 'PUBLIC', privilege: 'EXECUTE' }]` (so `privileges: []` on a routine means
 * EXECUTE was revoked from PUBLIC).
 */
export interface Privilege {
  /** A role name, or `PUBLIC` for every role. */
  readonly grantee: string
  /** In the server's words: `SELECT`, `INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`, `REFERENCES`, `TRIGGER`, `USAGE`, ... */
  readonly privilege: string
  /** `WITH GRANT OPTION` */
  readonly grantable?: true
  /** The grantee is the object's owner, and this privilege, implicitly its own, was revoked from it. */
  readonly revoked?: true
}
