import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import { emptySchema } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { runScript } from '../../support/run-script.js'
import { sqliteFiles } from '../../support/sqlite-files.js'

const { withFile, schemaOf } = sqliteFiles('keel-sqlite-')
const sqlite = getDialect('sqlite')

/** SQLite's own view of a database: every CREATE statement it keeps, and each table's columns and keys. */
async function pragmaView(conn: Connection): Promise<unknown> {
  const objects = await conn.query<{ type: string; name: string }>(
    `select type, name from sqlite_schema where name not like 'sqlite\\_%' escape '\\' and name <> 'keel_lock' order by type, name`,
  )
  const tables = objects.filter((o) => o.type === 'table').map((o) => o.name)
  return {
    objects,
    tables: await Promise.all(
      tables.map(async (t) => ({
        columns: await conn.query(
          `select name, type, "notnull", dflt_value, pk, hidden from pragma_table_xinfo('${t}')`,
        ),
        foreignKeys: await conn.query(
          `select "table", "from", "to", on_delete, on_update from pragma_foreign_key_list('${t}')`,
        ),
        indexes: await conn.query(
          `select name, "unique", origin, partial from pragma_index_list('${t}') order by name`,
        ),
      })),
    ),
  }
}

const BEFORE = `
CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, score INTEGER CHECK (score >= 0));
CREATE TABLE child (
  id INTEGER PRIMARY KEY,
  parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE ON UPDATE CASCADE,
  label TEXT DEFAULT 'x',
  upper_label TEXT GENERATED ALWAYS AS (upper(label)) VIRTUAL
);
CREATE INDEX child_parent_idx ON child (parent_id DESC) WHERE label IS NOT NULL;
CREATE INDEX parent_lower_name_idx ON parent (lower(name));
CREATE TABLE audit (parent_id INTEGER, at TEXT);
CREATE TRIGGER parent_audit AFTER UPDATE ON parent BEGIN INSERT INTO audit VALUES (NEW.id, 'u'); END;
CREATE VIEW parent_children AS SELECT p.name, count(c.id) AS n FROM parent p LEFT JOIN child c ON c.parent_id = p.id GROUP BY p.name;
`

// The parent loses its CHECK, gains a NOT NULL column with a default and a wider type: only a rebuild does that.
const AFTER = BEFORE.replace('score INTEGER CHECK (score >= 0)', "score BIGINT, tier TEXT NOT NULL DEFAULT 'basic'")

describe('SQLite', () => {
  it('reads back what it created: keys, AUTOINCREMENT, generated columns, partial and expression indexes, views, triggers', async () => {
    const schema = await schemaOf(BEFORE)
    const parent = schema.tables.find((t) => t.name.name === 'parent')
    const child = schema.tables.find((t) => t.name.name === 'child')
    expect(parent?.columns.find((c) => c.name === 'id')?.identity).toEqual({ always: false })
    expect(parent?.uniques).toEqual([{ name: 'parent_name_key', columns: ['name'] }])
    expect(parent?.checks).toEqual([{ name: 'parent_check', expr: 'score >= 0' }])
    expect(parent?.indexes).toEqual([
      { name: 'parent_lower_name_idx', parts: [{ expr: 'lower(name)' }], unique: false, include: [] },
    ])
    expect(child?.foreignKeys).toEqual([
      {
        name: 'child_parent_id_fkey',
        columns: ['parent_id'],
        references: { table: { name: 'parent' }, columns: ['id'] },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
    ])
    expect(child?.columns.find((c) => c.name === 'upper_label')?.generated).toEqual({
      expr: 'upper(label)',
      stored: false,
    })
    expect(child?.indexes[0]).toMatchObject({
      parts: [{ column: 'parent_id', descending: true }],
      where: 'label IS NOT NULL',
    })
    expect(schema.views.map((v) => v.name.name)).toEqual(['parent_children'])
    expect(schema.triggers?.map((t) => t.name)).toEqual(['parent_audit'])
    // Created from empty by Keel's own plan, the database is the same by SQLite's PRAGMAs.
    await withFile(async (fromText) => {
      await fromText.exec(BEFORE)
      await withFile(async (planned) => {
        await applyPlan(
          planned,
          sqlite.plan(diff(emptySchema, schema).changes, directPolicy, { from: emptySchema, to: schema }),
        )
        expect(await pragmaView(planned)).toEqual(await pragmaView(fromText))
        expect(diff(await sqlite.introspect(planned), schema).changes).toEqual([])
      })
    })
  })

  it('rebuilds a 100,000-row parent with CASCADE children: every row, the index, the trigger and the view stay', async () => {
    const before = await schemaOf(BEFORE)
    const after = await schemaOf(AFTER)
    await withFile(async (conn) => {
      await conn.exec(BEFORE)
      await conn.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
        INSERT INTO parent (name, score) SELECT 'p' || i, i FROM n;
        INSERT INTO child (parent_id, label) SELECT id, 'c' || id FROM parent;`)
      const plan = sqlite.plan(diff(before, after).changes, directPolicy, { from: before, to: after })
      expect(plan.steps[0]).toMatchObject({ sql: 'PRAGMA foreign_keys = OFF', transactional: false })
      expect(plan.steps.at(-1)).toMatchObject({ sql: 'PRAGMA foreign_keys = ON', transactional: false })
      expect(plan.steps.some((s) => s.rewritesTable && /^INSERT INTO "_keel_new_parent"/.test(s.sql))).toBe(true)
      await applyPlan(conn, plan)
      const counts = await conn.query<{ p: number; c: number; a: number }>(
        'select (select count(*) from parent) as p, (select count(*) from child) as c, (select count(*) from audit) as a',
      )
      expect(counts).toEqual([{ p: 100000, c: 100000, a: 0 }])
      expect(await conn.query('select * from pragma_foreign_key_check')).toEqual([])
      expect(await conn.query(`select tier from parent where id = 7`)).toEqual([{ tier: 'basic' }])
      expect(diff(await sqlite.introspect(conn), after).changes).toEqual([])
      // The trigger still fires, the view still reads, and the foreign keys are enforced again.
      await conn.exec(`update parent set name = 'renamed' where id = 1`)
      expect(await conn.query('select count(*) as n from audit')).toEqual([{ n: 1 }])
      expect(await conn.query(`select n from parent_children where name = 'renamed'`)).toEqual([{ n: 1 }])
      await expect(conn.exec('insert into child (parent_id) values (999999)')).rejects.toThrow(/FOREIGN KEY/)
      // The reverse rebuilds it back.
      const reverse = reversePlan(plan)
      if (!('sql' in reverse)) throw new Error(`irreversible: ${reverse.irreversible.join('; ')}`)
      await runScript(conn, reverse.sql)
      expect(diff(await sqlite.introspect(conn), before).changes).toEqual([])
      expect(await conn.query('select count(*) as n from child')).toEqual([{ n: 100000 }])
    })
  })

  it('uses ALTER TABLE where SQLite can: rename, add and drop a plain column', async () => {
    const before = await schemaOf('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);')
    const after = await schemaOf('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, c INTEGER DEFAULT 0);')
    const plan = sqlite.plan(diff(before, after).changes, directPolicy, { from: before, to: after })
    expect(plan.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE "t" DROP COLUMN "b"',
      'ALTER TABLE "t" ADD COLUMN "c" INTEGER DEFAULT 0',
    ])
  })
})
