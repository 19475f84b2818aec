/**
 * `keel check` diffs with the same options as `keel generate`, `diff` and `push` (cli/diff-options.ts): when an enum
 * changes values, the parser's references, which find what names the enum only in a cast. Without them, check's
 * "the migrations produce the schema" listed a plan without the view that casts to the enum (its drop and create
 * around the recreation), so check and generate disagreed on what the migrations lack.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ATOMIC_RUN_NOTE } from '../../src/cli/format/plan-sql.js'
import { runKeel } from '../support/cli.js'
import { withDatabase } from '../support/databases.js'

const root = mkdtempSync(join(tmpdir(), 'keel-check-references-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const TABLE_AND_VIEW = `create table posts (id int primary key, m text not null);
create view moods as select id, cast(m as mood) as mood from posts;
`

describe('keel check and keel diff', () => {
  it('plan the same steps for an enum recreated under a view that casts to it', async () => {
    await withDatabase('postgres', async ({ url }) => {
      const dir = join(root, 'enum-cast')
      mkdirSync(join(dir, 'migrations', '20260101000000_moods'), { recursive: true })
      writeFileSync(join(dir, 'keel.config.ts'), "export default { schema: 'schema.sql' }\n")
      writeFileSync(
        join(dir, 'migrations', '20260101000000_moods', 'up.sql'),
        `create type mood as enum ('sad', 'ok', 'happy');\n${TABLE_AND_VIEW}`,
      )
      writeFileSync(join(dir, 'schema.sql'), `create type mood as enum ('ok', 'happy', 'great');\n${TABLE_AND_VIEW}`)
      const keel = (...args: string[]) => runKeel([...args, '--url', url], { cwd: dir })
      expect((await keel('sum', '--rehash')).code).toBe(0)
      const migrated = await keel('migrate')
      expect(migrated.code, migrated.stderr).toBe(0)

      // What generate would write: the plan from the database (the migrations applied) to the schema file.
      const planned = await keel('diff', '--unsafe')
      expect(planned.code, planned.stderr).toBe(0)
      const steps = planned.stdout
        .split('\n')
        .filter((line) => line.startsWith('-- ') && line !== `-- ${ATOMIC_RUN_NOTE}`)
        // What the step does (both add its lock and cost in brackets, each in its own words).
        .map((line) => line.slice(3).replace(/ \[.*\]$/, ''))
      expect(steps).toContain('Drop view public.moods')

      const checked = await keel('check', '--json', '--no-round-trip')
      expect(checked.code, checked.stderr).toBe(1)
      const result = JSON.parse(checked.stdout).checks.find(
        (c: { name: string }) => c.name === 'the migrations produce the schema',
      )
      expect(result.ok).toBe(false)
      const listed = (result.problems[0].message as string)
        .split('\n')
        .slice(1)
        .map((line) => line.trim().replace(/ \[.*\]$/, ''))
      expect(listed).toEqual(steps)
    })
  })
})
