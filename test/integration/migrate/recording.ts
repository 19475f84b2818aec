import type { Connection } from '../../../src/db/connection.js'

/** A real connection that records every text sent on it (query, exec, queryBatch), in order. */
export function recording(conn: Connection): { readonly conn: Connection; readonly texts: string[] } {
  const texts: string[] = []
  const spy: Connection = {
    ...conn,
    query: (sql, params) => {
      texts.push(sql)
      return conn.query(sql, params)
    },
    exec: (sql) => {
      texts.push(sql)
      return conn.exec(sql)
    },
    ...(conn.queryBatch === undefined
      ? {}
      : {
          queryBatch: (statements: readonly string[]) => {
            texts.push(statements.join(';\n'))
            return (conn.queryBatch as NonNullable<Connection['queryBatch']>)(statements)
          },
        }),
  }
  return { conn: spy, texts }
}
