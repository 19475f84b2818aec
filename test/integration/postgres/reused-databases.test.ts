/**
 * test/support/ci-files-reused-databases.ts: a database handed to the next case is, to pg_dump and to introspection,
 * a new one; one that cannot be emptied back to that, or whose case failed, is not handed on.
 */
import { describe, expect, it } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import { emptySchema } from '../../../src/schema/model.js'
import { reuseDatabasesInFile, withReusedDatabase } from '../../support/ci-files-reused-databases.js'
import { DIALECTS, withDatabase } from '../../support/databases.js'
import { normalizePgDump, pgDumpSchema } from '../../support/pg-dump.js'

const dialect = getDialect('postgres')

reuseDatabasesInFile()

const MESS = `
create schema other; create table other.t (a int);
create type mood as enum ('a'); create domain d as int check (value > 0); create sequence s;
create table t (id int primary key, m mood, x d default nextval('s'));
create function f() returns int language sql as 'select 1';
create temporary table tmp (a int);
set search_path = other;
begin;`

describe.each(DIALECTS)('a reused database on %s', (name) => {
  it('is emptied to what a new one is', async () => {
    const url = await withReusedDatabase(name, async (db) => {
      await db.conn.exec(MESS.replace('begin;', ''))
      return db.url
    })
    await withReusedDatabase(name, async (db) => {
      expect(db.url).toBe(url)
      const path = await withDatabase(name, (fresh) => fresh.conn.query('show search_path'))
      expect(await db.conn.query('show search_path')).toEqual(path)
      expect(await dialect.introspect(db.conn)).toEqual(dialect.normalize(emptySchema))
      await db.conn.exec('create table t (a int)')
      if (name === 'postgres')
        await withDatabase(name, async (fresh) => {
          await fresh.conn.exec('create table t (a int)')
          expect(normalizePgDump(await pgDumpSchema(db.url))).toEqual(normalizePgDump(await pgDumpSchema(fresh.url)))
        })
    })
  })

  it('is not handed on after its case failed, nor when it cannot be emptied', async () => {
    const failed = await withReusedDatabase(name, async (db) => {
      await expect(
        withReusedDatabase(name, async (inner) => {
          expect(inner.url === db.url && name === 'postgres').toBe(false)
          throw new Error('the case failed')
        }),
      ).rejects.toThrow('the case failed')
      return db.url
    })
    // A transaction left open: DISCARD ALL refuses to run in it.
    const open = await withReusedDatabase(name, async (db) => {
      await db.conn.exec('begin; create table t (a int);')
      return db.url
    })
    await withReusedDatabase(name, async (db) => {
      if (name === 'postgres') expect([failed, open]).not.toContain(db.url)
      expect(await dialect.introspect(db.conn)).toEqual(dialect.normalize(emptySchema))
    })
  })
})
