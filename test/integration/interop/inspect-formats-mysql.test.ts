/**
 * `keel inspect --format prisma|drizzle` on MariaDB (issue 10): Prisma's mysql provider and drizzle-orm/mysql-core,
 * round-tripped on the MySQL corpus (Chinook's two MySQL variants, Oracle's Sakila). Each schema is loaded into a
 * fresh database by the `mariadb` client; its introspection is printed; the printed schema, read back as a source
 * beside the same server, differs from the database in exactly what the printer reported it could not say: each
 * change of the diff names an object that `skipped` names, and each object `skipped` names is a change (but for
 * Unsupported("...") types, which read back as they were). Then the same corpus with its columns in the character
 * set the format can say (`CONVERT TO CHARACTER SET`) must print with nothing skipped and read back with no diff.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { getDialect } from '../../../src/dialect/registry.js'
import type { Change } from '../../../src/diff/change.js'
import { diff } from '../../../src/diff/diff.js'
import { printForeignSchema } from '../../../src/interop/print/print-foreign.js'
import type { Schema } from '../../../src/schema/model.js'
import { loadSchemaSource } from '../../../src/source/load-source.js'
import { runKeel } from '../../support/cli.js'
import { withMysqlDatabase } from '../../support/databases.js'
import { drizzleKitGenerate } from '../../support/drizzle-kit.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures')
const dir = mkdtempSync(join(tmpdir(), 'keel-inspect-formats-mysql-'))
symlinkSync(join(import.meta.dirname, '../../../node_modules'), join(dir, 'node_modules'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const chinook = (variant: string) => readFileSync(join(FIXTURES, `chinook/Chinook_MySql${variant}.schema.sql`), 'utf8')
const CORPUS: Readonly<Record<string, string>> = {
  chinook: chinook(''),
  'chinook-autoincrement': chinook('_AutoIncrementPKs'),
  // As sakila.test.ts loads it: without the lines that make and choose a database named sakila.
  sakila: readFileSync(join(FIXTURES, 'sakila/mysql-official/sakila-schema.sql'), 'utf8')
    .replace(/^(DROP SCHEMA IF EXISTS sakila|CREATE SCHEMA sakila|USE sakila);$/gm, '')
    .replaceAll('sakila.', ''),
}

/** Loads SQL with the server's own client (DELIMITER blocks, version comments), into the database of `url`. */
function load(url: string, sql: string): void {
  const { hostname, port, username, pathname } = new URL(url)
  execFileSync(
    'mariadb',
    ['-h', hostname, '-P', port || '3306', '-u', username || 'root', '--comments', pathname.slice(1)],
    {
      input: sql,
    },
  )
}

/** Whether a line of `skipped` names `object` (followed by no more of a name). */
const names = (line: string, object: string) => line.startsWith(object) && !/\w/.test(line[object.length] ?? '')

/** The object a change is about, as `skipped` names it (`table t`, `table t.c`, `table t: index i`, `view v`...). */
function objectOf(change: Change): string {
  switch (change.kind) {
    case 'alterColumn':
      return `table ${change.table.name}.${change.to.name}:`
    case 'alterTable':
      return `table ${change.table.name}:`
    case 'dropIndex':
      return `table ${change.table.name}: index ${change.index.name}`
    case 'dropView':
      return `view ${change.view.name.name}`
    case 'dropTrigger':
      return `trigger ${change.trigger.name}`
    case 'dropRoutine':
      return `${change.routine.kind} ${change.routine.name.name}`
    default:
      return JSON.stringify(change)
  }
}

