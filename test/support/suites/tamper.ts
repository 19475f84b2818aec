/**
 * A tampered migrations directory through the CLI, on any database a URL names (in its dialect's SQL, dialects.ts):
 * an applied migration edited (with and without keel.sum told), a merge conflict, an applied migration removed, a
 * forged keel.sum, a failing statement and a syntax error each stop the command with their own error code and exit
 * status, leaving the journal and the schema as they were. Used by test/integration/migrate/tamper.test.ts.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { Journal } from '../../../src/migrate/journal.js'
import { runKeel, useProject, withConnection } from '../../integration/migrate/project.js'
import type { SuiteDialect, WithUrl } from './dialects.js'

export function tamperSuite(label: string, withUrl: WithUrl, dialect: SuiteDialect): void {
  describe(`a tampered migrations directory on ${label}`, () => {
    const project = useProject()

    /** The journal and the schema: what every refused command must leave as it was. */
    const snapshot = (conn: Connection) =>
      Promise.all([
        new Journal(conn, dialect.journalNamespace).list(),
        getDialect(conn.dialect).introspect(conn, {}),
      ]).then(([journal, schema]) => ({ journal, schema }))

    it('tamper, merge conflict, missing or forged files and SQL errors each give their code and change nothing', {
      timeout: 120_000,
    }, async () => {
      await withUrl(async (url) => {
        const keel = (...args: string[]) => runKeel(project, url, ...args)
        const states = async () =>
          JSON.parse((await keel('status', '--json')).stdout).migrations.map((m: { state: string }) => m.state)
        const a = project.add('20260101000000_create_a', {
          'up.sql': 'create table a (id int);\n',
          'down.sql': 'drop table a;\n',
        })
        project.add('20260102000000_create_b', {
          'up.sql': 'create table b (id int);\n',
          'down.sql': 'drop table b;\n',
        })
        expect((await keel('migrate')).code).toBe(0)
        let before = await withConnection(url, snapshot)

        /**
         * Runs a command that must fail with `code` and `exit`, leaving database and journal untouched (`unchanged`:
         * false where what failed may have committed part of itself).
         */
        const fails = async (code: string, exit: number, args: string[], message?: string, unchanged = true) => {
          const run = await keel(...args)
          expect(run.stderr).toContain(`error[${code}]`)
          if (message !== undefined) expect(run.stderr).toContain(message)
          expect(run.code).toBe(exit)
          if (unchanged) expect(await withConnection(url, snapshot)).toEqual(before)
          return run
        }

        // Tamper: an applied migration edited. keel.sum not told: the sum catches it.
        writeFileSync(join(a, 'up.sql'), 'create table a (id bigint);\n')
        project.add('20260103000000_create_c', { 'up.sql': 'create table c (id int);\n' }, { sum: false })
        await fails('SUM_MISMATCH', 1, ['migrate'])
        // keel.sum rehashed, so that only the journal can tell.
        project.rehash()
        await fails('CHECKSUM_MISMATCH', 1, ['migrate'], '20260101000000_create_a was edited after it was applied')
        await fails('CHECKSUM_MISMATCH', 1, ['rollback'])
        expect((await keel('status')).code).toBe(1)
        expect(await states()).toEqual(['modified', 'applied', 'pending'])
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
        if (dialect.cheapCheck) {
          // check replays on scratch databases, which cost seconds each on PGlite; the sum check is the same code.
          const check = await keel('check')
          expect(check.code).toBe(1)
          expect(check.stdout).toContain('error[SUM_MISMATCH]')
        }
        expect((await keel('sum', '--rehash')).code).toBe(0)
        rmSync(join(project.migrations, '20260103100000_branch_two'), { recursive: true })
        rmSync(join(project.migrations, '20260104000000_branch_one'), { recursive: true })
        project.rehash()

        // Restored: the pending one applies.
        expect((await keel('migrate')).code).toBe(0)
        expect(await states()).toEqual(['applied', 'applied', 'applied'])
        before = await withConnection(url, snapshot)

        // Missing file: an applied migration's folder is gone (keel.sum rewritten); a new one waits behind it.
        rmSync(join(project.migrations, '20260102000000_create_b'), { recursive: true })
        project.add('20260104000000_create_d', { 'up.sql': 'create table d (id int);\n' })
        await fails('MISSING_MIGRATION', 1, ['migrate'], '20260102000000_create_b')
        project.add('20260102000000_create_b', {
          'up.sql': 'create table b (id int);\n',
          'down.sql': 'drop table b;\n',
        })

        // A forged keel.sum (one hash changed by hand).
        const sum = join(project.migrations, 'keel.sum')
        const honest = readFileSync(sum, 'utf8')
        const forged = honest.replace(/(20260101000000_create_a \w+:)([0-9a-f])/, (_, head: string, digit: string) => {
          return head + (digit === '0' ? '1' : '0')
        })
        expect(forged).not.toBe(honest)
        writeFileSync(sum, forged)
        await fails('SUM_MISMATCH', 1, ['migrate'])
        project.rehash()
        rmSync(join(project.migrations, '20260104000000_create_d'), { recursive: true })
        project.rehash()

        // SQL error: file and line. With transactional DDL, the migration's CREATE TABLE rolls back with it.
        project.add('20260105000000_broken', {
          'up.sql': 'create table f (id int);\n\ninsert into f values (1, 2);\n',
        })
        const { transactionalDdl } = dialect.capabilities
        const broken = await fails(
          'MIGRATION_FAILED',
          1,
          ['migrate'],
          `20260105000000_broken/up.sql:3: ${dialect.sql.tooManyValues}`,
          transactionalDdl,
        )
        if (transactionalDdl) expect(broken.stderr).toContain('nothing of this migration was committed')
        rmSync(join(project.migrations, '20260105000000_broken'), { recursive: true })
        project.rehash()

        // A syntax error is bad input (exit 2), found before anything runs.
        project.add('20260106000000_typo', { 'up.sql': 'create table g (id int);\ncreate tabel h (id int);\n' })
        const typo = await fails('SQL_SYNTAX', 2, ['migrate'], dialect.sql.syntaxErrorAtTabel)
        // The line, and the column where the dialect's parser gives one.
        expect(typo.stderr).toMatch(/20260106000000_typo\/up\.sql:2:(\d+:)? /)
      })
    })
  })
}
