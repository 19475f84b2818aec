/**
 * The names a SQLite CREATE TABLE gives its primary key, unique constraints and foreign keys (Chinook's
 * `CONSTRAINT [PK_Album] PRIMARY KEY`, Sakila's `CONSTRAINT fk_city_country FOREIGN KEY`) live only in that text.
 * Keel reads them (PrimaryKey.declaredName, ...), prints them, and keeps them through a table rebuild; a source that
 * names no constraint does not differ from a database that does, and one that names it otherwise does. Checked on
 * real files by SQLite's own sqlite_schema text.
 */
import { readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../../src/db/connection.js'
import { getDialect } from '../../../src/dialect/registry.js'
import { diff } from '../../../src/diff/diff.js'
import { directPolicy } from '../../../src/plan/policy.js'
import { reversePlan } from '../../../src/plan/step.js'
import type { Schema, Table } from '../../../src/schema/model.js'
import { applyPlan } from '../../../src/source/apply-plan.js'
import { runKeel } from '../../support/cli.js'
import { runScript } from '../../support/run-script.js'
import { sqliteFiles } from '../../support/sqlite-files.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures')
const { dir, withFile, schemaOf } = sqliteFiles('keel-sqlite-constraint-names-')
symlinkSync(join(import.meta.dirname, '../../../node_modules'), join(dir, 'node_modules'))
const sqlite = getDialect('sqlite')

/** The schema as a source that names no constraint declares it (Prisma, Drizzle, Keel's DSL without names). */
function unnamed(schema: Schema): Schema {
  const strip = <T extends { readonly declaredName?: string }>({ declaredName: _, ...rest }: T) => rest
  return {
    ...schema,
    tables: schema.tables.map(
      (t): Table => ({
        ...t,
        ...(t.primaryKey === undefined ? {} : { primaryKey: strip(t.primaryKey) }),
        uniques: t.uniques.map(strip),
        foreignKeys: t.foreignKeys.map(strip),
      }),
    ),
  }
}

async function storedSql(conn: Connection, name: string): Promise<string> {
  const [row] = await conn.query<{ sql: string }>('select sql from sqlite_schema where name = ?1', [name])
  return (row?.sql ?? '').replace(/\s+/g, ' ')
}

const NAMED = `
CREATE TABLE [Artist] ([ArtistId] INTEGER NOT NULL, [Name] NVARCHAR(120), CONSTRAINT [PK_Artist] PRIMARY KEY ([ArtistId]));
CREATE TABLE album (
  id INTEGER CONSTRAINT pk_album PRIMARY KEY AUTOINCREMENT,
  code TEXT CONSTRAINT uq_album_code UNIQUE,
  artist_id INTEGER CONSTRAINT fk_album_artist REFERENCES [Artist] ([ArtistId]) ON DELETE CASCADE,
  title TEXT,
  n INTEGER,
  CONSTRAINT uq_album_title UNIQUE (artist_id, title)
);
`

