import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { migrate } from '../../../src/migrate/runner.js'
import type { Schema } from '../../../src/schema/model.js'
import { DIALECTS } from '../../support/databases.js'
import { disposeTargets, type Target, useProject, withTarget } from './project.js'
import { renderPhased } from './render-phased.js'

// Issue 7: an enum that loses a value is swapped (a twin type, columns swapped, the old type dropped, the twin
// renamed). What names the type only by a cast, in any spelling (a view's CAST(m AS "Shop"."Mood") over a text
// column, a check, a default), holds the old type: DROP TYPE refused ("view ... depends on type") until the plan
// found them with the parser instead of a text pattern. They are dropped just before the swap and made again in its
// transaction; the view survives and reads the new type.
beforeAll(() => getDialect('postgres').phaseSql?.prepare())
const project = useProject()
afterAll(() => disposeTargets())

const SETUP = `
create schema "Shop";
create type "Shop"."Mood" as enum ('sad', 'ok', 'happy');
create table "Shop".posts (
  id int primary key,
  m text not null default 'ok',
  mm "Shop"."Mood" default 'ok',
  label text default ('happy'::"Shop"."Mood")::text,
  constraint m_is_mood check (CAST(m AS "Shop"."Mood") is not null)
);
create view "Shop".happy as select id, CAST(m AS "Shop"."Mood") as mood from "Shop".posts where mm = 'happy';
insert into "Shop".posts (id, m, mm) values (1, 'ok', 'ok'), (2, 'happy', 'happy');
`

/** The goal: 'sad' gone, 'great' added (no ALTER TYPE reaches it); everything else as it is. */
function goalOf(from: Schema): Schema {
  return { ...from, enums: from.enums.map((e) => ({ ...e, values: ['ok', 'happy', 'great'] })) }
}

describe.each(DIALECTS)('an enum swap on %s', (dialect) => {
  it('keeps a view, a check and a default that cast to "Shop"."Mood" through the swap', {
    timeout: 120_000,
  }, async () => {
    await withTarget(dialect, async ({ conn, options }: Target) => {
      await conn.exec(SETUP)
      const { dialect: d, goal, rendered } = await renderPhased(conn, goalOf)
      for (const [i, m] of rendered.entries()) project.add(`2026010100000${i}_mood_${m.phase}`, m.files)
      await migrate({ ...options, migrationsDir: project.migrations })

      expect(await conn.query('select id, mood::text as mood from "Shop".happy')).toEqual([{ id: 2, mood: 'happy' }])
      // The view, the check and the default name the swapped type (the twin, renamed), not a dropped one.
      expect(
        await conn.query(`select count(*)::int as n from pg_depend d join pg_type t on t.oid = d.refobjid
          where t.typname = 'Mood' and d.deptype = 'n' and d.classid in ('pg_rewrite'::regclass, 'pg_constraint'::regclass, 'pg_attrdef'::regclass)`),
      ).toEqual([{ n: 4 }])
      await expect(conn.exec(`insert into "Shop".posts (id, m) values (3, 'sad')`)).rejects.toThrow(/sad/)
      await conn.exec(`insert into "Shop".posts (id, m, mm) values (4, 'great', 'happy')`)
      expect(await conn.query(`select label from "Shop".posts where id = 4`)).toEqual([{ label: 'happy' }])
      expect(diff(await d.introspect(conn, { excludeTables: ['public.keel_migrations'] }), goal).changes).toEqual([])
    })
  })
})
