/**
 * keel push (applyPlan) and keel diff's script (planToSql) run an enum recreated in place in one transaction even when a step outside a transaction
 * falls among its steps. applyPlan ran each run of consecutive transactional steps in a transaction of its own, so a
 * concurrent drop on another table between the drop of an index that reads the converted column and the conversion
 * committed that drop: a conversion that then failed (a row holds the removed value) left the index dropped. Now the
 * concurrent step runs before the recreation (migrate/whole-runs.ts), and the failure rolls the whole recreation back.
 */
import { describe, expect, it } from 'vitest'
import { planToSql } from '../../../src/cli/format/plan-sql.js'
import type { Change } from '../../../src/diff/change.js'
import type { Plan, Step } from '../../../src/plan/step.js'
import { enumOf, index, nameOf } from '../../../src/schema/build.js'
import type { QualifiedName } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { changeOf } from '../../support/change-of.js'
import { withDatabase } from '../../support/databases.js'

const posts = nameOf('public.posts')
const tags = nameOf('public.tags')
const recreate = changeOf('alterEnum', {
  from: enumOf('public.mood', ['sad', 'ok', 'happy']),
  to: enumOf('public.mood', ['ok', 'happy']),
  usages: [],
})
const indexChange = (kind: 'createIndex' | 'dropIndex', table: QualifiedName, name: string, column: string) =>
  changeOf(kind, { table, index: index(name, [column]) })

const step = (sql: string, on: QualifiedName[], source: Change, transactional = true): Step => ({
  sql,
  reverse: { sql: '' },
  transactional,
  lock: transactional
    ? { mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on }
    : { mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on },
  rewritesTable: false,
  scansTable: false,
  dataLoss: 'none',
  phase: 'expand',
  source,
  comment: sql,
})

// The recreation as the PostgreSQL planner writes it, with a concurrent drop on tags where a phase's order put one.
const plan: Plan = {
  dialect: 'postgres',
  steps: [
    step('DROP INDEX public.posts_happy', [posts], indexChange('dropIndex', posts, 'posts_happy', 'id')),
    step('DROP INDEX CONCURRENTLY public.tags_old', [tags], indexChange('dropIndex', tags, 'tags_old', 'old'), false),
    step('ALTER TYPE public.mood RENAME TO mood_keel_old', [], recreate),
    step("CREATE TYPE public.mood AS ENUM ('ok', 'happy')", [], recreate),
    {
      ...step('ALTER TABLE public.posts ALTER COLUMN m TYPE public.mood USING m::text::public.mood', [posts], recreate),
      rewritesTable: true,
    },
    step('DROP TYPE public.mood_keel_old', [], recreate),
    step(
      "CREATE INDEX posts_happy ON public.posts (id) WHERE m = 'happy'",
      [posts],
      indexChange('createIndex', posts, 'posts_happy', 'id'),
    ),
  ],
}

describe('applyPlan, an enum recreated in place beside a concurrent drop (PostgreSQL)', () => {
  it('rolls the whole recreation back when its conversion fails', async () => {
    await withDatabase('postgres', async ({ conn }) => {
      await conn.exec(`create type mood as enum ('sad', 'ok', 'happy');
        create table posts (id bigint primary key, m mood not null);
        create index posts_happy on posts (id) where m = 'happy';
        create table tags (id bigint primary key, old integer);
        create index tags_old on tags (old);
        insert into posts values (1, 'sad'), (2, 'happy');`)
      // 'sad' is still in a row: the conversion fails (22P02).
      await expect(applyPlan(conn, plan)).rejects.toThrow(/sad/)
      const indexes = await conn.query<{ indexname: string }>(
        "select indexname from pg_indexes where schemaname = 'public' and tablename in ('posts', 'tags') order by 1",
      )
      // posts_happy is there (the drop rolled back with the conversion); tags_old is gone (it ran before, on its own).
      expect(indexes.map((r) => r.indexname)).toEqual(['posts_happy', 'posts_pkey', 'tags_pkey'])
      const types = await conn.query<{ typname: string }>(
        "select typname from pg_type where typname in ('mood', 'mood_keel_old') order by 1",
      )
      expect(types.map((r) => r.typname)).toEqual(['mood'])
    })
  })

  it('prints it for keel diff in that order, the recreation between one BEGIN and COMMIT', () => {
    const lines = planToSql(plan, { annotate: false, atomic: true }).split('\n')
    expect(lines).toEqual([
      'DROP INDEX CONCURRENTLY public.tags_old;',
      'BEGIN;',
      'DROP INDEX public.posts_happy;',
      'ALTER TYPE public.mood RENAME TO mood_keel_old;',
      "CREATE TYPE public.mood AS ENUM ('ok', 'happy');",
      'ALTER TABLE public.posts ALTER COLUMN m TYPE public.mood USING m::text::public.mood;',
      'DROP TYPE public.mood_keel_old;',
      "CREATE INDEX posts_happy ON public.posts (id) WHERE m = 'happy';",
      'COMMIT;',
    ])
  })
})
