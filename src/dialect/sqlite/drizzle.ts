import type { Schema } from '../../schema/model.js'
import type { DrizzleReadContext } from '../../source/drizzle/drizzle-runtime.js'
import { type DrizzleCoreFlavour, readDialectSchema } from '../../source/drizzle/read-dialect-schema.js'
import { quoteLiteral } from './quote.js'

/**
 * drizzle-kit's SQLite: the column type as drizzle-orm spells it (`integer`, `text(255)`), kept as SQLite keeps a
 * declared type; `.unique()`s as unique indexes of their names; `primaryKey({ autoIncrement: true })` as
 * `INTEGER PRIMARY KEY AUTOINCREMENT` (autoincrement means nothing on another column).
 */
const sqliteFlavour: DrizzleCoreFlavour = {
  module: 'drizzle-orm/sqlite-core',
  dialectClass: 'SQLiteSyncDialect',
  viewClass: 'SQLiteView',
  tableKind: 'SQLiteTable',
  viewDefinition: (select) => select,
  columnType: (sqlType) => ({ type: { kind: 'native', sql: sqlType }, serial: false }),
  uniquesAs: 'indexes',
  autoIncrementOnPrimaryOnly: true,
  quoteLiteral,
}

/** A Drizzle schema module of `sqliteTable`s (DialectRuntime.drizzle), read with the module's own sqlite-core. */
export function readSqliteDrizzle(exports: Record<string, unknown>, context: DrizzleReadContext): Promise<Schema> {
  return readDialectSchema(exports, context, sqliteFlavour)
}
