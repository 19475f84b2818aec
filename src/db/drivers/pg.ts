import { loadRuntime } from '../../dialect/runtimes.js'
import { KeelError } from '../../errors.js'
import type { Connection } from '../connection.js'
import { redactUrl } from '../url.js'
import { nestedTransactions } from './nested-transaction.js'
import { loadPg } from './pg-load.js'
import { isPgConnectionLost } from './pg-lost.js'

/** The slice of a `pg` client Keel uses; kept structural so that tests and tools can pass their own. */
interface PgClientLike {
  /** One result, or one per statement when a parameterless text holds several. */
  query(sql: string, params?: unknown[]): Promise<PgResult | PgResult[]>
  end(): Promise<void>
}

/** Opens a PostgreSQL session with `pg`. Errors are raw driver errors; db/open.ts classifies them. */
export async function connectPg(url: string, applicationName = 'keel', connectTimeoutMs = 0): Promise<Connection> {
  // A Connection of this driver speaks PostgreSQL: its dialect's runtime half is loaded before one exists, so that
  // runtimeOf(conn.dialect) answers wherever a connection goes (dialect/runtimes.ts). Here rather than in a
  // top-level await, which the bundle of `keel status` (scripts/build-bundle.mjs, CommonJS) cannot hold.
  await loadRuntime('postgres')
  const pg = loadPg()
  const client = new pg.Client({
    connectionString: url,
    application_name: applicationName,
    connectionTimeoutMillis: connectTimeoutMs,
  })
  // A dropped connection emits 'error' on the client; without a listener Node would crash the process.
  client.on('error', () => {})
  // The server reports its encoding at startup (ParameterStatus), before connect() resolves; pg keeps none of them.
  let serverEncoding: string | undefined
  ;(client as unknown as { connection: ParameterStatusSource }).connection.on('parameterStatus', (status) => {
    if (status.parameterName === 'server_encoding') serverEncoding = status.parameterValue
  })
  await client.connect()
  const closeWithoutWaiting = () => {
    // Terminate is written at once (a socket's write goes to the kernel when it can), and the socket no longer
    // keeps the process alive: an exit sends what is written, then closes our side.
    void client.end().catch(() => {})
    ;(client as unknown as { connection: { stream: { unref?: () => void } } }).connection.stream.unref?.()
  }
  return adaptPg(
    client,
    redactUrl(url),
    () => connectPg(url, applicationName, connectTimeoutMs),
    closeWithoutWaiting,
    serverEncoding,
  )
}

/** pg's protocol connection, as far as its ParameterStatus messages go. */
interface ParameterStatusSource {
  on(event: 'parameterStatus', listener: (status: { parameterName: string; parameterValue: string }) => void): void
}

interface PgResult {
  readonly rows: unknown[]
}

function adaptPg(
  raw: PgClientLike,
  description: string,
  openSibling: () => Promise<Connection>,
  closeWithoutWaiting: () => void,
  serverEncoding: string | undefined,
): Connection {
  const client = reportingLostConnection(raw, description)
  const conn: Connection = {
    dialect: 'postgres',
    exclusive: false,
    description,
    ...(serverEncoding === undefined ? {} : { serverEncoding }),
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, [...params])
      return (result as PgResult).rows as R[]
    },
    async queryBatch(statements: readonly string[]) {
      // No parameters: node-postgres sends the text as one simple-protocol Query, which may hold many statements.
      const result = await client.query(statements.join(';\n'))
      return (Array.isArray(result) ? result : [result]).map((r) => r.rows as Record<string, unknown>[])
    },
    async exec(sql: string) {
      await client.query(sql)
    },
    openSibling,
    transaction: nestedTransactions(
      (sql) => client.query(sql),
      () => conn,
    ),
    async close() {
      await client.end().catch(() => {})
    },
    closeWithoutWaiting,
  }
  return conn
}

/**
 * A dropped connection surfaces as CONNECTION_LOST naming the server, so that no caller reports pg's
 * "Connection terminated unexpectedly" as the server's own message or as an error in the SQL.
 */
function reportingLostConnection(client: PgClientLike, description: string): PgClientLike {
  return {
    async query(sql, params) {
      try {
        return await client.query(sql, params)
      } catch (error) {
        if (!isPgConnectionLost(error)) throw error
        const message = error instanceof Error ? error.message : String(error)
        throw new KeelError('CONNECTION_LOST', `lost the connection to ${description}: ${message}`, undefined, {
          cause: error,
        })
      }
    },
    end: () => client.end(),
  }
}
