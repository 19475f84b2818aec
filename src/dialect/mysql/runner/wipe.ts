import type { Connection } from '../../../db/connection.js'
import { quoteIdent } from '../quote.js'

/**
 * Drops everything in the session's database, and nothing outside it: views, tables (the journal
 * included), sequences, routines and events (triggers go with their tables). Foreign key checks are off
 * on this session for the drops, so that a parent can go before its children; they are put back after.
 */
export async function wipeMysql(conn: Connection): Promise<readonly string[]> {
  const [db] = await conn.query<{ name: string | null }>('SELECT DATABASE() AS name')
  if (db?.name === null || db?.name === undefined) return []
  const relations = await conn.query<{ name: string; type: string }>(
    `SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`,
  )
  const routines = await conn.query<{ name: string; type: string }>(
    `SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES
      WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_NAME`,
  )
  const events = await conn.query<{ name: string }>(
    'SELECT EVENT_NAME AS name FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE() ORDER BY EVENT_NAME',
  )
  const statements = [
    ...relations.filter((r) => r.type === 'VIEW').map((r) => `DROP VIEW IF EXISTS ${quoteIdent(r.name)}`),
    ...relations
      .filter((r) => r.type === 'BASE TABLE' || r.type === 'SYSTEM VERSIONED')
      .map((r) => `DROP TABLE IF EXISTS ${quoteIdent(r.name)}`),
    ...relations.filter((r) => r.type === 'SEQUENCE').map((r) => `DROP SEQUENCE IF EXISTS ${quoteIdent(r.name)}`),
    ...routines.map((r) => `DROP ${r.type === 'FUNCTION' ? 'FUNCTION' : 'PROCEDURE'} IF EXISTS ${quoteIdent(r.name)}`),
    ...events.map((e) => `DROP EVENT IF EXISTS ${quoteIdent(e.name)}`),
  ]
  const [checks] = await conn.query<{ on: number }>('SELECT @@SESSION.foreign_key_checks AS `on`')
  await conn.exec('SET SESSION foreign_key_checks = 0')
  try {
    for (const statement of statements) await conn.exec(statement)
  } finally {
    await conn.exec(`SET SESSION foreign_key_checks = ${Number(checks?.on ?? 1) === 0 ? 0 : 1}`)
  }
  return relations.filter((r) => r.type !== 'VIEW').map((r) => r.name)
}
