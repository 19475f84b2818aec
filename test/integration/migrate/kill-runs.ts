import type { Connection } from '../../../src/db/connection.js'
import type { Spawned } from './spawn.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Kills runs of `keel migrate` (each started by `spawnMigrate`) with SIGKILL: first while each of `statements` runs,
 * where the server is seen running it (each run is killed at the first statement from the next one on that it is
 * caught running; a catalog-only one may pass too fast to see), then at delays from the start, wherever they land.
 * Returns how many runs were killed and the statements caught running.
 */
export async function killRunsAtStatements(
  conn: Connection,
  statements: readonly string[],
  spawnMigrate: () => Spawned,
): Promise<{ readonly killed: number; readonly caught: readonly string[] }> {
  let killed = 0
  const caught: string[] = []
  const running = async () =>
    (
      await conn.query<{ query: string }>(
        `select query from pg_stat_activity where datname = current_database()
          and application_name like 'keel-run %' and state = 'active'`,
      )
    ).map((r) => r.query)
  for (let next = 0; next < statements.length; ) {
    const run = spawnMigrate()
    let finished = false
    void run.done.then(() => {
      finished = true
    })
    let at = -1
    while (!finished && at < 0) {
      const now = await running()
      at = statements.findIndex((s, i) => i >= next && now.some((q) => q.includes(s)))
    }
    if (at < 0) break
    run.child.kill('SIGKILL')
    if ((await run.done).signal === 'SIGKILL') {
      killed++
      caught.push(statements[at] as string)
    }
    next = at + 1
  }
  for (const delay of [30, 90, 180, 300, 450]) {
    const run = spawnMigrate()
    const finished = Promise.race([run.done.then(() => true), sleep(delay).then(() => false)])
    if (await finished) continue
    run.child.kill('SIGKILL')
    if ((await run.done).signal === 'SIGKILL') killed++
  }
  return { killed, caught }
}
