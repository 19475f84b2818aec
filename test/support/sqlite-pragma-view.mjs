/**
 * SQLite's own view of a database (sqlite_schema and the table and index PRAGMAs), to compare two databases without
 * trusting Keel's introspection. Plain JavaScript: test/conformance/sqlite-corpus.test.ts uses it, and so does
 * scripts/sqlite-corpus-check.mjs, which runs the same check on schemas that cannot be vendored.
 */

/** @param {{ query: (sql: string) => Promise<Record<string, unknown>[]> }} conn */
export async function sqlitePragmaView(conn) {
  const objects = await conn.query(
    `select type, name, tbl_name from sqlite_schema where name not like 'sqlite\\_%' escape '\\' order by type, name`,
  )
  const tables = objects.filter((o) => o.type === 'table').map((o) => String(o.name))
  const quoted = (t) => `'${t.replaceAll("'", "''")}'`
  return {
    objects,
    tables: await Promise.all(
      tables.map(async (t) => ({
        t,
        columns: await conn.query(
          `select name, upper(type) as type, "notnull", dflt_value, pk, hidden from pragma_table_xinfo(${quoted(t)})`,
        ),
        foreignKeys: await conn.query(
          `select "table", "from", "to", on_delete, on_update from pragma_foreign_key_list(${quoted(t)}) order by "table", "from"`,
        ),
        indexes: await conn.query(
          `select name, "unique", origin, partial from pragma_index_list(${quoted(t)}) order by name`,
        ),
        // Each index's key columns in order, with direction and collation (an expression key has no name).
        indexKeys: await conn.query(
          `select il.name as "index", ii.seqno, ii.name, ii.desc, ii.coll from pragma_index_list(${quoted(t)}) il,
             pragma_index_xinfo(il.name) ii where ii.key = 1 order by il.name, ii.seqno`,
        ),
      })),
    ),
  }
}
