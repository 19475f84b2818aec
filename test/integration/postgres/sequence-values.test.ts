/**
 * Sequence values past 2^53 on real databases: a sequence and an identity column whose start, increment,
 * min and max a JavaScript number would round are introspected exactly, compare equal to themselves, and a
 * change of one of them by 1 is planned, applied and introspected with all its digits; `inspect` prints them
 * exactly as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/db/open.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy } from '../../../src/plan/policy.js'
import { deepEqual } from '../../../src/schema/equal.js'
import type { Schema } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { runKeel } from '../../support/cli.js'
import { DIALECTS, type TestDialect, withDatabase } from '../../support/databases.js'
import { seedPgliteDir } from '../../support/pglite-dir.js'

const dialect = getDialect('postgres')

const SQL = `
create sequence ledger_ids increment by 9007199254740995 minvalue -9223372036854775807
  maxvalue 9223372036854775806 start with 9007199254740993;
create table entries (
  id bigint generated always as identity (start with 9007199254740993 increment by 9007199254740995
    minvalue -9007199254740997 maxvalue 9223372036854775806) primary key,
  note text
);`

/** The first change, one below the old maximum: 2^63 - 2 and 2^63 - 3 are the same double. */
const LOWER_MAX = 'alter sequence ledger_ids maxvalue 9223372036854775805'
/** The second, one above the old start: 2^53 + 1 and 2^53 + 2 are the same double. */
const LATER_START = 'alter table entries alter column id set start with 9007199254740994'

describe.each(DIALECTS)('sequence values past 2^53 on %s', (name) => {
  it('introspects, compares, plans and applies them exactly', async () => {
    await withDatabase(name, async ({ conn: work }) => {
      await work.exec(SQL)
      const start = await dialect.introspect(work)
      expect(start.sequences).toEqual([
        {
          name: { schema: 'public', name: 'ledger_ids' },
          start: '9007199254740993',
          increment: '9007199254740995',
          min: '-9223372036854775807',
          max: '9223372036854775806',
        },
      ])
      expect(start.tables[0]?.columns[0]?.identity).toEqual({
        always: true,
        sequence: {
          start: '9007199254740993',
          increment: '9007199254740995',
          min: '-9007199254740997',
          max: '9223372036854775806',
        },
      })

      await withDatabase(name, async ({ conn: other }) => {
        await other.exec(SQL)
        expect(diff(start, await dialect.introspect(other)).changes).toEqual([])

        await other.exec(LOWER_MAX)
        const lowered = await dialect.introspect(other)
        const changes = diff(start, lowered).changes
        expect(changes).toMatchObject([{ kind: 'alterSequence', to: { max: '9223372036854775805' } }])
        expect(await applied(work, changes)).toEqual(['ALTER SEQUENCE public.ledger_ids MAXVALUE 9223372036854775805'])
        const afterMax = await dialect.introspect(work)
        expect(deepEqual(afterMax, lowered)).toBe(true)

        await other.exec(LATER_START)
        const later = await dialect.introspect(other)
        const identityChanges = diff(afterMax, later).changes
        expect(identityChanges).toMatchObject([
          { kind: 'alterColumn', aspects: ['identity'], to: { identity: { sequence: { start: '9007199254740994' } } } },
        ])
        expect(await applied(work, identityChanges)).toEqual([
          'ALTER TABLE public.entries ALTER COLUMN id SET START WITH 9007199254740994',
        ])
        expect(deepEqual(await dialect.introspect(work), later)).toBe(true)
      })
    })
  })

  it('inspect prints them with all their digits, as JSON strings', async () => {
    await withCliDatabase(name, `${SQL};${LOWER_MAX};${LATER_START}`, async (url, cwd) => {
      const printed = await runKeel(['inspect', '--url', url, '--format', 'json'], { cwd })
      expect(printed.stderr).not.toMatch(/error/)
      expect(printed.stdout).toContain('"max": "9223372036854775805"')
      const schema = JSON.parse(printed.stdout) as Schema
      expect(schema.sequences[0]).toMatchObject({ start: '9007199254740993', max: '9223372036854775805' })
      expect(schema.tables[0]?.columns[0]?.identity?.sequence).toMatchObject({ start: '9007199254740994' })

      const machine = await runKeel(['inspect', '--url', url, '--json'], { cwd })
      expect(machine.stdout).toContain('"start": "9007199254740994"')
      expect((JSON.parse(machine.stdout) as { schema: Schema }).schema).toEqual(schema)
    })
  })
})

/** Plans `changes` as they are, applies them to `conn`, and returns the SQL that ran. */
async function applied(conn: Parameters<typeof applyPlan>[0], changes: Parameters<typeof dialect.plan>[0]) {
  const plan = dialect.plan(changes, directPolicy)
  await applyPlan(conn, plan)
  return plan.steps.map((step) => step.sql)
}

/**
 * A database loaded with `sql` that the CLI, another process, can open: a scratch database on the server,
 * or a PGlite directory (an in-memory PGlite lives in this process only), seeded with the initialised template
 * so that opening it does not run initdb (seconds of WebAssembly, and this file's longest step at load).
 */
async function withCliDatabase(
  name: TestDialect,
  sql: string,
  fn: (url: string, cwd: string) => Promise<void>,
): Promise<void> {
  const cwd = mkdtempSync(join(tmpdir(), 'keel-seq-'))
  try {
    if (name === 'postgres') {
      await withDatabase(name, async ({ url, conn }) => {
        await conn.exec(sql)
        await fn(url, cwd)
      })
    } else {
      await seedPgliteDir(join(cwd, 'db'))
      const url = `pglite:${join(cwd, 'db')}`
      const conn = await openDatabase(url)
      try {
        await conn.exec(sql)
      } finally {
        await conn.close()
      }
      await fn(url, cwd)
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }
}
