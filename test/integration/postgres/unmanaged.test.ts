/**
 * What Keel does not model is named by `inspect` and `diff` and never dropped (issue 13): a composite type, an
 * extended statistics object and a column privilege beside a managed table. The diff to a schema without the table
 * drops the table only; the unmodelled objects survive the plan.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { runKeel } from '../../support/cli.js'
import { withDatabase } from '../../support/databases.js'

const dir = mkdtempSync(join(tmpdir(), 'keel-unmanaged-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const UNMODELLED = `CREATE TYPE pair AS (a int, b text);
CREATE TABLE kept (id int PRIMARY KEY, name text, email text);
CREATE STATISTICS kept_stats ON name, email FROM kept;
GRANT SELECT (name) ON kept TO PUBLIC;
CREATE TABLE gone (id int);`

it('inspect and diff list unmodelled objects, and the plan leaves them alone', async () => {
  await withDatabase('postgres', async (db) => {
    await db.conn.exec(UNMODELLED)
    const schema = await getDialect('postgres').introspect(db.conn, { unmanaged: true })
    expect(schema.unmanaged).toEqual([
      { kind: 'column privilege', name: 'public.kept.name' },
      { kind: 'composite type', name: 'public.pair' },
      { kind: 'statistics object', name: 'public.kept_stats' },
    ])
    expect((await getDialect('postgres').introspect(db.conn)).unmanaged).toBeUndefined()

    const inspect = await runKeel(['inspect', '--url', db.url], { cwd: dir })
    expect(inspect.code).toBe(0)
    expect(inspect.stderr).toContain('not managed by Keel, left as it is: composite type public.pair')

    writeFileSync(join(dir, 'desired.sql'), 'CREATE TABLE kept (id int PRIMARY KEY, name text, email text);\n')
    const plan = await runKeel(['diff', '--from', db.url, '--to', 'desired.sql'], { cwd: dir })
    expect(plan.code).toBe(0)
    expect(plan.stderr).toContain('left as it is (from): statistics object public.kept_stats')
    expect(plan.stdout).toContain('DROP TABLE public.gone')
    expect(plan.stdout).not.toMatch(/pair|kept_stats|REVOKE/)

    await db.conn.exec(plan.stdout)
    const after = await getDialect('postgres').introspect(db.conn, { unmanaged: true })
    expect(after.tables.map((t) => t.name.name)).toEqual(['kept'])
    expect(after.unmanaged).toEqual(schema.unmanaged)
  })
})
