import { getDialect } from '../../dist/dialect/registry.js'
import { diff } from '../../dist/diff/diff.js'
import { safePolicy } from '../../dist/plan/policy.js'
import { deepEqual } from '../../dist/schema/equal.js'
import { measureRounds } from './measure.mjs'
import { progress, timed } from './stats.mjs'

/**
 * Section 3: the pure core on two introspected schemas of the same size, `from` and `to` (every tenth
 * table changed). No IO: diff() and the PostgreSQL planner under the safe policy, in this process,
 * after warm-up runs. The floor is one full structural comparison of `from` with a deep copy of itself
 * (deepEqual never stops early on equal data, nor short-cuts on shared objects), the least work any
 * differ must do: look at everything once.
 */
export async function benchDiffPlan(from, to, runs) {
  progress(`diff and plan of ${from.tables.length} tables: ${runs} runs each`)
  const dialect = getDialect('postgres')
  const first = diff(from, to, [], dialect)
  if (first.questions.length > 0) throw new Error(`diff asked ${first.questions.length} rename questions`)
  const firstPlan = dialect.plan(first.changes, safePolicy)
  const facts = {
    tables: from.tables.length,
    changes: first.changes.length,
    changeKinds: countBy(first.changes, (change) => change.kind),
    steps: firstPlan.steps.length,
  }
  progress(`  ${facts.changes} changes, ${facts.steps} steps`)
  const copy = structuredClone(from)
  if (!deepEqual(from, copy)) throw new Error('deepEqual(from, structuredClone(from)) is false')
  const time = (fn) => async () => (await timed(async () => fn())).ms
  return measureRounds(
    [
      {
        id: 'diff.keel-diff',
        label: 'Keel diff() (pure, warm)',
        role: 'keel',
        warmup: 3,
        fn: time(() => diff(from, to, [], dialect)),
        detail: () => facts,
      },
      {
        id: 'diff.keel-plan',
        label: "Keel getDialect('postgres').plan(changes, safePolicy) (pure, warm)",
        role: 'keel',
        warmup: 3,
        fn: time(() => dialect.plan(first.changes, safePolicy)),
        detail: () => facts,
      },
      {
        id: 'diff.keel-diff-plan',
        label: 'Keel diff() + plan() together',
        role: 'keel',
        warmup: 3,
        fn: time(() => dialect.plan(diff(from, to, [], dialect).changes, safePolicy)),
      },
      {
        id: 'diff.deep-equal',
        label: 'floor: deepEqual(from, copy of from), one full structural pass',
        role: 'floor',
        warmup: 3,
        fn: time(() => deepEqual(from, copy)),
      },
    ],
    runs,
  )
}

function countBy(items, key) {
  const counts = {}
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1
  return counts
}
