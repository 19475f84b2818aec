/**
 * `keel generate` lints what it writes once: the verdict that refuses a step with no online form and the findings it
 * prints come from the same lint, run under the ids and paths the migrations are written with. The real lint runs;
 * the test only counts its calls (a spy around lintGenerated, the one entry both uses went through).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { lintGenerated } from '../../src/migrate/blocking-steps.js'
import { readMigrationsDirectory } from '../../src/migrate/directory.js'
import { runKeel, useProject } from '../integration/migrate/project.js'
import { withDatabase } from '../support/databases.js'

vi.mock('../../src/migrate/blocking-steps.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/migrate/blocking-steps.js')>()
  return { ...real, lintGenerated: vi.fn(real.lintGenerated) }
})

const project = useProject('export default { migrations: "migrations", schema: "schema.sql" }\n')
beforeEach(() => {
  vi.mocked(lintGenerated).mockClear()
})

describe('keel generate lints what it writes once', () => {
  it('a phased plan with warnings: one lint, each finding printed once under the written id and path', async () => {
    await withDatabase('postgres', async ({ url }) => {
      project.add('20260101000000_init', { 'up.sql': 'create table t (id int primary key, n int);\n' })
      // int to bigint is phased (its contract has no down.sql); the new char column is a warning in the expand, whose
      // concurrent build is a migration of its own.
      writeFileSync(
        join(project.root, 'schema.sql'),
        'create table t (id int primary key, n bigint not null, m text, c char(2));\ncreate index t_m on t (m);\n',
      )
      const run = await runKeel(project, url, 'generate', 'widen')
      expect(run.code, run.stderr).toBe(0)
      expect(vi.mocked(lintGenerated)).toHaveBeenCalledTimes(1)

      const written = readMigrationsDirectory(project.migrations).migrations.slice(1)
      expect(written.map((m) => m.name)).toEqual([
        'widen_expand',
        'widen_expand_concurrently',
        'widen_expand',
        'widen_backfill',
        'widen_contract',
      ])
      const [expand, contract] = [written[0], written[4]]
      const findings = run.stderr.split('\n').filter((line) => /: (warning|error|info)\[/.test(line))
      expect(findings).toEqual([
        expect.stringMatching(
          new RegExp(`/${expand?.id}/up\\.sql:\\d+:\\d+: warning\\[ban-char-field\\]: t\\.c is char\\(n\\)`),
        ),
        expect.stringMatching(
          new RegExp(`/${contract?.id}/up\\.sql:1:1: warning\\[require-down\\]: ${contract?.id} has no down`),
        ),
      ])
    })
  })
})
