/**
 * A database that cannot be reached. The tamper, merge-conflict, missing-file and SQL-error failures, each with its
 * code and nothing changed, are the shared suite test/support/suites/tamper.ts (tamper.test.ts runs it everywhere).
 */
import { describe, expect, it } from 'vitest'
import { runKeel, useProject } from './project.js'

const project = useProject()

describe('an unreachable database', () => {
  it('gives CONNECTION_REFUSED and exit 2', async () => {
    project.add('20260101000000_a', { 'up.sql': 'create table a (id int);\n' })
    for (const command of ['migrate', 'status', 'rollback']) {
      const run = await runKeel(project, 'postgres://postgres:secret@127.0.0.1:1/nothing', command)
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('error[CONNECTION_REFUSED]')
      expect(run.stderr).not.toContain('secret')
    }
  })
})
