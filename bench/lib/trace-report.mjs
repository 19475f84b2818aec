// Reads a phased run's trace (BENCH_PHASES_TRACE: <prefix>-client.json and <prefix>-server.jsonl) and prints,
// for the slowest writes and the slowest backfill batches, what the server was doing meanwhile: the wait events
// of the sessions of the benchmark's database, the checkpointer's and WAL's counters, and which checkpoint
// (from the server log, when readable) was running. Usage: node trace-report.mjs <prefix> [top] [serverLog]
import { readFileSync } from 'node:fs'

const [prefix, topArg, logPath = '/var/log/postgresql/postgresql-15-main.log'] = process.argv.slice(2)
const top = Number(topArg ?? 6)
const client = JSON.parse(readFileSync(`${prefix}-client.json`, 'utf8'))
const samples = readFileSync(`${prefix}-server.jsonl`, 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l))

const checkpoints = readCheckpoints(logPath)
const rel = (at) => Math.round(at - client.started)

console.log(
  `run ${prefix}: ${Math.round(client.finished - client.started)} ms, marks ${client.marks.map(([id, at]) => `${id}@${rel(at)}`).join(', ')}`,
)
for (const c of checkpoints.filter((c) => c.end >= client.started && c.start <= client.finished))
  console.log(`  checkpoint (${c.why}) ${rel(c.start)}..${rel(c.end)} ms: ${c.detail}`)

const batches = client.batches
  .slice(1)
  .map((at, i) => ({ at: client.batches[i], end: at, ms: at - client.batches[i], n: i + 2 }))
const sortedMs = batches.map((b) => b.ms).sort((a, b) => a - b)
if (batches.length > 0)
  console.log(
    `batches ${batches.length}: median ${sortedMs[Math.floor(sortedMs.length / 2)].toFixed(1)} ms, p99 ${sortedMs[Math.floor(sortedMs.length * 0.99)].toFixed(1)}, max ${sortedMs.at(-1).toFixed(1)}; >50 ms: ${batches.filter((b) => b.ms > 50).length}`,
  )
const writes = [...client.writes].sort((a, b) => b.ms - a.ms)
console.log(`writes ${client.writes.length}; >50 ms: ${client.writes.filter((w) => w.ms > 50).length}`)

console.log('\nslowest writes:')
for (const w of writes.slice(0, top)) {
  const kind = w.n % 2 === 0 ? 'insert' : `update id ${1 + ((w.n * 7919 + w.writer) % 1000)}`
  const batch = batches.find((b) => b.at < w.at + w.ms && b.end > w.at)
  console.log(
    `  ${w.ms} ms at ${rel(w.at)} (writer ${w.writer}, ${kind})${batch ? `; overlaps batch ${batch.n} (${batch.ms.toFixed(0)} ms, ${rel(batch.at)}..${rel(batch.end)})` : ''}`,
  )
  describe(w.at, w.at + w.ms)
}
console.log('\nslowest batches:')
for (const b of [...batches].sort((a, b) => b.ms - a.ms).slice(0, top)) {
  const overlapping = client.writes.filter((w) => w.at < b.end && w.at + w.ms > b.at).sort((x, y) => y.ms - x.ms)
  console.log(
    `  batch ${b.n}: ${b.ms.toFixed(0)} ms at ${rel(b.at)}; longest overlapping write ${overlapping[0]?.ms ?? '-'} ms`,
  )
  describe(b.at, b.end)
}

/** What the samples inside [from, to] saw: each session's wait events, counter deltas, pressure. */
function describe(from, to) {
  const inside = samples.filter((s) => s.at >= from - 5 && s.at <= to + 5)
  if (inside.length === 0) return console.log('    (no samples)')
  const waits = new Map()
  for (const s of inside)
    for (const x of s.sessions) {
      if (x.app === 'bench-sampler') continue
      const who =
        x.type === 'client backend'
          ? x.query?.startsWith('WITH keel_batch') || x.query?.startsWith('SELECT')
            ? 'keel'
            : x.query?.slice(0, 12)
          : x.type
      const key = `${x.other ? 'another database: ' : ''}${who}: ${x.wait ?? (x.state === 'active' ? 'CPU' : x.state)}`
      if (x.type !== 'client backend' && x.wait !== null && /Main$|Main:/.test(x.wait ?? '')) continue
      waits.set(key, (waits.get(key) ?? 0) + 1)
    }
  const first = inside[0]
  const last = inside.at(-1)
  const d = (a, b, k) => Number(b[k]) - Number(a[k])
  console.log(
    `    ${inside.length} samples; checkpoint buffers +${d(first.bgwriter, last.bgwriter, 'buffers_checkpoint')}, backend buffers +${d(first.bgwriter, last.bgwriter, 'buffers_backend')}, backend fsync +${d(first.bgwriter, last.bgwriter, 'buffers_backend_fsync')}, WAL +${Math.round(d(first.wal, last.wal, 'wal_bytes') / 1024)} kB (fpi +${d(first.wal, last.wal, 'wal_fpi')}), wal_buffers_full +${d(first.wal, last.wal, 'wal_buffers_full')}, wal_sync +${d(first.wal, last.wal, 'wal_sync')}`,
  )
  const checkpoint = checkpoints.find((c) => c.start <= to && c.end >= from)
  if (checkpoint) console.log(`    during checkpoint (${checkpoint.why})`)
  console.log(
    `    ${[...waits]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([k, v]) => `${k} ×${v}`)
      .join('; ')}`,
  )
}

function readCheckpoints(path) {
  let text
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return []
  }
  const out = []
  let open
  for (const line of text.split('\n')) {
    const m = /^(\S+ \S+) UTC \[\d+\] LOG:\s+checkpoint (starting|complete): (.*)$/.exec(line)
    if (!m) continue
    const at = Date.parse(`${m[1].replace(' ', 'T')}Z`)
    if (m[2] === 'starting') open = { start: at, why: m[3] }
    else if (open) {
      out.push({ ...open, end: at, detail: m[3].replace(/;.*?write=/, '; write=').slice(0, 160) })
      open = undefined
    }
  }
  return out
}
