import { describe, expect, it } from 'vitest'
import { KeelError } from '../errors.js'
import { withSplitRunHint } from './split-run-hint.js'

const refused = () =>
  Promise.reject(new KeelError('SPLIT_RUN', '"Drop index x concurrently" cannot run in a transaction'))

describe('withSplitRunHint', () => {
  for (const command of ['generate', 'push', 'diff'] as const) {
    it(`gives error[SPLIT_RUN] keel ${command}'s hint, keeping its message and cause`, async () => {
      const error = await withSplitRunHint(command, refused).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(KeelError)
      const split = error as KeelError
      expect(split.code).toBe('SPLIT_RUN')
      expect(split.message).toBe('"Drop index x concurrently" cannot run in a transaction')
      expect(split.cause).toBeInstanceOf(KeelError)
      expect(split.hint).toContain(`\`keel ${command}`)
      for (const other of ['generate', 'push', 'diff'].filter((c) => c !== command))
        expect(split.hint).not.toContain(`keel ${other}`)
    })
  }

  it('passes other errors and results through as they are', async () => {
    const other = new KeelError('DATA_LOSS', 'drops a column')
    await expect(withSplitRunHint('push', () => Promise.reject(other))).rejects.toBe(other)
    await expect(withSplitRunHint('diff', async () => 3)).resolves.toBe(3)
  })
})
