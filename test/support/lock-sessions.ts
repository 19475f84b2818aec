/**
 * The other sessions of the lock-budget tests (keel migrate's and keel push's alike, on PostgreSQL): a long transaction
 * that holds a lock the migration needs, and a writer inserting in a loop behind it.
 */
import pg from 'pg'

/** A session that opens a transaction, reads the table (ACCESS SHARE) or runs `statement`, and keeps it open. */
export async function longReader(
  url: string,
  statement = 'select count(*) from t',
): Promise<{ pid: number; client: pg.Client }> {
  const client = new pg.Client({ connectionString: url, application_name: 'nightly-report' })
  await client.connect()
  await client.query('begin')
  await client.query(statement)
  const [{ pid } = { pid: 0 }] = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows
  return { pid, client }
}

/** Inserts one row after another into t until stopped; `done` counts the inserts that committed. */
export function writerLoop(url: string) {
  const client = new pg.Client({ connectionString: url, application_name: 'app-writer' })
  const state = { done: 0, failed: 0, stop: false, pid: 0 }
  const loop = (async () => {
    await client.connect()
    state.pid = Number((await client.query('select pg_backend_pid() as pid')).rows[0].pid)
    for (let i = 1000; !state.stop; i++) {
      try {
        await client.query('insert into t (id) values ($1)', [i])
        state.done++
      } catch {
        state.failed++
      }
    }
    await client.end()
  })()
  return { state, loop }
}
