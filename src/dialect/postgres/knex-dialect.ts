import { type KnexDialect, selectVersion } from '../../interop/import/knex/knex-client.js'

/** knex's PostgreSQL client (`pg` and its aliases) over a Keel connection, answered as node-postgres answers. */
export const postgresKnex: KnexDialect = {
  client: 'pg',
  clients: ['pg', 'postgres', 'postgresql', 'pgnative', 'pg-native'],
  version: selectVersion,
  catalogReads: /pg_catalog/i,
  respond(obj, rows) {
    // node-postgres's result: knex reads `command` to tell a SELECT's rows from an UPDATE's count.
    const command = /^\s*(\w+)/.exec(obj.sql)?.[1]?.toUpperCase() ?? ''
    obj.response = { rows, rowCount: rows.length, command }
  },
}
