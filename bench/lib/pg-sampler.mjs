// A separate process that samples the server's state every few milliseconds while a phased run is traced
// (BENCH_PHASES_TRACE): what each session of the benchmark's database waits on (pg_stat_activity), the
// checkpointer's and background writer's counters and the WAL's (server-stats.mjs: by version), and the
// machine's pressure stall information. It runs apart from the writers so that its own work never shows
// in their timings. Usage: node pg-sampler.mjs URL OUT.jsonl [intervalMs]; stops on SIGTERM.
import { createWriteStream, readFileSync } from 'node:fs'
import pg from 'pg'
import { checkpointerSql, serverVersionNum, walSql } from './server-stats.mjs'

const [url, out, intervalArg] = process.argv.slice(2)
const interval = Number(intervalArg ?? 10)
const client = new pg.Client({ connectionString: url, application_name: 'bench-sampler' })
await client.connect()
const stream = createWriteStream(out)
const now = () => performance.timeOrigin + performance.now()
const version = await serverVersionNum((sql) => client.query(sql))

const SAMPLE = `
select
  (select coalesce(json_agg(json_build_object(
     'pid', pid, 'app', application_name, 'other', datname <> current_database(), 'type', backend_type, 'state', state,
     'wait', case when wait_event is null then null else wait_event_type || ':' || wait_event end,
     'xactMs', round(extract(epoch from clock_timestamp() - xact_start) * 1000),
     'query', left(regexp_replace(query, '\\s+', ' ', 'g'), 60))), '[]')
   from pg_stat_activity
   where pid <> pg_backend_pid()
     and (datname = current_database() or backend_type <> 'client backend' or wait_event like 'WAL%')
     and (state is distinct from 'idle' or backend_type <> 'client backend')) as sessions,
  (select row_to_json(b) from (${checkpointerSql(version)}) b) as bgwriter,
  (select row_to_json(w) from (${walSql(version)}) w) as wal`

function pressure() {
  const read = (what) => {
    try {
      return /avg10=([\d.]+)/.exec(readFileSync(`/proc/pressure/${what}`, 'utf8'))?.[1]
    } catch {
      return undefined
    }
  }
  return { cpu: read('cpu'), io: read('io'), load: readFileSync('/proc/loadavg', 'utf8').split(' ')[0] }
}

let running = true
process.on('SIGTERM', () => {
  running = false
})
let n = 0
while (running) {
  const at = now()
  const { rows } = await client.query(SAMPLE)
  const row = rows[0]
  stream.write(
    `${JSON.stringify({ at, ms: now() - at, sessions: row.sessions, bgwriter: row.bgwriter, wal: row.wal, ...(n++ % 50 === 0 ? { pressure: pressure() } : {}) })}\n`,
  )
  const wait = interval - (now() - at)
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
}
await client.end()
stream.end()
