import { describe, expect, it } from 'vitest'
import { changeOf } from '../../test/support/change-of.js'
import { loadRuntime } from '../dialect/runtimes.js'
import type { Step } from '../plan/step.js'
import { viewOf } from '../schema/build.js'
import { lintGenerated } from './blocking-steps.js'
import { renderMigrations } from './render-migration.js'

// The plans below are made by hand: their dialect's runtime is loaded as the Dialect that plans would have loaded it.
await loadRuntime('postgres')

const t = { schema: 'public', name: 't' }
const source = changeOf('createView', { view: viewOf('v', 'SELECT 1') })
const step = (sql: string, over: Partial<Step>): Step => ({
  sql,
  reverse: { sql: 'select 1' },
  transactional: true,
  lock: { mode: 'ACCESS EXCLUSIVE', blocks: 'readsAndWrites', on: [t] },
  rewritesTable: false,
  scansTable: false,
  dataLoss: 'none',
  phase: 'contract',
  source,
  comment: sql,
  ...over,
})

describe('lintGenerated', () => {
  it('lints each migration knowing what the ones before it create and validate, as keel migrate does', async () => {
    // A concurrent build runs apart, with the VALIDATE beside it: the plan becomes three migrations. The SET NOT
    // NULL's step says it scans, as a hand-written one is judged: only the validation before it in the run proves it.
    const steps = [
      step('create table public.n (a int)', {}),
      step('create index concurrently t_a on public.t (a)', {
        transactional: false,
        scansTable: true,
        lock: { mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on: [t] },
      }),
      step('alter table public.t validate constraint t_a_nn', {
        transactional: false,
        scansTable: true,
        lock: { mode: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing', on: [t] },
      }),
      step('alter table public.t alter column a set not null', { scansTable: true }),
      step('alter table public.n alter column a set not null', { scansTable: true }),
    ]
    const rendered = renderMigrations({ dialect: 'postgres', steps }, { unsafe: false, phased: true })
    expect(rendered.map((m) => m.steps.length)).toEqual([1, 2, 2])
    const linted = await lintGenerated(
      rendered.map((migration, i) => ({ id: `2026010100000${i}_x`, file: `${i}/up.sql`, migration })),
      { dialect: 'postgres' },
    )
    expect(linted.files.flatMap((f) => f.findings.filter((x) => x.rule === 'ban-set-not-null'))).toEqual([])
    expect(linted.blocking).toEqual([])
  })
})
