import { formatMs } from '../../migrate/lock.js'
import type { IndexBuildEvent } from '../../migrate/watch-build.js'

/**
 * One progress line of an index build: the index, the server's phase, its counters, the time so far.
 *
 * @example
 * formatIndexBuild(e) // 'index public.users_email_idx: building index: scanning table, 1,204 of 4,425 blocks (27%), 3.0s'
 */
export function formatIndexBuild(e: IndexBuildEvent): string {
  const name = e.index === '' ? `on ${e.table}` : e.index
  if (e.finished) return `index ${name}: built in ${formatMs(e.elapsedMs)}`
  const counted =
    e.total === undefined || e.done === undefined
      ? ''
      : `, ${e.done.toLocaleString('en-US')} of ${e.total.toLocaleString('en-US')} ${e.unit}${e.total > 0 ? ` (${Math.floor((e.done * 100) / e.total)}%)` : ''}`
  return `index ${name}: ${e.phase}${counted}, ${formatMs(e.elapsedMs)}`
}

/**
 * Where index-build progress goes, as backfill progress does: under --json one `{"event":"index-build",...}`
 * line per report on stderr; at a terminal one line redrawn in place; otherwise a line per report (about
 * one a second).
 */
export function indexBuildReporter(
  json: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): (e: IndexBuildEvent) => void {
  return (e) => {
    if (json) {
      stream.write(`${JSON.stringify({ event: 'index-build', ...e })}\n`)
      return
    }
    if (process.env.KEEL_QUIET === '1') return
    if (stream.isTTY) stream.write(`\r\x1b[2K${formatIndexBuild(e)}${e.finished ? '\n' : ''}`)
    else stream.write(`${formatIndexBuild(e)}\n`)
  }
}
