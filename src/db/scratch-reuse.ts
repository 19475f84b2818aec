/**
 * Where scratch databases may be reused: within `reusingScratchDatabases`, a dialect whose scratch database is costly
 * to make (an in-memory PGlite: about 0.4 s) may empty a disposed one and give it to the next caller instead of
 * closing it. What is kept is closed when the outermost scope ends: a kept PGlite would hold the memory, and its
 * timer would keep the process alive. Outside any scope, a disposed scratch database is closed as before (the
 * library's callers own their process's lifetime).
 */
let depth = 0
const closers = new Set<() => Promise<void>>()

/** Runs `fn` in a scope of reused scratch databases (a command that makes several: generate, diff). */
export async function reusingScratchDatabases<T>(fn: () => Promise<T>): Promise<T> {
  depth++
  try {
    return await fn()
  } finally {
    depth--
    if (depth === 0) {
      const closing = [...closers]
      closers.clear()
      // A close that fails costs nothing of the command's: its result stands.
      await Promise.allSettled(closing.map((close) => close()))
    }
  }
}

/** Whether a disposed scratch database may be kept for the next one. */
export function scratchReuseAllowed(): boolean {
  return depth > 0
}

/** Closes what was kept when the outermost scope ends. */
export function closeWhenReuseEnds(close: () => Promise<void>): void {
  closers.add(close)
}
