import { describe, expect, it } from 'vitest'
import { describeStop } from './status.js'

describe('describeStop', () => {
  it('names the statement that failed, one past those committed', () => {
    expect(describeStop('failed', { completedStatements: 2, totalStatements: 4, error: 'boom' })).toBe(
      'failed at statement 3 of 4 (2 committed)',
    )
    expect(describeStop('failed', { completedStatements: 0, totalStatements: 1, error: 'boom' })).toBe(
      'failed at statement 1 of 1 (0 committed)',
    )
  })

  it('counts what an interruption left committed', () => {
    expect(describeStop('partial', { completedStatements: 2, totalStatements: 4 })).toBe(
      'partial: 2 of 4 statements committed',
    )
  })

  it('counts no statements for a TypeScript migration', () => {
    expect(describeStop('failed', { completedStatements: 0, totalStatements: undefined, error: 'boom' })).toBe('failed')
  })
})
