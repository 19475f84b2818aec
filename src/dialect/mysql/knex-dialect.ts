import { type KnexDialect, selectVersion } from '../../interop/import/knex/knex-client.js'

/** knex's MySQL client (`mysql2` and its aliases) over a Keel connection, answered as mysql2 answers. */
export const mysqlKnex: KnexDialect = {
  client: 'mysql2',
  clients: ['mysql2', 'mysql', 'mariadb', 'mariasql'],
  version: selectVersion,
  respond(obj, rows) {
    // mysql2's callback arguments (rows, fields), which knex keeps as a pair.
    obj.response = [rows, []]
  },
}
