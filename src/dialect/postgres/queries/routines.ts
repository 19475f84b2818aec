import { namespaceFilter } from './filter.js'

/** Something a routine depends on, from pg_depend: a relation or its row type, another type, a routine. */
export interface RoutineDependencyRow {
  readonly kind: 'relation' | 'type' | 'routine'
  readonly schema: string
  readonly name: string
  /** Identity arguments of a routine dependency, else null. */
  readonly args: string | null
}

/** A function, procedure or aggregate; the `agg_*` fields are null unless it is an aggregate. */
export interface RoutineRow {
  readonly oid: string
  readonly schema: string
  readonly name: string
  /** pg_proc.prokind: f function, p procedure, a aggregate, w window function. */
  readonly kind: 'f' | 'p' | 'a' | 'w'
  readonly identity_args: string
  readonly arguments: string
  readonly returns: string | null
  /** `pg_get_functiondef` (functions and procedures; null for aggregates). */
  readonly definition: string | null
  readonly parallel: 's' | 'r' | 'u'
  readonly agg_kind: 'n' | 'o' | 'h' | null
  readonly agg_sfunc: string | null
  readonly agg_stype: string | null
  readonly agg_sspace: number | null
  readonly agg_finalfunc: string | null
  readonly agg_finalfunc_extra: boolean | null
  readonly agg_finalfunc_modify: 'r' | 's' | 'w' | null
  readonly agg_combinefunc: string | null
  readonly agg_serialfunc: string | null
  readonly agg_deserialfunc: string | null
  readonly agg_initcond: string | null
  readonly agg_msfunc: string | null
  readonly agg_minvfunc: string | null
  readonly agg_mstype: string | null
  readonly agg_msspace: number | null
  readonly agg_mfinalfunc: string | null
  readonly agg_mfinalfunc_extra: boolean | null
  readonly agg_mfinalfunc_modify: 'r' | 's' | 'w' | null
  readonly agg_minitcond: string | null
  readonly agg_sortop: string | null
  /** Filled from ROUTINE_DEPENDENCIES_SQL by introspection (not a column of ROUTINES_SQL). */
  readonly depends_on: readonly RoutineDependencyRow[]
  readonly comment: string | null
}

/** A function name as regproc prints it (qualified only where the search_path would not find it), or null for 0. */
const proc = (column: string) => `case when ${column} <> 0 then ${column}::regproc::text end`

/** A type as format_type prints it, or null for 0. */
const type = (column: string) => `case when ${column} <> 0 then format_type(${column}, null) end`

/**
 * What each routine depends on (pg_depend, normal dependencies): types in its signature, where an array
 * type counts as its element and a row type as its relation (RETURNS SETOF customer); relations and
 * routines a SQL-standard body is bound to; an aggregate's support functions. Built-in types and
 * routines (in system namespaces) are left out.
 */
/**
 * What each routine of a user namespace depends on (pg_depend, deptype 'n'), one row per dependency: the types and
 * row types of its signature, the relations and routines a SQL-standard body is bound to, an aggregate's support
 * functions. One flat query for the whole database: as a correlated aggregate inside ROUTINES_SQL it cost a cold
 * connection ~150 ms even for three routines.
 */
