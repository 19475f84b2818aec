/** Small statistics and formatting helpers for the benchmarks. */

/** The median of a list of numbers (the mean of the two middle ones for an even count). */
export function median(values) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Milliseconds elapsed since `start` (a `process.hrtime.bigint()` value). */
export function elapsedMs(start) {
  return Number(process.hrtime.bigint() - start) / 1e6
}

/** Runs `fn` and returns how long it took in milliseconds, plus its value. */
export async function timed(fn) {
  const start = process.hrtime.bigint()
  const value = await fn()
  return { ms: elapsedMs(start), value }
}

/** `1.23 s`, `45.6 ms`, `0.12 ms`: three significant digits, unit chosen by size. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '—'
  // 999.5 and up would print as "1.00e+3 ms" with three significant digits.
  if (ms >= 999.5) return `${(ms / 1000).toPrecision(3)} s`
  if (ms >= 1) return `${ms.toPrecision(3)} ms`
  return `${ms.toFixed(3)} ms`
}

/** A ratio as `0.42×` or `12.3×`. */
export function formatRatio(ratio) {
  if (!Number.isFinite(ratio)) return '—'
  return `${ratio < 10 ? ratio.toFixed(2) : ratio.toPrecision(3)}×`
}

/** Reads a positive integer from the environment, or the default. */
export function envCount(name, fallback) {
  const text = process.env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number of at least 1 (got "${text}")`)
  return value
}

/** Reads a comma-separated list of positive integers from the environment (`200,1000`), or the default list. */
export function envCounts(name, fallback) {
  const text = process.env[name]
  if (text === undefined || text.trim() === '') return fallback
  return text.split(',').map((part) => {
    const value = Number(part.trim())
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} must be whole numbers of at least 1, separated by commas (got "${text}")`)
    return value
  })
}

/** Progress goes to stderr, so that stdout holds only the results table. */
export function progress(message) {
  const stamp = new Date().toISOString().slice(11, 19)
  process.stderr.write(`[bench ${stamp}] ${message}\n`)
}
