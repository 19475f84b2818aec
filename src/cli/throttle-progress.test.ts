import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { throttleProgress } from './throttle-progress.js'

describe('throttled progress', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('shows at most one line per interval, the latest one when the interval ends, and always the last', () => {
    const shown: string[] = []
    const progress = throttleProgress((text) => shown.push(text), 100)
    for (let i = 1; i <= 50; i++) progress.line(`applying ${i}`)
    expect(shown).toEqual(['applying 1'])
    vi.advanceTimersByTime(100)
    expect(shown).toEqual(['applying 1', 'applying 50'])
    progress.line('applying 51')
    progress.line('applying 52')
    progress.flush()
    expect(shown).toEqual(['applying 1', 'applying 50', 'applying 52'])
    vi.advanceTimersByTime(1000)
    expect(shown).toHaveLength(3)
  })

  it('shows a slow step within the interval, and urgent lines at once', () => {
    const shown: string[] = []
    const progress = throttleProgress((text) => shown.push(text), 100)
    progress.line('applying 1')
    progress.line('applying 2 (slow)')
    vi.advanceTimersByTime(99)
    expect(shown).toEqual(['applying 1'])
    vi.advanceTimersByTime(1)
    expect(shown).toEqual(['applying 1', 'applying 2 (slow)'])
    progress.now('applying 3 (resuming at statement 2)')
    expect(shown.at(-1)).toBe('applying 3 (resuming at statement 2)')
    progress.flush()
    expect(shown).toHaveLength(3)
  })
})
