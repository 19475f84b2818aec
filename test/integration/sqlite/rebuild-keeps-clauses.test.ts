import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import type { Schema } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { runScript } from '../../support/run-script.js'
import { sqliteFiles } from '../../support/sqlite-files.js'

const { withFile, schemaOf } = sqliteFiles('keel-sqlite-rebuild-clauses-')
const sqlite = getDialect('sqlite')

/** The CREATE statement SQLite keeps for `name`, in one spacing. */
async function storedSql(conn: Connection, name: string): Promise<string> {
  const [row] = await conn.query<{ sql: string }>('select sql from sqlite_schema where name = ?1', [name])
  return (row?.sql ?? '').replace(/\s+/g, ' ')
}

/** Whether `sql` succeeds, and the rows of `t` after it (the columns kept by the rebuild). */
async function attempt(conn: Connection, sql: string): Promise<{ ok: boolean; rows: readonly unknown[] }> {
  let ok = true
  try {
    await conn.exec(sql)
  } catch {
    ok = false
  }
  return { ok, rows: await conn.query('select id, code, n from t order by id') }
}

/** The rows of t each case starts from (with `extra`, which the rebuild drops), and what the rebuild keeps of them. */
const SEED = "INSERT INTO t (id, code, n, extra) VALUES (1, 'a', 10, 'x'), (2, 'b', 20, 'y')"
const SECOND = { id: 2, code: 'b', n: 20 }
const KEPT = [{ id: 1, code: 'a', n: 10 }, SECOND]

/** The direct plan from `before` to `after`, as SQLite rebuilds a table (the schemas given, as push gives them). */
const rebuildPlan = (before: Schema, after: Schema) =>
  sqlite.plan(diff(before, after).changes, directPolicy, { from: before, to: after })

/** What UNIQUE (code) ON CONFLICT REPLACE is kept as and does, however it spells the column: the row in the way goes. */
const UNIQUE_REPLACE = {
  kept: /UNIQUE \("code"\) ON CONFLICT REPLACE/,
  conflict: "INSERT INTO t (id, code, n) VALUES (9, 'a', 90)",
  expected: { ok: true, rows: [SECOND, { id: 9, code: 'a', n: 90 }] },
}

/**
 * Each clause, the table's rows, a conflicting statement and what it does under the clause: REPLACE deletes the row in
 * the way, IGNORE skips the statement's row without an error, FAIL and ROLLBACK fail it. `n INTEGER` becomes `n BIGINT`
 * and `extra` is dropped: a type change only a rebuild makes.
 */