export const ROUTINE_DEPENDENCIES_SQL = `
select distinct d.objid::text as routine_oid, dep.kind, dep.schema, dep.name, dep.args
from pg_depend d
join pg_proc p on p.oid = d.objid
join pg_namespace n on n.oid = p.pronamespace
    cross join lateral (
      select case when rc.oid is not null then 'relation' else 'type' end as kind,
        coalesce(rcn.nspname, tn.nspname) as schema, coalesce(rc.relname, tt.typname) as name, null::text as args
      from pg_type rt
      left join pg_type el on rt.typelem <> 0 and el.oid = rt.typelem and el.typarray = rt.oid
      join pg_type tt on tt.oid = coalesce(el.oid, rt.oid)
      join pg_namespace tn on tn.oid = tt.typnamespace
      left join pg_class rc on rc.oid = tt.typrelid and rc.relkind in ('r', 'v', 'm', 'p', 'f')
      left join pg_namespace rcn on rcn.oid = rc.relnamespace
      where d.refclassid = 'pg_type'::regclass and rt.oid = d.refobjid
        and tn.nspname !~ '^pg_' and tn.nspname <> 'information_schema'
      union all
      select 'relation', rn.nspname, rc.relname, null
      from pg_class rc join pg_namespace rn on rn.oid = rc.relnamespace
      where d.refclassid = 'pg_class'::regclass and rc.oid = d.refobjid and rc.relkind in ('r', 'v', 'm', 'p', 'f', 'S')
      union all
      select 'routine', rpn.nspname, rp.proname, pg_get_function_identity_arguments(rp.oid)
      from pg_proc rp join pg_namespace rpn on rpn.oid = rp.pronamespace
      where d.refclassid = 'pg_proc'::regclass and rp.oid = d.refobjid and rp.oid <> p.oid
        and rpn.nspname !~ '^pg_' and rpn.nspname <> 'information_schema'
    ) dep
where d.classid = 'pg_proc'::regclass and d.deptype = 'n'
  and ${namespaceFilter('n')}
  and not exists (select from pg_depend ext_dep
    where ext_dep.classid = 'pg_proc'::regclass and ext_dep.objid = p.oid and ext_dep.deptype = 'e')
order by 1, 2, 3, 4, 5`

/** One row of ROUTINE_DEPENDENCIES_SQL. */
export interface RoutineDependencyByOidRow extends RoutineDependencyRow {
  readonly routine_oid: string
}

/**
 * Functions, procedures and aggregates of user namespaces, without those an extension created. A
 * function or procedure is read whole with `pg_get_functiondef`; an aggregate as its pg_aggregate facts,
 * from which introspection writes its CREATE AGGREGATE.
 */
export const ROUTINES_SQL = `
select p.oid::text as oid, n.nspname as schema, p.proname as name, p.prokind::text as kind,
  pg_get_function_identity_arguments(p.oid) as identity_args,
  pg_get_function_arguments(p.oid) as arguments,
  case when p.prokind <> 'p' then pg_get_function_result(p.oid) end as returns,
  case when p.prokind <> 'a' then pg_get_functiondef(p.oid) end as definition,
  p.proparallel::text as parallel,
  a.aggkind::text as agg_kind,
  ${proc('a.aggtransfn')} as agg_sfunc, ${type('a.aggtranstype')} as agg_stype, a.aggtransspace as agg_sspace,
  ${proc('a.aggfinalfn')} as agg_finalfunc, a.aggfinalextra as agg_finalfunc_extra,
  a.aggfinalmodify::text as agg_finalfunc_modify,
  ${proc('a.aggcombinefn')} as agg_combinefunc, ${proc('a.aggserialfn')} as agg_serialfunc,
  ${proc('a.aggdeserialfn')} as agg_deserialfunc, a.agginitval as agg_initcond,
  ${proc('a.aggmtransfn')} as agg_msfunc, ${proc('a.aggminvtransfn')} as agg_minvfunc,
  ${type('a.aggmtranstype')} as agg_mstype, a.aggmtransspace as agg_msspace,
  ${proc('a.aggmfinalfn')} as agg_mfinalfunc, a.aggmfinalextra as agg_mfinalfunc_extra,
  a.aggmfinalmodify::text as agg_mfinalfunc_modify, a.aggminitval as agg_minitcond,
  case when a.aggsortop <> 0 then
    (select 'OPERATOR(' || quote_ident(opn.nspname) || '.' || o.oprname || ')'
       from pg_operator o join pg_namespace opn on opn.oid = o.oprnamespace where o.oid = a.aggsortop)
  end as agg_sortop,
  obj_description(p.oid, 'pg_proc') as comment
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
left join pg_aggregate a on a.aggfnoid = p.oid
where ${namespaceFilter('n')}
  and not exists (select from pg_depend ext_dep
    where ext_dep.classid = 'pg_proc'::regclass and ext_dep.objid = p.oid and ext_dep.deptype = 'e')
order by n.nspname, p.proname, identity_args`
