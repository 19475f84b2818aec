import pg from 'pg'
import type { Connection } from '../connection.js'
import { redactUrl } from '../url.js'
import { nestedTransactions } from './nested-transaction.js'

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
  const conn: Connection = {
    dialect: 'postgres',
    exclusive: false,
    description,
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, [...params])
      return result.rows as R[]
    },
    async exec(sql: string) {
      await client.query(sql)
    },
    transaction: nestedTransactions(
      (sql) => client.query(sql),
      () => conn,
    ),
    async close() {
      await client.end().catch(() => {})
    },
  }
  return conn
}