/** Whether every change is about an object `skipped` names, and every lossy `skipped` line about a change. */
function expectOnlyReported(changes: readonly Change[], skipped: readonly string[]): void {
  const objects = changes.map(objectOf)
  expect(objects.filter((o) => !skipped.some((s) => names(s, o)))).toEqual([])
  const lossy = skipped.filter((s) => !/ written as Unsupported\(/.test(s))
  expect(lossy.filter((s) => !objects.some((o) => names(s, o)))).toEqual([])
}

async function roundTrip(format: 'prisma' | 'drizzle', name: string, url: string, live: Schema) {
  const printed = await printForeignSchema(format, live, 'mysql')
  const file = join(dir, `${name}.${format === 'prisma' ? 'prisma' : 'ts'}`)
  writeFileSync(file, printed.text)
  const read = await loadSchemaSource(file, { cwd: dir, near: url })
  expect(read.dialect).toBe('mysql')
  return { printed, changes: diff(live, read.schema).changes }
}

describe.each(['prisma', 'drizzle'] as const)('keel inspect --format %s on MariaDB', (format) => {
  test.each(Object.keys(CORPUS))(
    '%s reads back as the database, but for what it reports it cannot say',
    async (name) => {
      await withMysqlDatabase(async (db) => {
        load(db.url, CORPUS[name] as string)
        const live = await getDialect('mysql').introspect(db.conn)
        expect(live.tables.length).toBeGreaterThan(10)
        const { printed, changes } = await roundTrip(format, name, db.url, live)
        expectOnlyReported(changes, printed.skipped)
        if (name === 'sakila') {
          // Sakila's views, routines and triggers, and (Drizzle) its FULLTEXT key are reported.
          expect(printed.skipped).toEqual(
            expect.arrayContaining([
              expect.stringMatching(/^view actor_info\b/),
              'procedure rewards_report',
              'function get_customer_balance',
              'trigger ins_film',
              ...(format === 'drizzle'
                ? [expect.stringMatching(/^table film_text: index idx_title_description /)]
                : []),
            ]),
          )
        }
      })
    },
    120_000,
  )
})

test('drizzle-kit generates, from the module printed for Sakila, the database less what was reported', async () => {
  await withMysqlDatabase(async (db) => {
    load(db.url, CORPUS.sakila as string)
    const live = await getDialect('mysql').introspect(db.conn)
    const printed = await printForeignSchema('drizzle', live, 'mysql')
    const file = join(dir, 'sakila-kit.ts')
    writeFileSync(file, printed.text)
    const ddl = await drizzleKitGenerate(file, undefined, 'mysql')
    await withMysqlDatabase(async (kit) => {
      for (const statement of ddl.split('--> statement-breakpoint')) await kit.conn.exec(statement)
      const generated = await getDialect('mysql').introspect(kit.conn)
      expect(generated.tables.length).toBe(live.tables.length)
      expectOnlyReported(diff(live, generated).changes, printed.skipped)
    })
  })
}, 120_000)

/** A column of each MySQL type the formats have a name for, beyond what the corpus holds. */
const TYPES = `CREATE TABLE types (id bigint unsigned AUTO_INCREMENT PRIMARY KEY, j json, mt mediumtext, lt longtext,
  tt tinytext, t text, vb varbinary(16), bn binary(4), bl blob, mb mediumblob, lb longblob, y year, tm time(2),
  d date, dt datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), ts timestamp(3) NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP(3),
  f float, db double, dc decimal(12,4) NOT NULL DEFAULT 0.5, flag tinyint(1) NOT NULL DEFAULT 1,
  s varchar(191) NOT NULL DEFAULT 'it''s', c char(2), ti tinyint NOT NULL DEFAULT -1, mi mediumint unsigned,
  si smallint unsigned, i int, e enum('x','y z') NOT NULL DEFAULT 'y z', UNIQUE KEY types_s_key (s),
  INDEX types_c_tm (c, tm))`

test.each([
  ['prisma', ' COLLATE utf8mb4_unicode_ci'],
  ['drizzle', ''],
] as const)(
  '%s: a column of every type it names reads back as it was, with nothing skipped',
  async (format, collate) => {
    await withMysqlDatabase(async (db) => {
      await db.conn.exec(`${TYPES}${collate}`)
      const live = await getDialect('mysql').introspect(db.conn)
      const { printed, changes } = await roundTrip(format, `types-${format}`, db.url, live)
      expect(printed.skipped).toEqual([])
      // mysql-core has no builder for the blob kinds (customType); Prisma has a name for every one.
      const natives = [...printed.text.matchAll(/(?:native\('|Unsupported\(")([^'"]+)/g)].map((m) => m[1])
      expect(natives).toEqual(format === 'prisma' ? [] : ['blob', 'mediumblob', 'longblob'])
      expect(changes).toEqual([])
    })
  },
  120_000,
)

describe('Chinook with its columns in one character set', () => {
  test.each([
    ['prisma', 'utf8mb4 COLLATE utf8mb4_unicode_ci'],
    ['drizzle', 'utf8mb4'],
  ] as const)(
    '%s: nothing skipped, and no difference',
    async (format, charset) => {
      await withMysqlDatabase(async (db) => {
        load(db.url, CORPUS.chinook as string)
        for (const table of await getDialect('mysql')
          .introspect(db.conn)
          .then((s) => s.tables))
          await db.conn.exec(`ALTER TABLE \`${table.name.name}\` CONVERT TO CHARACTER SET ${charset}`)
        const live = await getDialect('mysql').introspect(db.conn)
        const { printed, changes } = await roundTrip(format, `chinook-${format}-one-charset`, db.url, live)
        expect(printed.skipped).toEqual([])
        expect(changes).toEqual([])
      })
    },
    120_000,
  )
})

test('the CLI prints the MySQL flavours and warns about what they cannot say', async () => {
  await withMysqlDatabase(async (db) => {
    await db.conn.exec(
      `CREATE TABLE t (id int unsigned AUTO_INCREMENT PRIMARY KEY, kind enum('a','b c') NOT NULL DEFAULT 'b c',
         at datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), n int CHECK (n > 0),
         name varchar(100), g geometry NOT NULL, SPATIAL INDEX g_idx (g), FULLTEXT INDEX name_ft (name),
         INDEX name_prefix (name(10)))`,
    )
    await db.conn.exec('CREATE VIEW v AS SELECT id FROM t')
    const prisma = await runKeel(['inspect', '--format', 'prisma', '--url', db.url], { cwd: dir })
    expect(prisma.code, prisma.stderr).toBe(0)
    expect(prisma.stdout).toContain('provider = "mysql"')
    expect(prisma.stdout).toMatch(/id +Int +@id @default\(autoincrement\(\)\) @db\.UnsignedInt/)
    expect(prisma.stdout).toContain('enum t_kind {\n  a\n  b_c @map("b c")\n}')
    expect(prisma.stdout).toMatch(/kind +t_kind +@default\(b_c\)/)
    expect(prisma.stdout).toContain('@default(dbgenerated("current_timestamp(3) ON UPDATE current_timestamp(3)"))')
    expect(prisma.stdout).not.toMatch(/postgresql|@updatedAt/)
    expect(prisma.stdout).toContain('@@fulltext([name], map: "name_ft")')
    expect(prisma.stdout).toContain('@@index([name(length: 10)], map: "name_prefix")')
    expect(prisma.stdout).toMatch(/g +Unsupported\("geometry"\)\n/)
    expect(prisma.stderr).toContain('not in the prisma schema: table t: index g_idx')
    expect(prisma.stderr).toContain('not in the prisma schema: table t: check n')
    expect(prisma.stderr).toContain('not in the prisma schema: view v: Prisma Migrate does not manage views')
    const drizzle = await runKeel(['inspect', '--format', 'drizzle', '--url', db.url], { cwd: dir })
    expect(drizzle.code, drizzle.stderr).toBe(0)
    expect(drizzle.stdout).toContain("from 'drizzle-orm/mysql-core'")
    expect(drizzle.stdout).toContain("id: int('id', { unsigned: true }).primaryKey().autoincrement(),")
    expect(drizzle.stdout).toContain("kind: mysqlEnum('kind', ['a', 'b c']).notNull().default(sql`'b c'`),")
    expect(drizzle.stdout).toContain(
      "at: datetime('at', { fsp: 3 }).notNull().default(sql`current_timestamp(3)`).onUpdateNow(),",
    )
    expect(drizzle.stdout).not.toContain('pg-core')
    expect(drizzle.stderr).toContain('not in the drizzle schema: table t: index g_idx (a SPATIAL index)')
    expect(drizzle.stderr).toContain('not in the drizzle schema: table t: index name_ft (a FULLTEXT index)')
    expect(drizzle.stderr).toContain('not in the drizzle schema: table t: index name_prefix (a prefix length)')
    expect(drizzle.stderr).toContain('not in the drizzle schema: view v')
  })
}, 120_000)
