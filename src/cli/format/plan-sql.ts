import type { Plan, Step } from '../../plan/step.js'

/** Renders a plan as a SQL script: each statement preceded by a comment with what it does and what it costs. */
export function planToSql(plan: Plan, options: { readonly annotate?: boolean } = {}): string {
  const annotate = options.annotate ?? true
  return plan.steps.map((step) => (annotate ? `-- ${describeStep(step)}\n` : '') + terminate(step.sql)).join('\n')
}

/** "Add index users_email_idx concurrently [SHARE UPDATE EXCLUSIVE on public.users; data loss: certain]" */
export function describeStep(step: Step): string {
  const facts: string[] = []
  if (step.lock.blocks !== 'nothing') {
    const on = step.lock.on.map((n) => (n.schema ? `${n.schema}.${n.name}` : n.name)).join(', ')
    facts.push(
      `${step.lock.mode}${on ? ` on ${on}` : ''}, blocks ${step.lock.blocks === 'writes' ? 'writes' : 'reads and writes'}`,
    )
  }
  if (step.rewritesTable) facts.push('rewrites the table')
  else if (step.scansTable) facts.push('scans the table')
  if (step.dataLoss !== 'none') facts.push(`data loss: ${step.dataLoss}`)
  if (!step.transactional) facts.push('outside a transaction')
  return facts.length > 0 ? `${step.comment} [${facts.join('; ')}]` : step.comment
}

/** The plan's reverse as SQL, last step first; an irreversible step becomes a comment saying why. */
export function reverseToSql(plan: Plan): string {
  return [...plan.steps]
    .reverse()
    .map((step) =>
      'sql' in step.reverse
        ? `-- undo: ${step.comment}\n${terminate(step.reverse.sql)}`
        : `-- cannot undo: ${step.comment}: ${step.reverse.irreversible}`,
    )
    .join('\n')
}

function terminate(sql: string): string {
  return /;\s*$/.test(sql) ? sql : `${sql};`
}
