/**
 * A SQLite database's schema as SQLite itself reports it, not as Keel's introspection reads it: `pragma_table_list`,
 * `pragma_table_xinfo`, `pragma_index_list`, `pragma_index_xinfo` and `pragma_foreign_key_list` for tables, and
 * sqlite_schema's text for views, triggers and the indexes' expressions and WHERE clauses. Two databases with equal
 * catalogs hold the same tables, columns (declared type, NOT NULL, default, key position, generated), keys,
 * indexes, foreign keys, views and triggers.
 *
 * Spellings that are not the schema are evened out, each for a stated reason: a declared type's letter case and
 * spaces (SQLite reads its affinity case-insensitively; Keel keeps types upper case), the number SQLite gives an
 * automatic index (`sqlite_autoindex_t_2` depends on the order constraints were written in: it is named by its
 * columns instead), a foreign key's id (declaration order) and its parent columns left unsaid (`REFERENCES parent`
 * means the parent's primary key, which is what is compared), and the quotes and spaces of CREATE INDEX and CREATE VIEW
 * (Keel quotes every name). Trigger texts are compared exactly.
 */
import Database from 'better-sqlite3'

export interface SqliteCatalog {
  readonly tables: Record<string, unknown>
  readonly views: Record<string, unknown>
  readonly triggers: Record<string, unknown>
}

interface SchemaRow {
  type: string
  name: string
  tbl_name: string
  sql: string | null
}

/** Reads the catalog of the SQLite file at `path` (read-only). Keel's own tables (`keel_*`) are left out. */
export function sqliteCatalog(path: string): SqliteCatalog {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    const rows = db
      .prepare<[], SchemaRow>(
        `select type, name, tbl_name, sql from sqlite_schema
         where name not like 'sqlite\\_%' escape '\\' and name not like 'keel\\_%' escape '\\' order by name`,
      )
      .all()
    const all = <T>(sql: string, ...args: unknown[]): T[] => db.prepare(sql).all(...args) as T[]
    const tables: Record<string, unknown> = {}
    for (const row of rows.filter((r) => r.type === 'table')) {
      const list = all<Record<string, unknown>>(
        'select type, ncol, wr, strict from pragma_table_list where schema = ? and name = ?',
        'main',
        row.name,
      )
      const columns = all<Record<string, unknown>>(
        'select cid, name, type, "notnull", dflt_value, pk, hidden from pragma_table_xinfo(?) order by cid',
        row.name,
      ).map((c) => ({ ...c, type: typeSpelling(String(c.type)) }))
      const indexes = all<{ name: string; unique: number; origin: string; partial: number }>(
        'select name, "unique", origin, partial from pragma_index_list(?)',
        row.name,
      ).map((index) => {
        const parts = all<Record<string, unknown>>(
          'select seqno, cid, name, "desc", coll, key from pragma_index_xinfo(?) order by seqno',
          index.name,
        )
        const auto = index.name.startsWith('sqlite_autoindex_')
        const named = auto
          ? `autoindex(${parts
              .filter((p) => p.key === 1)
              .map((p) => p.name)
              .join(',')})`
          : index.name
        const create = rows.find((r) => r.type === 'index' && r.name === index.name)?.sql
        return {
          name: named,
          unique: index.unique,
          origin: index.origin,
          partial: index.partial,
          parts,
          ...(create === undefined || create === null ? {} : { sql: sqlSpelling(create) }),
        }
      })
      const keys = new Map<number, Record<string, unknown>[]>()
      for (const fk of all<Record<string, unknown> & { id: number; table: string; seq: number; to: string | null }>(
        'select id, seq, "table", "from", "to", on_update, on_delete, match from pragma_foreign_key_list(?) order by id, seq',
        row.name,
      )) {
        const { id, ...rest } = fk
        // `REFERENCES parent` without columns means the parent's primary key (SQLite's documented reading).
        const to =
          fk.to ??
          all<{ name: string }>('select name from pragma_table_info(?) where pk > 0 order by pk', fk.table)[fk.seq]
            ?.name
        keys.set(id, [...(keys.get(id) ?? []), { ...rest, to }])
      }
      tables[row.name] = {
        list,
        declared: declaredOnly(row.sql ?? ''),
        columns,
        indexes: indexes.sort((a, b) => a.name.localeCompare(b.name)),
        foreignKeys: [...keys.values()].map((k) => JSON.stringify(k)).sort(),
      }
    }
    const views: Record<string, unknown> = {}
    for (const row of rows.filter((r) => r.type === 'view')) {
      views[row.name] = {
        sql: sqlSpelling(row.sql ?? ''),
        columns: all<Record<string, unknown>>('select name, type from pragma_table_xinfo(?) order by cid', row.name),
      }
    }
    const triggers: Record<string, unknown> = {}
    for (const row of rows.filter((r) => r.type === 'trigger'))
      triggers[row.name] = { table: row.tbl_name, sql: row.sql }
    return { tables, views, triggers }
  } finally {
    db.close()
  }
}

/**
 * What a CREATE TABLE says that no PRAGMA reports, read from its text with nothing of Keel's: the CHECK expressions,
 * the generated columns' expressions, the collations named, the DEFERRABLE and ON CONFLICT clauses. Per table, as
 * sorted lists (their order in the text is layout).
 */
function declaredOnly(sql: string): Record<string, string[]> {
  const words = sqlSpelling(sql.replace(/'(?:[^']|'')*'/g, "''")).toUpperCase()
  const all = (re: RegExp) => [...words.matchAll(re)].map((m) => m[0]).sort()
  return {
    checks: expressionsAfter(sql, /\bCHECK\s*\(/gi),
    generated: expressionsAfter(sql, /\bAS\s*\(/gi),
    collations: all(/\bCOLLATE \w+/g),
    deferrable: all(/\b(NOT )?DEFERRABLE( INITIALLY (DEFERRED|IMMEDIATE))?/g),
    conflicts: all(/\bON CONFLICT \w+/g),
  }
}

/** The parenthesized expressions that follow each match of `opening` (which ends at the open parenthesis). */
function expressionsAfter(sql: string, opening: RegExp): string[] {
  const found: string[] = []
  for (const m of sql.matchAll(opening)) {
    let depth = 0
    const start = (m.index ?? 0) + m[0].length - 1
    for (let i = start; i < sql.length; i++) {
      if (sql[i] === "'") i = sql.indexOf("'", i + 1)
      else if (sql[i] === '(') depth++
      else if (sql[i] === ')' && --depth === 0) {
        found.push(sqlSpelling(sql.slice(start + 1, i)))
        break
      }
      if (i === -1) break
    }
  }
  return found.sort()
}

/** A declared type in one letter case and spacing: `varchar ( 45 )` and `VARCHAR(45)` have the same affinity. */
function typeSpelling(type: string): string {
  return type
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*\)/g, ')')
    .toUpperCase()
}

/**
 * CREATE INDEX or CREATE VIEW text without the spelling of its names: quotes ("x", [x], `x`) around plain names
 * removed, runs of spaces made one, no space before or inside parentheses or around commas. String literals are
 * left alone (quotes and spaces inside them are data).
 */
export function sqlSpelling(sql: string): string {
  return sql
    .split(/('(?:[^']|'')*')/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/"([A-Za-z_][A-Za-z0-9_]*)"|\[([A-Za-z_][A-Za-z0-9_]*)\]|`([A-Za-z_][A-Za-z0-9_]*)`/g, '$1$2$3')
            .replace(/\s+/g, ' ')
            .replace(/\s*([(),])\s*/g, '$1'),
    )
    .join('')
    .trim()
}
