import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { Journal } from '../../../src/migrate/journal.js'
import { DIALECTS } from '../../support/databases.js'
import { createProject, runKeel, type TestProject, withConnection, withUrl } from './project.js'

let project: TestProject
beforeEach(() => {
  project = createProject()
})
afterEach(() => project.dispose())

/** The journal and the schema: what every failed command must leave as it was. */
const snapshot = (conn: Connection) =>
  Promise.all([new Journal(conn, 'public').list(), getDialect(conn.dialect).introspect(conn, {})]).then(
    ([journal, schema]) => ({
      journal,
      schema,
    }),
  )

describe.each(DIALECTS)('failures through the CLI on %s', (dialect) => {
  it('tamper, merge conflict, missing file and SQL error each give their code and change nothing', {
    timeout: 120_000,
  }, async () => {
    await withUrl(dialect, async (url) => {
      const keel = (...args: string[]) => runKeel(project, url, ...args)
      const a = project.add('20260101000000_create_a', {
        'up.sql': 'create table a (id int);\n',
        'down.sql': 'drop table a;\n',
      })
      project.add('20260102000000_create_b', { 'up.sql': 'create table b (id int);\n', 'down.sql': 'drop table b;\n' })
      expect((await keel('migrate')).code).toBe(0)
      const before = await withConnection(url, snapshot)

      /** Runs a command that must fail with `code` and `exit`, leaving database and journal untouched. */
      const fails = async (code: string, exit: number, args: string[], message?: string) => {
        const run = await keel(...args)
        expect(run.stderr).toContain(`error[${code}]`)
        if (message !== undefined) expect(run.stderr).toContain(message)
        expect(run.code).toBe(exit)
        expect(await withConnection(url, snapshot)).toEqual(before)
        return run
      }

      // Tamper: an applied migration edited (and keel.sum rehashed, so only the journal can tell).
      writeFileSync(join(a, 'up.sql'), 'create table a (id bigint);\n')
      project.rehash()
      project.add('20260103000000_create_c', { 'up.sql': 'create table c (id int);\n' })
      await fails('CHECKSUM_MISMATCH', 1, ['migrate'], '20260101000000_create_a was edited after it was applied')
      await fails('CHECKSUM_MISMATCH', 1, ['rollback'])
      expect((await keel('status')).code).toBe(1)
      writeFileSync(join(a, 'up.sql'), 'create table a (id int);\n')
      project.rehash()

      // Merge conflict: two branches each added a migration; keel.sum came from one of them.
      project.add('20260104000000_branch_one', { 'up.sql': 'create table d (id int);\n' })
      project.add('20260103100000_branch_two', { 'up.sql': 'create table e (id int);\n' }, { sum: false })
      const conflict = await fails(
        'SUM_MISMATCH',
        1,
        ['migrate'],
        '20260103100000_branch_two is not in keel.sum and is older than 20260104000000_branch_one',
      )
      expect(conflict.stderr).toContain('keel sum --rehash')
      if (dialect === 'postgres') {
        // check replays on scratch databases, which cost seconds each on PGlite; the sum check is the same code.
        const check = await keel('check')
        expect(check.code).toBe(1)
        expect(check.stdout).toContain('error[SUM_MISMATCH]')
      }
      expect((await keel('sum', '--rehash')).code).toBe(0)
      rmSync(join(project.migrations, '20260103000000_create_c'), { recursive: true })
      rmSync(join(project.migrations, '20260103100000_branch_two'), { recursive: true })
      rmSync(join(project.migrations, '20260104000000_branch_one'), { recursive: true })
      project.rehash()

      // Missing file: an applied migration's folder is gone.
      rmSync(join(project.migrations, '20260102000000_create_b'), { recursive: true })
      project.rehash()
      await fails('MISSING_MIGRATION', 1, ['migrate'], '20260102000000_create_b')
      project.add('20260102000000_create_b', { 'up.sql': 'create table b (id int);\n', 'down.sql': 'drop table b;\n' })

      // SQL error: file and line, nothing of the migration committed.
      project.add('20260105000000_broken', { 'up.sql': 'create table f (id int);\n\ninsert into f values (1, 2);\n' })
      await fails(
        'MIGRATION_FAILED',
        1,
        ['migrate'],
        '20260105000000_broken/up.sql:3: INSERT has more expressions than target columns',
      )
      rmSync(join(project.migrations, '20260105000000_broken'), { recursive: true })
      project.rehash()

      // A syntax error is bad input (exit 2), found before anything runs.
      project.add('20260106000000_typo', { 'up.sql': 'create table g (id int);\ncreate tabel h (id int);\n' })
      await fails('SQL_SYNTAX', 2, ['migrate'], '20260106000000_typo/up.sql:2: syntax error at or near "tabel"')
    })
  })
})

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
