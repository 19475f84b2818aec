import type { Connection } from '../db/connection.js'
import type { BuildProgress } from '../dialect/runner.js'
import { runtimeOf } from '../dialect/runtimes.js'

export type { BuildProgress } from '../dialect/runner.js'

/** An index build's progress as the runner reports it: the server's counters, the time so far, and whether it ended. */
export interface IndexBuildEvent extends BuildProgress {
  /** The statement's file:line. */
  readonly where: string
  readonly elapsedMs: number
  /** The last event of a build that had reported: it ended (successfully or not). */
  readonly finished: boolean
}

/** When the first report comes (a shorter build reports nothing) and how often the next ones do. */
export interface WatchTiming {
  readonly firstMs: number
  readonly everyMs: number
}

export const DEFAULT_WATCH_TIMING: WatchTiming = { firstMs: 1000, everyMs: 1000 }

/**
 * Runs `work` and, while it runs, calls `poll` after `firstMs` and then every `everyMs` (never two polls at
 * once, none after `work` settled). A poll's failure is ignored: progress is a courtesy, never a reason to
 * fail the work. Resolves or rejects as `work` does, once the poll in flight (if any) has returned.
 *
 * @example
 * ```ts
 * await whilePolling(() => conn.exec(sql), async () => report(await read()), { firstMs: 1000, everyMs: 1000 })
 * ```
 */
export async function whilePolling<T>(
  work: () => Promise<T>,
  poll: () => Promise<void>,
  timing: WatchTiming,
): Promise<T> {
  let settled = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let inFlight: Promise<void> = Promise.resolve()
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      inFlight = poll()
        .catch(() => {})
        .then(() => {
          if (!settled) schedule(timing.everyMs)
        })
    }, ms)
  }
  schedule(timing.firstMs)
  try {
    return await work()
  } finally {
    settled = true
    clearTimeout(timer)
    await inFlight
  }
}

/**
 * Runs `work` (a statement that builds an index, on `conn`) and reports its progress from the dialect's
 * progress view, read on `monitor` (a second session: `conn` is busy with the build), through `report`; when
 * at least one report went out, a last one with `finished` follows. Without a monitor or a dialect hook it
 * just runs `work`.
 */
export async function watchIndexBuild<T>(
  conn: Connection,
  monitor: Connection | undefined,
  where: string,
  report: ((event: IndexBuildEvent) => void) | undefined,
  work: () => Promise<T>,
  timing: WatchTiming = DEFAULT_WATCH_TIMING,
): Promise<T> {
  const hooks = runtimeOf(conn.dialect).runner.buildProgress
  if (monitor === undefined || hooks === undefined || report === undefined) return work()
  const pid = await hooks.sessionId(conn)
  const started = performance.now()
  let last: BuildProgress | undefined
  const elapsedMs = () => Math.round(performance.now() - started)
  try {
    return await whilePolling(
      work,
      async () => {
        const progress = await hooks.read(monitor, pid)
        if (progress === undefined) return
        last = progress
        report({ ...progress, where, elapsedMs: elapsedMs(), finished: false })
      },
      timing,
    )
  } finally {
    if (last !== undefined) report({ ...last, where, elapsedMs: elapsedMs(), finished: true })
  }
}
