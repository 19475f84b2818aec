import { describe, expect, it } from 'vitest'
import { progressOf } from '../../dialect/postgres/runner/build-progress.js'
import { formatIndexBuild } from './index-build-progress.js'

const row = (counters: Partial<Record<string, string>>) => ({
  phase: 'building index: scanning table',
  index: 'public.users_email_idx',
  table: 'public.users',
  blocks_done: '0',
  blocks_total: '0',
  tuples_done: '0',
  tuples_total: '0',
  lockers_done: '0',
  lockers_total: '0',
  partitions_done: '0',
  partitions_total: '0',
  ...counters,
})

describe('index-build progress lines', () => {
  it('shows the counters of the current phase, from pg_stat_progress_create_index', () => {
    const where = { where: 'migrations/1_x/up.sql:2', finished: false }
    expect(
      formatIndexBuild({
        ...progressOf(row({ blocks_done: '1204', blocks_total: '4425' })),
        ...where,
        elapsedMs: 3000,
      }),
    ).toBe('index public.users_email_idx: building index: scanning table, 1,204 of 4,425 blocks (27%), 3.0s')
    const waiting = progressOf({ ...row({ lockers_total: '2' }), phase: 'waiting for writers before build' })
    expect(formatIndexBuild({ ...waiting, ...where, elapsedMs: 1500 })).toBe(
      'index public.users_email_idx: waiting for writers before build, 0 of 2 transactions (0%), 1.5s',
    )
    expect(formatIndexBuild({ ...progressOf(row({})), ...where, elapsedMs: 1000 })).toBe(
      'index public.users_email_idx: building index: scanning table, 1.0s',
    )
  })

  it('ends with the total time', () => {
    const last = { ...progressOf(row({})), where: 'x', elapsedMs: 65_000, finished: true }
    expect(formatIndexBuild(last)).toBe('index public.users_email_idx: built in 65.0s')
  })
})
