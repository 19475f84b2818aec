/**
 * PostgreSQL's makeObjectName: `<name1>_<name2>_<label>`, shortening the longer of the two names a byte at a
 * time (never inside a character) until the whole fits in 63 bytes, as the server does when it names a
 * serial's sequence, a constraint or an index. One implementation serves the DSL, introspection and the planner.
 *
 * @example
 * objectName('users', 'id', 'seq') // users_id_seq
 */
export { makeObjectName as objectName } from '../../schema/dsl/naming.js'
