/**
 * `keel inspect --format ts|json|sql` on a SQLite file prints a schema that reads back as the same database (issue 8):
 * for each format, on Chinook's and Sakila's SQLite schemas and on one that holds every SQLite feature Keel models,
 * the printed file, given to `keel diff --to`, has no difference from the database it was printed from; and a fresh
 * SQLite file made from the printed .ts or .sql by `keel push` equals the original by SQLite's own PRAGMAs and
 * sqlite_schema (test/support/sqlite-catalog.ts), not by Keel's introspection. Everything runs through the built CLI.
 * What SQLite holds and Keel does not model is reported as unmanaged by inspect, never dropped without a word; what a
 * format cannot say (ON CONFLICT clauses and view column lists in --format ts) is named in a `// keel:` note.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, test } from 'vitest'
import { runKeel } from '../../support/cli.js'
import { sqliteCatalog } from '../../support/sqlite-catalog.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures')
const dir = mkdtempSync(join(tmpdir(), 'keel-sqlite-inspect-round-trip-'))
symlinkSync(join(import.meta.dirname, '../../../node_modules'), join(dir, 'node_modules'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * Every SQLite feature Keel models, written as people write SQLite by hand: AUTOINCREMENT and a plain INTEGER PRIMARY
 * KEY (both declared without NOT NULL, which SQLite keeps apart from NOT NULL ones), a TEXT key of a rowid table that
 * may hold NULL, a column without a declared type, a collated column, WITHOUT ROWID and STRICT tables, composite
 * primary and foreign keys, every foreign key action, a deferred foreign key naming no parent columns, named and
 * unnamed checks, virtual and stored generated columns, defaults, partial, expression, descending and collated
 * indexes, a view and a trigger.
 */
const FEATURES = `
CREATE TABLE artist (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, born INTEGER CHECK (born > 1000));
CREATE TABLE album (
  id INTEGER PRIMARY KEY,
  artist_id INTEGER NOT NULL REFERENCES artist (id) ON DELETE CASCADE ON UPDATE SET NULL,
  title TEXT NOT NULL DEFAULT 'untitled',
  price NUMERIC(10,2) DEFAULT 0.99,
  released DATETIME DEFAULT CURRENT_TIMESTAMP,
  title_lower TEXT GENERATED ALWAYS AS (lower(title)) VIRTUAL,
  slug TEXT AS (replace(title, ' ', '-')) STORED,
  CONSTRAINT album_price_check CHECK (price >= 0)
);
CREATE TABLE label (code TEXT PRIMARY KEY, name TEXT COLLATE NOCASE NOT NULL, note);
CREATE TABLE tag (name TEXT PRIMARY KEY, weight REAL NOT NULL DEFAULT 1.0) WITHOUT ROWID;
CREATE TABLE album_tag (
  album_id INTEGER NOT NULL REFERENCES album (id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  position INT,
  PRIMARY KEY (album_id, tag),
  FOREIGN KEY (tag) REFERENCES tag (name) ON UPDATE CASCADE ON DELETE RESTRICT
) WITHOUT ROWID;
CREATE TABLE edition (
  album_id INTEGER NOT NULL,
  tag TEXT NOT NULL,
  label_code TEXT REFERENCES label ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  FOREIGN KEY (album_id, tag) REFERENCES album_tag (album_id, tag) ON DELETE SET DEFAULT
);
CREATE TABLE setting (key TEXT PRIMARY KEY NOT NULL, value ANY, hits INTEGER NOT NULL DEFAULT 0) STRICT;
CREATE INDEX album_title_lower_idx ON album (lower(title));
CREATE UNIQUE INDEX album_artist_title_key ON album (artist_id, title) WHERE title <> '';
CREATE INDEX album_price_idx ON album (price DESC, title COLLATE NOCASE);
CREATE VIEW artist_albums AS SELECT a.name, count(*) AS albums FROM artist a JOIN album b ON b.artist_id = a.id GROUP BY a.name;
CREATE TRIGGER album_touch AFTER UPDATE OF title ON album BEGIN UPDATE artist SET born = born WHERE id = NEW.artist_id; END;
`

const CASES: Record<string, () => string> = {
  features: () => FEATURES,
  chinook: () => readFileSync(join(FIXTURES, 'chinook/Chinook_Sqlite.schema.sql'), 'utf8'),
  'chinook autoincrement': () =>
    readFileSync(join(FIXTURES, 'chinook/Chinook_Sqlite_AutoIncrementPKs.schema.sql'), 'utf8'),
  sakila: () => readFileSync(join(FIXTURES, 'sakila/jooq/sqlite-sakila-schema.sql'), 'utf8'),
}

const FORMATS = ['ts', 'json', 'sql'] as const

/** A new SQLite file holding `ddl`, made with the driver (not Keel). */
function createOriginal(name: string, ddl: string): string {
  const file = join(dir, `${name}.db`)
  const db = new Database(file)
  try {
    db.exec(ddl)
  } finally {
    db.close()
  }
  return file
}