describe('SQLite constraint names', () => {
  it('are read from the CREATE TABLE text, on table constraints and in column definitions', async () => {
    const schema = await schemaOf(NAMED)
    const album = schema.tables.find((t) => t.name.name === 'album')
    const artist = schema.tables.find((t) => t.name.name === 'Artist')
    expect(artist?.primaryKey).toEqual({ name: 'Artist_pkey', columns: ['ArtistId'], declaredName: 'PK_Artist' })
    expect(album?.primaryKey).toEqual({ name: 'album_pkey', columns: ['id'], declaredName: 'pk_album' })
    expect(album?.uniques.map((u) => [u.name, u.declaredName])).toEqual([
      ['album_artist_id_title_key', 'uq_album_title'],
      ['album_code_key', 'uq_album_code'],
    ])
    expect(album?.foreignKeys.map((fk) => [fk.name, fk.declaredName])).toEqual([
      ['album_artist_id_fkey', 'fk_album_artist'],
    ])
  })

  it('a source that names no constraint does not differ; one that names it otherwise does', async () => {
    const schema = await schemaOf(NAMED)
    expect(diff(schema, unnamed(schema)).changes).toEqual([])
    expect(diff(unnamed(schema), schema).changes).toEqual([])
    const renamed = await schemaOf(NAMED.replace('uq_album_code', 'album_code_unique'))
    expect(diff(schema, renamed).changes.map((c) => c.kind)).toEqual(['dropUnique', 'addUnique'])
    await withFile(async (conn) => {
      await conn.exec(NAMED)
      await applyPlan(conn, sqlite.plan(diff(schema, renamed).changes, directPolicy, { from: schema, to: renamed }))
      expect(await storedSql(conn, 'album')).toContain('CONSTRAINT "album_code_unique" UNIQUE ("code")')
      expect(diff(await sqlite.introspect(conn), renamed).changes).toEqual([])
    })
  })

  it('are kept by a rebuild planned from a source that names none, with every row', async () => {
    const before = await schemaOf(NAMED)
    const after = unnamed(await schemaOf(NAMED.replace('n INTEGER,', 'n BIGINT,')))
    await withFile(async (conn) => {
      await conn.exec(NAMED)
      await conn.exec(`INSERT INTO [Artist] VALUES (1, 'a'), (2, 'b');
        INSERT INTO album (code, artist_id, title, n) VALUES ('x', 1, 'one', 1), ('y', 2, 'two', 2)`)
      const plan = sqlite.plan(diff(before, after).changes, directPolicy, { from: before, to: after })
      expect(plan.steps.some((s) => s.sql.startsWith('INSERT INTO "_keel_new_album"'))).toBe(true)
      await applyPlan(conn, plan)
      const text = await storedSql(conn, 'album')
      expect(text).toContain('"id" INTEGER CONSTRAINT "pk_album" PRIMARY KEY AUTOINCREMENT')
      expect(text).toContain('CONSTRAINT "uq_album_code" UNIQUE ("code")')
      expect(text).toContain('CONSTRAINT "uq_album_title" UNIQUE ("artist_id", "title")')
      expect(text).toContain('CONSTRAINT "fk_album_artist" FOREIGN KEY ("artist_id")')
      expect(text).toContain('"n" BIGINT')
      expect(await conn.query('select id, code, artist_id, title, n from album order by id')).toEqual([
        { id: 1, code: 'x', artist_id: 1, title: 'one', n: 1 },
        { id: 2, code: 'y', artist_id: 2, title: 'two', n: 2 },
      ])
      expect(await conn.query('select * from pragma_foreign_key_check')).toEqual([])
      const reverse = reversePlan(plan)
      if (!('sql' in reverse)) throw new Error(`irreversible: ${reverse.irreversible.join('; ')}`)
      await runScript(conn, reverse.sql)
      expect(await storedSql(conn, 'album')).toContain('CONSTRAINT "pk_album" PRIMARY KEY')
      expect(diff(await sqlite.introspect(conn), before).changes).toEqual([])
    })
  })

  it('are kept by a rebuild of a table renamed in the same plan (its default names change)', async () => {
    const before = await schemaOf(NAMED)
    const retyped = unnamed(
      await schemaOf(NAMED.replace('n INTEGER,', 'n BIGINT,').replace('TABLE album', 'TABLE record')),
    )
    const after: Schema = {
      ...retyped,
      tables: retyped.tables.map((t) => (t.name.name === 'record' ? { ...t, renamedFrom: { name: 'album' } } : t)),
    }
    await withFile(async (conn) => {
      await conn.exec(NAMED)
      await conn.exec(
        `INSERT INTO [Artist] VALUES (1, 'a'); INSERT INTO album (code, artist_id, title, n) VALUES ('x', 1, 'one', 1)`,
      )
      const changes = diff(before, after).changes
      expect(changes.map((c) => c.kind)).toContain('renameTable')
      await applyPlan(conn, sqlite.plan(changes, directPolicy, { from: before, to: after }))
      const text = await storedSql(conn, 'record')
      for (const name of ['pk_album', 'uq_album_code', 'uq_album_title', 'fk_album_artist'])
        expect(text).toContain(`CONSTRAINT "${name}"`)
      expect(text).toContain('"n" BIGINT')
      expect(await conn.query('select code, n from record')).toEqual([{ code: 'x', n: 1 }])
    })
  })

  it('keel inspect --format sql prints Chinook and Sakila with their own names', async () => {
    const cases = [
      ['chinook', 'chinook/Chinook_Sqlite.schema.sql', 'CONSTRAINT "PK_Album" PRIMARY KEY ("AlbumId")'],
      ['sakila', 'sakila/jooq/sqlite-sakila-schema.sql', 'CONSTRAINT "fk_city_country" FOREIGN KEY ("country_id")'],
    ] as const
    for (const [name, fixture, expected] of cases) {
      const file = join(dir, `${name}.db`)
      const db = new Database(file)
      db.exec(readFileSync(join(FIXTURES, fixture), 'utf8'))
      db.close()
      const printed = await runKeel(['inspect', '--format', 'sql', '--url', `sqlite:${file}`], { cwd: dir })
      expect(printed.code).toBe(0)
      expect(printed.stdout).toContain(expected)
    }
  })
})
