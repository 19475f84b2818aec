import type { BackfillProgress } from '../../migrate/backfill/run-backfill.js'
import { formatMs } from '../../migrate/lock.js'

/**
 * One progress line of a backfill: rows done (of the planner's estimate), rate and ETA.
 *
 * @example formatBackfill(p) // 'backfill public.users: 40,000 of ~1,000,000 rows (4%), 20,000 rows/s, ETA 48s'
 */
export function formatBackfill(p: BackfillProgress): string {
  const rate = p.elapsedMs > 0 ? (p.rows * 1000) / p.elapsedMs : 0
  const rows = p.rows.toLocaleString('en-US')
  if (p.done) return `backfill ${p.table}: ${rows} rows in ${p.batches} batches, ${formatMs(p.elapsedMs)}`
  const total = p.estimatedRows === undefined ? undefined : Math.max(p.estimatedRows, p.rows)
  const of = total === undefined ? '' : ` of ~${Math.round(total).toLocaleString('en-US')}`
  const share = total === undefined || total === 0 ? '' : ` (${Math.floor((p.rows * 100) / total)}%)`
  const eta = total === undefined || rate === 0 ? '' : `, ETA ${formatMs(((total - p.rows) / rate) * 1000)}`
  return `backfill ${p.table}: ${rows}${of} rows${share}, ${Math.round(rate).toLocaleString('en-US')} rows/s${eta}`
}

/**
 * Where backfill progress goes: under --json one JSON event per batch on stderr (stdout keeps the one
 * result document); at a terminal one line redrawn in place; otherwise a line at most every second.
 */
export function backfillReporter(
  json: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): (p: BackfillProgress) => void {
  let lastAt = Number.NEGATIVE_INFINITY
  return (p) => {
    if (json) {
      stream.write(`${JSON.stringify({ event: 'backfill', ...p, elapsedMs: Math.round(p.elapsedMs) })}\n`)
      return
    }
    if (process.env.KEEL_QUIET === '1') return
    if (stream.isTTY) {
      stream.write(`\r\x1b[2K${formatBackfill(p)}${p.done ? '\n' : ''}`)
      return
    }
    const now = performance.now()
    if (!p.done && now - lastAt < 1000) return
    lastAt = now
    stream.write(`${formatBackfill(p)}\n`)
  }
}
