import { describe, expect, it } from 'vitest'
import { unqualifySingleRelationView } from './view-definition.js'

/**
 * Pairs printed by pg_get_viewdef(oid, true) for the same view on PostgreSQL 15 and on PostgreSQL 18
 * (PGlite 0.5), captured from real servers. Tables: t (id, a, b, c, d), s2.u (id, t_id, name), "Weird T" ("Col", x).
 */
const CASES: readonly (readonly [sql: string, pg15: string, pg18: string])[] = [
  [
    'select * from t',
    ' SELECT t.id,\n    t.a,\n    t.b,\n    t.c,\n    t.d\n   FROM t;',
    ' SELECT id,\n    a,\n    b,\n    c,\n    d\n   FROM t;',
  ],
  [
    "select t.id, a + 1 as a1, upper(b) as ub, c->>'k' as k, d::date as dd from t where a > 0 and b like 'x%' order by a desc limit 5",
    " SELECT t.id,\n    t.a + 1 AS a1,\n    upper(t.b) AS ub,\n    t.c ->> 'k'::text AS k,\n    t.d::date AS dd\n   FROM t\n  WHERE t.a > 0 AND t.b ~~ 'x%'::text\n  ORDER BY t.a DESC\n LIMIT 5;",
    " SELECT id,\n    a + 1 AS a1,\n    upper(b) AS ub,\n    c ->> 'k'::text AS k,\n    d::date AS dd\n   FROM t\n  WHERE a > 0 AND b ~~ 'x%'::text\n  ORDER BY a DESC\n LIMIT 5;",
  ],
  [
    'select x.id, x.a from t x where x.a in (select t_id from s2.u where u.name = x.b)',
    ' SELECT x.id,\n    x.a\n   FROM t x\n  WHERE (x.a IN ( SELECT u.t_id\n           FROM s2.u\n          WHERE u.name = x.b));',
    ' SELECT id,\n    a\n   FROM t x\n  WHERE (a IN ( SELECT u.t_id\n           FROM s2.u\n          WHERE u.name = x.b));',
  ],
  [
    'select id, (select count(*) from s2.u where u.t_id = t.id) as n from t',
    ' SELECT t.id,\n    ( SELECT count(*) AS count\n           FROM s2.u\n          WHERE u.t_id = t.id) AS n\n   FROM t;',
    ' SELECT id,\n    ( SELECT count(*) AS count\n           FROM s2.u\n          WHERE u.t_id = t.id) AS n\n   FROM t;',
  ],
  [
    'select a, count(*) from t group by a having count(*) > 1',
    ' SELECT t.a,\n    count(*) AS count\n   FROM t\n  GROUP BY t.a\n HAVING count(*) > 1;',
    ' SELECT a,\n    count(*) AS count\n   FROM t\n  GROUP BY a\n HAVING count(*) > 1;',
  ],
  [
    'select id from t union all select id from s2.u',
    ' SELECT t.id\n   FROM t\nUNION ALL\n SELECT u.id\n   FROM s2.u;',
    ' SELECT t.id\n   FROM t\nUNION ALL\n SELECT u.id\n   FROM s2.u;',
  ],
  [
    'with w as (select id, a from t) select w.id from w where w.a > 1',
    ' WITH w AS (\n         SELECT t.id,\n            t.a\n           FROM t\n        )\n SELECT w.id\n   FROM w\n  WHERE w.a > 1;',
    ' WITH w AS (\n         SELECT t.id,\n            t.a\n           FROM t\n        )\n SELECT id\n   FROM w\n  WHERE a > 1;',
  ],
  [
    'select q.id from (select id from t) q',
    ' SELECT q.id\n   FROM ( SELECT t.id\n           FROM t) q;',
    ' SELECT id\n   FROM ( SELECT t.id\n           FROM t) q;',
  ],
  [
    'select g from generate_series(1, 3) g',
    ' SELECT g.g\n   FROM generate_series(1, 3) g(g);',
    ' SELECT g\n   FROM generate_series(1, 3) g(g);',
  ],
  [
    'select "Col", x from "Weird T" where "Col" > 1',
    ' SELECT "Weird T"."Col",\n    "Weird T".x\n   FROM "Weird T"\n  WHERE "Weird T"."Col" > 1;',
    ' SELECT "Col",\n    x\n   FROM "Weird T"\n  WHERE "Col" > 1;',
  ],
  [
    'select row_to_json(t.*) as j, t.id from t',
    ' SELECT row_to_json(t.*) AS j,\n    t.id\n   FROM t;',
    ' SELECT row_to_json(t.*) AS j,\n    id\n   FROM t;',
  ],
  [
    'select t.id, u.name from t left join s2.u on u.t_id = t.id',
    ' SELECT t.id,\n    u.name\n   FROM t\n     LEFT JOIN s2.u ON u.t_id = t.id;',
    ' SELECT t.id,\n    u.name\n   FROM t\n     LEFT JOIN s2.u ON u.t_id = t.id;',
  ],
  [
    "select id, case when a > 1 then 'big' else 'small' end as size, coalesce(b, 'n/a') as b2, extract(year from d) as y, a::text as at from t",
    " SELECT t.id,\n        CASE\n            WHEN t.a > 1 THEN 'big'::text\n            ELSE 'small'::text\n        END AS size,\n    COALESCE(t.b, 'n/a'::text) AS b2,\n    EXTRACT(year FROM t.d) AS y,\n    t.a::text AS at\n   FROM t;",
    " SELECT id,\n        CASE\n            WHEN a > 1 THEN 'big'::text\n            ELSE 'small'::text\n        END AS size,\n    COALESCE(b, 'n/a'::text) AS b2,\n    EXTRACT(year FROM d) AS y,\n    a::text AS at\n   FROM t;",
  ],
  [
    'select distinct on (a) a, id from only t order by a, id',
    ' SELECT DISTINCT ON (t.a) t.a,\n    t.id\n   FROM ONLY t\n  ORDER BY t.a, t.id;',
    ' SELECT DISTINCT ON (a) a,\n    id\n   FROM ONLY t\n  ORDER BY a, id;',
  ],
  [
    'select sum(a) over (partition by b order by id) as s from t',
    ' SELECT sum(t.a) OVER (PARTITION BY t.b ORDER BY t.id) AS s\n   FROM t;',
    ' SELECT sum(a) OVER (PARTITION BY b ORDER BY id) AS s\n   FROM t;',
  ],
  ['select 1 as one', ' SELECT 1 AS one;', ' SELECT 1 AS one;'],
  [
    'select id from t where exists (select 1 from s2.u where u.t_id = t.id)',
    ' SELECT t.id\n   FROM t\n  WHERE (EXISTS ( SELECT 1\n           FROM s2.u\n          WHERE u.t_id = t.id));',
    ' SELECT id\n   FROM t\n  WHERE (EXISTS ( SELECT 1\n           FROM s2.u\n          WHERE u.t_id = t.id));',
  ],
  [
    "select id, a from t where b = 'it''s t.a'",
    " SELECT t.id,\n    t.a\n   FROM t\n  WHERE t.b = 'it''s t.a'::text;",
    " SELECT id,\n    a\n   FROM t\n  WHERE b = 'it''s t.a'::text;",
  ],
  ['select s2.u.name from s2.u', ' SELECT u.name\n   FROM s2.u;', ' SELECT name\n   FROM s2.u;'],
  [
    'select id from t tt where tt.a = any (array[1,2])',
    ' SELECT tt.id\n   FROM t tt\n  WHERE tt.a = ANY (ARRAY[1, 2]);',
    ' SELECT id\n   FROM t tt\n  WHERE a = ANY (ARRAY[1, 2]);',
  ],
]

describe('unqualifySingleRelationView', () => {
  it.each(CASES)('rewrites PostgreSQL 15 output into PostgreSQL 16+ output: %s', (_sql, pg15, pg18) => {
    expect(unqualifySingleRelationView(pg15)).toBe(pg18)
  })

  it.each(CASES)('leaves PostgreSQL 16+ output as it is: %s', (_sql, _pg15, pg18) => {
    expect(unqualifySingleRelationView(pg18)).toBe(pg18)
  })

  it("keeps qualifiers that are not the FROM item's, and text in literals", () => {
    const pg15 = " SELECT t.id,\n    s.t::text AS c\n   FROM t\n  WHERE t.b = 't.a'::text AND t.c::public.t IS NULL;"
    expect(unqualifySingleRelationView(pg15)).toBe(
      " SELECT id,\n    s.t::text AS c\n   FROM t\n  WHERE b = 't.a'::text AND c::public.t IS NULL;",
    )
  })
})