const CASES = [
  {
    // SQLite compares names without ASCII case: the constraint names the column as `CODE`, PRAGMA reports `code`.
    ...UNIQUE_REPLACE,
    clause: 'UNIQUE (CODE) ON CONFLICT REPLACE, the column spelled in another case',
    create:
      'CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT, n INTEGER, extra TEXT, UNIQUE (CODE) ON CONFLICT REPLACE)',
  },
  {
    ...UNIQUE_REPLACE,
    clause: 'UNIQUE (code) ON CONFLICT REPLACE',
    create:
      'CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT, n INTEGER, extra TEXT, UNIQUE (code) ON CONFLICT REPLACE)',
  },
  {
    clause: 'code TEXT UNIQUE ON CONFLICT IGNORE',
    kept: /UNIQUE \("code"\) ON CONFLICT IGNORE/,
    create: 'CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT UNIQUE ON CONFLICT IGNORE, n INTEGER, extra TEXT)',
    conflict: "INSERT INTO t (id, code, n) VALUES (9, 'a', 90)",
    expected: {
      ok: true,
      rows: KEPT,
    },
  },
  {
    clause: 'PRIMARY KEY ON CONFLICT REPLACE',
    kept: /PRIMARY KEY \("id"\) ON CONFLICT REPLACE/,
    create: 'CREATE TABLE t (id INTEGER PRIMARY KEY ON CONFLICT REPLACE, code TEXT, n INTEGER, extra TEXT)',
    conflict: "INSERT INTO t (id, code, n) VALUES (1, 'z', 90)",
    expected: {
      ok: true,
      rows: [{ id: 1, code: 'z', n: 90 }, SECOND],
    },
  },
  {
    clause: 'PRIMARY KEY (id) ON CONFLICT IGNORE',
    kept: /PRIMARY KEY \("id"\) ON CONFLICT IGNORE/,
    create: 'CREATE TABLE t (id INTEGER, code TEXT, n INTEGER, extra TEXT, PRIMARY KEY (id) ON CONFLICT IGNORE)',
    conflict: "INSERT INTO t (id, code, n) VALUES (1, 'z', 90)",
    expected: {
      ok: true,
      rows: KEPT,
    },
  },
  {
    clause: 'PRIMARY KEY ON CONFLICT FAIL AUTOINCREMENT',
    kept: /"id" INTEGER PRIMARY KEY ON CONFLICT FAIL AUTOINCREMENT/,
    create: 'CREATE TABLE t (id INTEGER PRIMARY KEY ON CONFLICT FAIL AUTOINCREMENT, code TEXT, n INTEGER, extra TEXT)',
    conflict: "INSERT INTO t (id, code, n) VALUES (1, 'z', 90)",
    expected: {
      ok: false,
      rows: KEPT,
    },
  },
  {
    clause: 'NOT NULL ON CONFLICT IGNORE',
    kept: /"code" TEXT NOT NULL ON CONFLICT IGNORE/,
    create: 'CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT NOT NULL ON CONFLICT IGNORE, n INTEGER, extra TEXT)',
    conflict: 'INSERT INTO t (id, code, n) VALUES (9, NULL, 90)',
    expected: {
      ok: true,
      rows: KEPT,
    },
  },
  {
    clause: 'NOT NULL ON CONFLICT REPLACE',
    kept: /"code" TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'none'/,
    // REPLACE on NOT NULL writes the column's default instead of the NULL.
    create:
      "CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'none', n INTEGER, extra TEXT)",
    conflict: 'INSERT INTO t (id, code, n) VALUES (9, NULL, 90)',
    expected: {
      ok: true,
      rows: [...KEPT, { id: 9, code: 'none', n: 90 }],
    },
  },
  {
    clause: 'CHECK (n > 0) ON CONFLICT ROLLBACK',
    kept: /CONSTRAINT "n_positive" CHECK \(n > 0\) ON CONFLICT ROLLBACK/,
    // SQLite keeps this text but resolves a failed CHECK by ABORT whatever it says: the text is what is kept.
    create:
      'CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT, n INTEGER, extra TEXT, CONSTRAINT n_positive CHECK (n > 0) ON CONFLICT ROLLBACK)',
    conflict: "INSERT INTO t (id, code, n) VALUES (9, 'z', -1)",
    expected: {
      ok: false,
      rows: KEPT,
    },
  },
]

const retyped = (create: string) => create.replace('n INTEGER, extra TEXT', 'n BIGINT')

