/**
 * What the split-run files share (split-run-apply, split-run-schemas-apply, split-run-whole-runs-schemas): a folder
 * with a schema to diff from and one to diff to, keel diff's script between them, and that script piped into psql.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { runKeel } from '../support/cli.js'
import { POSTGRES_URL } from '../support/databases.js'

/**
 * A folder holding `from` as from.sql and `to` as to.sql for the file's cases (call at its top level: it is removed
 * after the file), and keel diff's script from a source (`from.sql`, or a database URL) to to.sql, which must succeed.
 */
export function diffProject(prefix: string, from: string, to: string): (source: string) => Promise<string> {
  const root = mkdtempSync(join(tmpdir(), prefix))
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  beforeAll(() => {
    writeFileSync(join(root, 'from.sql'), from)
    writeFileSync(join(root, 'to.sql'), to)
  })
  return async (source) => {
    const result = await runKeel(['diff', '--url', POSTGRES_URL, '--from', source, '--to', 'to.sql'], { cwd: root })
    expect(result.code, result.stderr).toBe(0)
    return result.stdout
  }
}

/** The statements of a script, its comments left out. */
export const statementsOf = (sql: string) => sql.split('\n').filter((line) => line !== '' && !line.startsWith('--'))

/** `sql` piped into psql as a user would (`keel diff | psql`), each statement in autocommit, stopping at an error. */
export function psql(url: string, sql: string): void {
  const { hostname, port, username, pathname } = new URL(url)
  const args = ['-X', '-q', '-h', hostname, '-p', port || '5432', '-U', username, '-d', pathname.slice(1)]
  const result = spawnSync('psql', [...args, '-v', 'ON_ERROR_STOP=1'], { input: sql, encoding: 'utf8' })
  expect(result.status, result.stderr).toBe(0)
}
