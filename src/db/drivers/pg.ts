import pg from 'pg'
import type { Connection } from '../connection.js'
import { redactUrl } from '../url.js'

/** The slice of a `pg` client Keel uses; kept structural so that tests and tools can pass their own. */
interface PgClientLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>
  end(): Promise<void>
}

/** Opens a PostgreSQL session with `pg`. Errors are raw driver errors; db/open.ts classifies them. */
export async function connectPg(url: string, applicationName = 'keel'): Promise<Connection> {
  const client = new pg.Client({ connectionString: url, application_name: applicationName })
  // A dropped connection emits 'error' on the client; without a listener Node would crash the process.
  client.on('error', () => {})
  await client.connect()
  return adaptPg(client, redactUrl(url))
}

function adaptPg(client: PgClientLike, description: string): Connection {
  let depth = 0
  const conn: Connection = {
    dialect: 'postgres',
    description,
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, [...params])
      return result.rows as R[]
    },
    async exec(sql: string) {
      await client.query(sql)
    },
    async transaction<T>(fn: (tx: Connection) => Promise<T>): Promise<T> {
      // Nested calls use savepoints so that a helper can be transactional on its own or inside a caller's transaction.
      const savepoint = `keel_sp_${depth}`
      await client.query(depth === 0 ? 'BEGIN' : `SAVEPOINT ${savepoint}`)
      depth++
      let result: T
      try {
        result = await fn(conn)
      } catch (error) {
        depth--
        await client.query(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`).catch(() => {})
        throw error
      }
      // The level is left before COMMIT: a failed COMMIT ends the transaction too (PostgreSQL rolls it back).
      depth--
      await client.query(depth === 0 ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`)
      return result
    },
    async close() {
      await client.end().catch(() => {})
    },
  }
  return conn
}