describe('a SQLite rebuild keeps ON CONFLICT clauses', () => {
  it.each(CASES)('$clause', async ({ kept, create, conflict, expected }) => {
    const before = await schemaOf(create)
    const after = await schemaOf(retyped(create))
    await withFile(async (conn) => {
      await conn.exec(create)
      await conn.exec(SEED)
      const plan = rebuildPlan(before, after)
      expect(plan.steps.some((s) => s.sql.startsWith('INSERT INTO "_keel_new_t"'))).toBe(true)
      await applyPlan(conn, plan)
      // The rows, without the dropped column, and the clause in SQLite's own text of the table.
      expect(await conn.query('select id, code, n from t order by id')).toEqual(KEPT)
      expect(await storedSql(conn, 't')).toMatch(kept)
      expect(await storedSql(conn, 't')).toContain('"n" BIGINT')
      expect(diff(await sqlite.introspect(conn), after).changes).toEqual([])
      // The conflicting INSERT does what the clause says, as it did on the table as created.
      expect(await attempt(conn, conflict)).toEqual(expected)
      // The reverse rebuilds the old table, clause included.
      const reverse = reversePlan(plan)
      if (!('sql' in reverse)) throw new Error(`irreversible: ${reverse.irreversible.join('; ')}`)
      await runScript(conn, reverse.sql)
      expect(diff(await sqlite.introspect(conn), before).changes).toEqual([])
    })
    // The same statement on the table as created, by the driver alone.
    await withFile(async (conn) => {
      await conn.exec(create)
      await conn.exec(SEED)
      expect(await attempt(conn, conflict)).toEqual(expected)
    })
  })

  it('sees a clause added or removed as a difference, and the plan carries it out', async () => {
    const plain = 'CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT, n INTEGER, UNIQUE (code))'
    const replacing = 'CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT, n INTEGER, UNIQUE (code) ON CONFLICT REPLACE)'
    const before = await schemaOf(plain)
    const after = await schemaOf(replacing)
    expect(diff(before, after).changes.map((c) => c.kind)).toEqual(['dropUnique', 'addUnique'])
    await withFile(async (conn) => {
      await conn.exec(plain)
      await conn.exec("INSERT INTO t (id, code, n) VALUES (1, 'a', 10)")
      await expect(conn.exec("INSERT INTO t (id, code, n) VALUES (9, 'a', 90)")).rejects.toThrow(/UNIQUE/)
      await applyPlan(conn, rebuildPlan(before, after))
      expect(await attempt(conn, "INSERT INTO t (id, code, n) VALUES (9, 'a', 90)")).toEqual({
        ok: true,
        rows: [{ id: 9, code: 'a', n: 90 }],
      })
    })
    const nullable = await schemaOf('CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT NOT NULL)')
    const ignoring = await schemaOf('CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT NOT NULL ON CONFLICT IGNORE)')
    expect(diff(nullable, ignoring).changes.map((c) => c.kind)).toEqual(['alterColumn'])
  })
})

describe('a SQLite rebuild keeps what a constraint says when it spells its columns in another case', () => {
  it('a named, deferrable foreign key over `PID` of a column `pid`', async () => {
    const create = `CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE t (id INTEGER PRIMARY KEY, pid INTEGER, n INTEGER, extra TEXT,
        CONSTRAINT fk_p FOREIGN KEY (PID) REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`
    const before = await schemaOf(create)
    const after = await schemaOf(retyped(create))
    await withFile(async (conn) => {
      await conn.exec(create)
      await conn.exec('INSERT INTO parent VALUES (1); INSERT INTO t (id, pid, n) VALUES (1, 1, 10)')
      await applyPlan(conn, rebuildPlan(before, after))
      const stored = await storedSql(conn, 't')
      expect(stored).toContain('"n" BIGINT')
      expect(stored).toMatch(/CONSTRAINT "fk_p" FOREIGN KEY \("pid"\) REFERENCES "parent" ?\("id"\)/)
      expect(stored).toContain('DEFERRABLE INITIALLY DEFERRED')
      expect(await conn.query('select id, pid, n from t')).toEqual([{ id: 1, pid: 1, n: 10 }])
    })
  })
})

describe('a SQLite rebuild keeps the column list of a view over the table', () => {
  it('CREATE VIEW v (a, b) AS ... comes back with its column list and reads the same', async () => {
    const create = `CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT, n INTEGER, extra TEXT);
      CREATE VIEW t_codes (t_id, t_code) AS SELECT id, code FROM t;`
    const before = await schemaOf(create)
    const after = await schemaOf(retyped(create))
    await withFile(async (conn) => {
      await conn.exec(create)
      await conn.exec(SEED)
      const plan = rebuildPlan(before, after)
      expect(plan.steps.some((s) => s.sql === 'DROP VIEW "t_codes"')).toBe(true)
      await applyPlan(conn, plan)
      expect(await storedSql(conn, 't_codes')).toMatch(/^CREATE VIEW "t_codes" \("t_id", "t_code"\) AS /)
      expect(await conn.query('select t_id, t_code from t_codes order by t_id')).toEqual([
        { t_id: 1, t_code: 'a' },
        { t_id: 2, t_code: 'b' },
      ])
      expect(diff(await sqlite.introspect(conn), after).changes).toEqual([])
    })
    // A different column list is a difference: the view is dropped and created again.
    const renamed = await schemaOf(create.replace('(t_id, t_code)', '(id, code)'))
    expect(diff(before, renamed).changes.map((c) => c.kind)).toEqual(['dropView', 'createView'])
  })
})
