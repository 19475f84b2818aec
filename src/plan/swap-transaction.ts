import { nameKey } from '../schema/name.js'
import type { Step } from './step.js'

/**
 * What the contract took away just before its swap and creates again after it: the views that read a swapped column
 * (DROP COLUMN refuses while they do) and the routines that take a swapped enum (DROP TYPE refuses while they exist).
 */
export interface SwapDependents {
  /** nameKey of each view dropped before the swap. */
  readonly views: ReadonlySet<string>
  /** nameKey of each routine dropped before the swap. */
  readonly routines: ReadonlySet<string>
  /** `nameKey(table) + NUL + column` of each column whose default was dropped before the swap (it named the enum). */
  readonly defaults?: ReadonlySet<string>
}

/**
 * The contract plan's steps (those after the swap), reordered so that everything the swap took away comes back in
 * the swap's own transaction. The runner (and `keel push`) runs consecutive transactional steps as one transaction
 * and commits before each step that cannot run in one (a concurrent build) or that must commit apart (VALIDATE
 * CONSTRAINT, migrate/prepare-statements.ts). In the planner's order the first such step follows the swap closely,
 * so the views came back, and the checks and foreign keys that DROP COLUMN took were added again, only transactions
 * later: between those commits a reader of the view got "relation does not exist" and a write that breaks the check
 * was accepted (issue 7).
 *
 * So these steps move up to just before the first commit, into the swap's transaction: the views dropped for the swap
 * (with the grants and comments of their creation), the routines dropped for an enum swap, the defaults that named a
 * swapped enum, and the first half of each
 * constraint added the safe way (`ADD ... NOT VALID`: catalog only, enforced for new writes from its commit on);
 * each one's validation, and what follows it (SET NOT NULL once a check proved it), stays where it was, after the
 * commit. A step moves only past steps it cannot depend on: steps that run apart, and the later steps of a change
 * that already had one (SET NOT NULL after its validation, a key attached USING a concurrently built index). At the
 * first other step that stays, moving stops: what follows it may need it. A foreign key does not move past a step on
 * the table it references (its key may be built there). Pure; order among the moved steps, and among the others, is
 * kept.
 */
export function intoSwapTransaction(steps: readonly Step[], dependents: SwapDependents): Step[] {
  const firstCommit = steps.findIndex((s) => !s.transactional)
  if (firstCommit < 0) return [...steps]
  const moved: Step[] = []
  const stays: Step[] = []
  // Changes with a step that ran apart: their later steps need it.
  const split = new Set<Step['source']>()
  // Sources whose creation moved: their grants and comments move with them.
  const brought = new Set<Step['source']>()
  let stopped = false
  for (const step of steps.slice(firstCommit)) {
    if (!step.transactional) {
      split.add(step.source)
      stays.push(step)
    } else if (split.has(step.source)) stays.push(step)
    else if (!stopped && (brought.has(step.source) || comesBack(step, steps, dependents, stays))) {
      brought.add(step.source)
      moved.push(step)
    } else {
      stopped = true
      stays.push(step)
    }
  }
  return [...steps.slice(0, firstCommit), ...moved, ...stays]
}

/** Whether `step` brings back something the swap took away (see intoSwapTransaction), needing nothing of `passed`. */
function comesBack(step: Step, all: readonly Step[], dependents: SwapDependents, passed: readonly Step[]): boolean {
  const source = step.source
  switch (source.kind) {
    case 'createView':
      return !source.view.materialized && dependents.views.has(nameKey(source.view.name))
    case 'createRoutine':
      return dependents.routines.has(nameKey(source.routine.name))
    case 'alterColumn':
      if (source.aspects.length === 1 && source.aspects[0] === 'default')
        return dependents.defaults?.has(`${nameKey(source.table)}\u0000${source.to.name}`) === true
      return isNotValidHalf(step, all)
    case 'addCheck':
      return isNotValidHalf(step, all)
    case 'addForeignKey': {
      const referenced = nameKey(source.foreignKey.references.table)
      return isNotValidHalf(step, all) && !passed.some((s) => s.lock.on.some((t) => nameKey(t) === referenced))
    }
    default:
      return false
  }
}

/**
 * The first step of a constraint added the safe way: its change's first step, followed next by one that runs apart
 * (VALIDATE CONSTRAINT). A check the schema declares NOT VALID, or one added in a single step, is not one.
 */
function isNotValidHalf(step: Step, all: readonly Step[]): boolean {
  const own = all.filter((s) => s.source === step.source)
  return own[0] === step && own[1] !== undefined && !own[1].transactional
}
