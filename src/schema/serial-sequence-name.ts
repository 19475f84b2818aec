import { makeObjectName } from './dsl/naming.js'

/**
 * The name CREATE TABLE gives a serial column's sequence: `<table>_<column>_seq`, with the longer of the two names
 * shortened a byte at a time so that the whole fits PostgreSQL's 63 bytes (makeObjectName), as the server does.
 * The plain template would name a sequence the server never made (a DROP that fails, a CREATE whose name the server
 * truncates to one that no longer reads as the column's serial).
 * @example serialSequenceName('users', 'id') // 'users_id_seq'
 */
export function serialSequenceName(table: string, column: string): string {
  return makeObjectName(table, column, 'seq')
}
