import { describe, expect, it } from 'vitest'
import { whilePolling } from './watch-build.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('whilePolling', () => {
  it('polls after firstMs and then every everyMs while the work runs, and never after it settled', async () => {
    const polls: number[] = []
    let settledAt = Number.POSITIVE_INFINITY
    const result = await whilePolling(
      async () => {
        await sleep(200)
        settledAt = performance.now()
        return 'built'
      },
      async () => {
        polls.push(performance.now())
      },
      { firstMs: 20, everyMs: 20 },
    )
    await sleep(60)
    expect(result).toBe('built')
    expect(polls.length).toBeGreaterThanOrEqual(2)
    expect(polls.every((at) => at <= settledAt)).toBe(true)
  })

  it('does not poll a work shorter than firstMs', async () => {
    let polls = 0
    await whilePolling(
      () => sleep(5),
      async () => {
        polls++
      },
      { firstMs: 200, everyMs: 200 },
    )
    await sleep(250)
    expect(polls).toBe(0)
  })

  it('ignores a failing poll, waits for the poll in flight, and rejects as the work does', async () => {
    let inFlight = false
    const work = whilePolling(
      async () => {
        await sleep(40)
        throw new Error('build failed')
      },
      async () => {
        inFlight = true
        await sleep(30)
        inFlight = false
        throw new Error('progress view gone')
      },
      { firstMs: 20, everyMs: 5 },
    )
    await expect(work).rejects.toThrow('build failed')
    expect(inFlight).toBe(false)
  })
})