describe.each(Object.keys(CASES))('keel inspect on SQLite round trips: %s', (name) => {
  const slug = name.replaceAll(' ', '-')
  const original = createOriginal(slug, (CASES[name] as () => string)())

  test.each(FORMATS)('--format %s reads back as the same database', async (format) => {
    const printed = await runKeel(['inspect', '--format', format, '--url', `sqlite:${original}`], { cwd: dir })
    expect(printed.stderr).not.toContain('error[')
    expect(printed.code).toBe(0)
    // Everything in these schemas is modelled: nothing is left out of the print, nothing is unmanaged.
    expect(printed.stderr).not.toContain('not managed by Keel')
    if (format === 'ts') expect(printed.stdout).not.toContain('// keel:')
    const file = join(dir, `${slug}.printed.${format}`)
    writeFileSync(file, printed.stdout)

    const diff = await runKeel(['diff', '--exit-code', '--to', file, '--url', `sqlite:${original}`], { cwd: dir })
    const errors = diff.stderr.split('\n').filter((line) => line.startsWith('error['))
    expect({ code: diff.code, sql: diff.stdout, errors }).toEqual({ code: 0, sql: '', errors: [] })
    expect(diff.stderr).toContain('no differences')

    if (format === 'json') return
    const copy = join(dir, `${slug}.copy-from-${format}.db`)
    const pushed = await runKeel(['push', '--schema', file, '--url', `sqlite:${copy}`], { cwd: dir })
    expect(pushed.stderr).not.toContain('error[')
    expect(pushed.code).toBe(0)
    expect(sqliteCatalog(copy)).toEqual(sqliteCatalog(original))
  })
})

describe('keel inspect on SQLite reports what Keel does not model', () => {
  test('virtual tables (not their shadow tables) are listed as unmanaged; ON CONFLICT clauses and view column lists are printed, or named in a note where the format cannot say them', async () => {
    const file = createOriginal(
      'unmanaged',
      `CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL ON CONFLICT IGNORE, UNIQUE (body) ON CONFLICT REPLACE);
       CREATE VIRTUAL TABLE note_search USING fts5(body, content='note', content_rowid='id');
       CREATE VIEW note_titles (note_id, title) AS SELECT id, substr(body, 1, 20) FROM note;`,
    )
    for (const format of FORMATS) {
      const printed = await runKeel(['inspect', '--format', format, '--url', `sqlite:${file}`], { cwd: dir })
      expect(printed.code).toBe(0)
      const warnings = printed.stderr.split('\n').filter((line) => line.includes('not managed by Keel'))
      expect(warnings).toEqual(['warning: not managed by Keel, left as it is: virtual table note_search'])
      // The FTS5 table and its shadow tables (note_search_data, ...) are the module's: none is printed as a table.
      if (format === 'json') {
        const schema = JSON.parse(printed.stdout) as {
          tables: { name: { name: string }; uniques: unknown[]; columns: unknown[] }[]
          views: { columns?: string[] }[]
          unmanaged: unknown[]
        }
        expect(schema.tables.map((t) => t.name.name)).toEqual(['note'])
        expect(schema.tables[0]?.uniques).toEqual([{ name: 'note_body_key', columns: ['body'], onConflict: 'REPLACE' }])
        expect(schema.tables[0]?.columns[1]).toMatchObject({ name: 'body', notNullOnConflict: 'IGNORE' })
        expect(schema.views[0]?.columns).toEqual(['note_id', 'title'])
        expect(schema.unmanaged).toHaveLength(1)
      } else {
        expect(printed.stdout).toContain('note')
        expect(printed.stdout).not.toContain('note_search')
      }
      if (format === 'sql') {
        expect(printed.stdout).toContain('"body" TEXT NOT NULL ON CONFLICT IGNORE')
        expect(printed.stdout).toContain('UNIQUE ("body") ON CONFLICT REPLACE')
        expect(printed.stdout).toContain('CREATE VIEW "note_titles" ("note_id", "title") AS')
      }
      if (format === 'ts') {
        expect(printed.stdout).toContain(
          '// keel: NOT NULL of column body has ON CONFLICT IGNORE, which the DSL cannot declare; left out',
        )
        expect(printed.stdout).toContain(
          '// keel: unique constraint note_body_key has ON CONFLICT REPLACE, which the DSL cannot declare; left out',
        )
        expect(printed.stdout).toContain(
          '// keel: column list (note_id, title), which the DSL cannot declare; left out',
        )
        continue
      }
      // The printed SQL and JSON say all of it: no difference from the database.
      const printedFile = join(dir, `unmanaged.printed.${format}`)
      writeFileSync(printedFile, printed.stdout)
      const diff = await runKeel(['diff', '--exit-code', '--to', printedFile, '--url', `sqlite:${file}`], { cwd: dir })
      expect({ code: diff.code, sql: diff.stdout }).toEqual({ code: 0, sql: '' })
    }
  })
})
