import type { Schema } from '../../schema/model.js'
import type { DrizzleReadContext } from '../../source/drizzle/drizzle-runtime.js'
import { type DrizzleCoreFlavour, readDialectSchema } from '../../source/drizzle/read-dialect-schema.js'
import { quoteLiteral } from './quote.js'
import { parseMysqlType } from './type.js'

/**
 * drizzle-kit's MySQL: column types parsed as the server's (`varchar(255)`), `serial` as SERIAL (bigint unsigned
 * NOT NULL AUTO_INCREMENT with a unique index named after the column), `.unique()`s as UNIQUE constraints,
 * `.autoincrement()` as AUTO_INCREMENT on any column, views written `AS (<select>)`.
 */
const mysqlFlavour: DrizzleCoreFlavour = {
  module: 'drizzle-orm/mysql-core',
  dialectClass: 'MySqlDialect',
  viewClass: 'MySqlView',
  tableKind: 'MySqlTable',
  // drizzle-kit writes MySQL's `AS (<select>)`, and the server keeps the parentheses.
  viewDefinition: (select) => `(${select})`,
  columnType: (sqlType) =>
    sqlType.toLowerCase() === 'serial'
      ? { type: { kind: 'integer', bytes: 8, unsigned: true }, serial: true }
      : { type: parseMysqlType(sqlType), serial: false },
  uniquesAs: 'constraints',
  autoIncrementOnPrimaryOnly: false,
  quoteLiteral,
}

/** A Drizzle schema module of `mysqlTable`s (DialectRuntime.drizzle), read with the module's own mysql-core. */
export function readMysqlDrizzle(exports: Record<string, unknown>, context: DrizzleReadContext): Promise<Schema> {
  return readDialectSchema(exports, context, mysqlFlavour)
}
