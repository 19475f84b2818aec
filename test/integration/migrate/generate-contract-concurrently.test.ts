/**
 * A contract that recreates an enum in place (a stored generated column reads its column, so it cannot be swapped)
 * and builds an index concurrently (on a column the plan backfills) in the same plan. In one migration, PostgreSQL
 * refusing CREATE INDEX CONCURRENTLY in a transaction block, the runner ran the build alone after committing the
 * recreation: lint warned (require-no-transaction-directive), and a build that failed left the migration half applied
 * (10 of 11 statements), which `keel rollback` refuses. `keel generate` now writes the build as a contract migration
 * of its own under `-- keel:no-transaction`: lint passes, the recreation is whole, the failed build is resumed by
 * `keel migrate`, and `keel rollback` undoes all of it. On PostgreSQL 15.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { withDatabase } from '../../support/databases.js'
import { runKeel, useProject } from './project.js'

const project = useProject('export default { migrations: "migrations", schema: "schema.sql" }\n')

const INIT = `create type mood as enum ('sad', 'ok', 'happy');
create table t (id bigint primary key, m mood not null, g boolean generated always as (m = 'happy') stored);
create index t_ok_idx on t (id) where m = 'ok';
create table w (id bigint primary key, x int);
insert into t select i, (array['sad', 'ok', 'happy'])[1 + i % 3]::mood from generate_series(1, 30) i;
insert into w select i, i % 10 from generate_series(1, 30) i;
`
// mood reordered (recreated in place, the generated column reads m), and w.z filled from x with a unique index.
const GOAL = `create type mood as enum ('ok', 'happy', 'sad');
create table t (id bigint primary key, m mood not null, g boolean generated always as (m = 'happy') stored);
create index t_ok_idx on t (id) where m = 'ok';
create table w (id bigint primary key, x int,
  z int -- keel:backfill x * 2
);
create unique index w_z_idx on w (z);
`

describe('keel generate: an enum recreated in place beside a concurrent build, on postgres', () => {
  it('writes the build apart; lint passes; a failed build resumes; rollback undoes it all', async () => {
    await withDatabase('postgres', async ({ url, conn }) => {
      const keel = (...args: string[]) => runKeel(project, url, ...args)
      project.add('20260101000000_init', { 'up.sql': INIT })
      expect((await keel('migrate')).code).toBe(0)
      writeFileSync(join(project.root, 'schema.sql'), GOAL)
      const generated = await keel('generate', 'reorder', '--allow-unsafe')
      expect(generated.code, generated.stderr).toBe(0)

      const ids = readdirSync(project.migrations).filter((d) => d.includes('_reorder_'))
      expect(ids.map((d) => d.replace(/^\d+_/, ''))).toEqual([
        'reorder_expand',
        'reorder_backfill',
        'reorder_contract',
        'reorder_contract_concurrently',
      ])
      const [, , contract, build] = ids as [string, string, string, string]
      const file = (id: string, name: string) => readFileSync(join(project.migrations, id, name), 'utf8')
      // The recreation, its index dropped and made again, one transaction each way; the build alone.
      expect(file(contract, 'up.sql')).toContain('ALTER TABLE public.t ALTER COLUMN m TYPE public.mood')
      expect(file(contract, 'up.sql')).not.toMatch(/CONCURRENTLY|keel:no-transaction/)
      expect(file(contract, 'down.sql')).not.toContain('CONCURRENTLY')
      expect(file(build, 'up.sql')).toMatch(
        /\n-- keel:phase contract\n-- keel:no-transaction\n[\s\S]*\nCREATE UNIQUE INDEX CONCURRENTLY w_z_idx ON public\.w \(z\);\n$/,
      )

      const lint = await keel('lint', '--format', 'json')
      const findings = (JSON.parse(lint.stdout) as { findings: { rule: string; severity: string }[] }).findings
      expect(JSON.parse(lint.stdout).files).toHaveLength(4)
      expect(findings.filter((f) => /transaction/.test(f.rule))).toEqual([])
      expect(findings.filter((f) => f.severity === 'error')).toEqual([])

      // x repeats, so z does: the unique build fails, after the recreation committed whole.
      const failed = await keel('migrate')
      expect(failed.code).toBe(1)
      expect(failed.stderr).toContain(`error[MIGRATION_FAILED]: ${build} failed`)
      expect(failed.stderr).toContain('0 of 1 statements are committed')
      const status = JSON.parse((await keel('status', '--json')).stdout) as {
        migrations: { id: string; state: string }[]
      }
      expect(status.migrations.map((m) => [m.id.replace(/^\d+_/, ''), m.state])).toEqual([
        ['init', 'applied'],
        ['reorder_expand', 'applied'],
        ['reorder_backfill', 'applied'],
        ['reorder_contract', 'applied'],
        ['reorder_contract_concurrently', 'failed'],
      ])
      expect(await conn.query('select enum_range(null::mood)::text as r')).toEqual([{ r: '{ok,happy,sad}' }])

      // Fixed, `keel migrate` goes on with the build (the invalid index it left dropped and built again).
      await conn.exec('update w set z = id * 2')
      const resumed = await keel('migrate')
      expect(resumed.code, resumed.stderr).toBe(0)
      expect(
        await conn.query("select indisvalid as valid from pg_index where indexrelid = 'w_z_idx'::regclass"),
      ).toEqual([{ valid: true }])

      const back = await keel('rollback', '--to', '20260101000000')
      expect(back.code, back.stderr).toBe(0)
      expect(await conn.query('select enum_range(null::mood)::text as r')).toEqual([{ r: '{sad,ok,happy}' }])
      expect(
        await conn.query(
          "select column_name as c from information_schema.columns where table_name = 'w' order by ordinal_position",
        ),
      ).toEqual([{ c: 'id' }, { c: 'x' }])
      expect(
        await conn.query(
          "select indexrelid::regclass::text as i, indisvalid as valid from pg_index where indrelid in ('t'::regclass, 'w'::regclass) order by 1",
        ),
      ).toEqual([
        { i: 't_ok_idx', valid: true },
        { i: 't_pkey', valid: true },
        { i: 'w_pkey', valid: true },
      ])
      expect(await conn.query("select count(*)::int as n from t where g = (m = 'happy')")).toEqual([{ n: 30 }])
    })
  })
})
