import { median, progress } from './stats.mjs'

/**
 * Measures several tools doing the same job, `runs` rounds of one run each, the tools taking turns
 * within a round: on a shared machine, load that comes and goes then falls on every tool alike
 * instead of on whichever ran during it.
 *
 * A spec is `{ id, label, role, fn, warmup?, detail?, error? }`. `fn(run)` does one run and returns
 * its time in milliseconds, so that per-run setup (a fresh database) stays outside the number; `warmup`
 * runs are done first and not counted (in-process code, to let the JIT settle); `detail()` adds facts
 * to the result (sizes, counts). A spec given an `error` (a peer that did not install) and one whose
 * run throws keep that error as the result, shown in the table instead of a number: nothing is left
 * out silently.
 */
export async function measureRounds(specs, runs) {
  const states = specs.map((spec) => ({ spec, runsMs: [], error: spec.error }))
  for (const state of states) {
    if (state.error) progress(`  ${state.spec.label}: not run: ${state.error}`)
    for (let i = 0; i < (state.spec.warmup ?? 0) && !state.error; i++) await attempt(state, () => state.spec.fn(-1 - i))
  }
  for (let run = 0; run < runs; run++) {
    for (const state of states) {
      if (state.error) continue
      const ms = await attempt(state, () => state.spec.fn(run))
      if (ms === undefined) continue
      state.runsMs.push(round(ms))
      progress(`  ${state.spec.label}: run ${run + 1}/${runs} ${Math.round(ms)} ms`)
    }
  }
  return states.map((state) => result(state, runs))
}

/** One tool alone: `measureRounds` with one spec. */
export async function measureOne(spec, runs) {
  const [measurement] = await measureRounds([spec], runs)
  return measurement
}

async function attempt(state, fn) {
  try {
    return await fn()
  } catch (error) {
    state.error = oneLine(error)
    progress(`  ${state.spec.label}: FAILED: ${state.error}`)
    return undefined
  }
}

function result(state, runs) {
  const { id, label, role } = state.spec
  const base = { id, label, role, runs, runsMs: state.runsMs }
  if (state.error) return { ...base, medianMs: null, error: state.error }
  const detail = state.spec.detail?.()
  return { ...base, medianMs: round(median(state.runsMs)), ...(detail ? { detail } : {}) }
}

function round(ms) {
  return Math.round(ms * 1000) / 1000
}

/** An error as one line of at most 300 characters, for the table and results.json. */
export function oneLine(error) {
  const text = error instanceof Error ? error.message : String(error)
  return text.replace(/\s+/g, ' ').trim().slice(0, 300)
}
