/** One comment: `catalog` names the catalog of the object, `sub` is the column number for columns (else 0). */
export interface CommentRow {
  readonly catalog: 'pg_class' | 'pg_type' | 'pg_namespace' | 'pg_constraint'
  readonly oid: string
  readonly sub: number
  readonly description: string
}

/**
 * Comments on user objects, in one query for the whole database. OIDs below 16384
 * (FirstNormalObjectId) belong to objects created by initdb, whose comments are not the user's.
 */
export const COMMENTS_SQL = `
select case d.classoid
    when 'pg_class'::regclass then 'pg_class'
    when 'pg_type'::regclass then 'pg_type'
    when 'pg_namespace'::regclass then 'pg_namespace'
    else 'pg_constraint' end as catalog,
  d.objoid::text as oid, d.objsubid as sub, d.description
from pg_description d
where d.objoid >= 16384
  and d.classoid in ('pg_class'::regclass, 'pg_type'::regclass, 'pg_namespace'::regclass, 'pg_constraint'::regclass)`
