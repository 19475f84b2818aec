/** Progress lines at a bounded rate; see {@link throttleProgress}. */
export interface ThrottledProgress {
  /** Shows `text` now, or (when a line went out less than the interval ago) once the interval is over, unless a newer line replaces it first. */
  line(text: string): void
  /** Shows `text` now, whatever the rate (a resumption, say, which a person should always see). */
  now(text: string): void
  /** Shows the line still waiting, if any, and stops the timer: the last line is always shown. */
  flush(): void
}

/**
 * Rate-limits progress lines to one per `intervalMs`: a thousand quick migrations print a few dozen
 * lines instead of a thousand (each a synchronous write to a terminal or pipe), while a slow step is
 * still named within `intervalMs` of its start, because a waiting line is shown when the interval ends.
 *
 * @example
 * ```ts
 * const progress = throttleProgress((text) => out.progress(text))
 * try { await work((m) => progress.line(`applying ${m}`)) } finally { progress.flush() }
 * ```
 */
export function throttleProgress(write: (text: string) => void, intervalMs = 100): ThrottledProgress {
  let lastAt = Number.NEGATIVE_INFINITY
  let waiting: string | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const show = (text: string): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    waiting = undefined
    lastAt = performance.now()
    write(text)
  }
  return {
    line(text) {
      const since = performance.now() - lastAt
      if (since >= intervalMs) return show(text)
      waiting = text
      timer ??= setTimeout(() => waiting !== undefined && show(waiting), intervalMs - since)
    },
    now: show,
    flush() {
      if (waiting !== undefined) show(waiting)
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    },
  }
}
