import type { Phase } from '../plan/step.js'
import type { AnyMigrationState } from './status.js'

/**
 * An expand/contract change part-way through: some of its phases are applied (or running), its contract is
 * not. Between those, the old and the new release both work; the contract ends that (see plan/phases.ts).
 */
export interface InFlightChange {
  /** The change's name: its migrations' name without the `_expand`/`_backfill`/`_contract` suffix. */
  readonly change: string
  /** `expanded`, `backfilling` (stopped or running part-way), or `backfilled`. */
  readonly stage: 'expanded' | 'backfilling' | 'backfilled'
  /** Its migrations that are applied, or stopped part-way, in order. */
  readonly started: readonly string[]
  /** Its next pending phase's migration, or undefined when no contract migration exists yet. */
  readonly next: string | undefined
}

// A phase's concurrent builds are a migration of their own beside it (`_contract_concurrently`: render-migration.ts).
const SUFFIX = /_(expand|backfill|contract)(_concurrently|_no_transaction)?$/

/**
 * The expand/contract changes in flight, from the migrations' `-- keel:phase` directives and the journal.
 * Phases of one change are the migrations `keel generate` wrote with one name and a phase suffix (a phase may be
 * several migrations: its concurrent builds apart); a phase migration named otherwise is its own change. Pure.
 */
export function inFlightChanges(states: readonly AnyMigrationState[]): readonly InFlightChange[] {
  const changes = new Map<string, { phase: Phase; id: string; done: boolean; partial: boolean }[]>()
  for (const state of states) {
    if (state.kind === 'missing') continue
    const phase = state.migration.directives.phase
    if (phase === undefined) continue
    const name = state.migration.name.replace(SUFFIX, '')
    const list = changes.get(name) ?? []
    list.push({
      phase,
      id: state.migration.id,
      done: state.kind === 'applied' || state.kind === 'modified',
      partial: state.kind === 'partial' || state.kind === 'failed',
    })
    changes.set(name, list)
  }
  const inFlight: InFlightChange[] = []
  for (const [change, phases] of changes) {
    const started = phases.filter((p) => p.done || p.partial)
    const contracts = phases.filter((p) => p.phase === 'contract')
    const contracted = contracts.length > 0 && contracts.every((p) => p.done)
    if (started.length === 0 || contracted) continue
    if (started.every((p) => p.phase === 'contract')) continue
    const backfill = phases.find((p) => p.phase === 'backfill')
    const stage = backfill?.partial ? 'backfilling' : backfill?.done ? 'backfilled' : 'expanded'
    const next = phases.find((p) => !p.done)
    inFlight.push({ change, stage, started: started.map((p) => p.id), next: next?.id })
  }
  return inFlight
}
