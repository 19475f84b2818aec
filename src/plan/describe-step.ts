import { displayName } from '../schema/name.js'
import type { Step } from './step.js'

/**
 * What a step does and what it costs, in one line: its comment, then the lock it takes (and whom it blocks), whether
 * it rewrites or scans the table, data loss, a transaction it cannot run in, and no online form.
 * "Add index users_email_idx concurrently [SHARE UPDATE EXCLUSIVE on public.users, blocks nothing; runs outside a transaction]"
 *
 * The one description of a step: the comments of `keel generate`'s migration files and of `keel diff`'s and
 * `keel push --dry-run`'s script, the steps generate and check list, and push's warnings.
 */
export function describeStep(step: Step): string {
  const facts: string[] = []
  const on = step.lock.on.map(displayName).join(', ')
  const blocks = { nothing: 'blocks nothing', writes: 'blocks writes', readsAndWrites: 'blocks reads and writes' }[
    step.lock.blocks
  ]
  const created = (step.lock.created ?? []).map(displayName).join(', ')
  if (step.lock.mode !== '' && step.lock.mode !== 'none' && on === '' && created !== '')
    facts.push(`${step.lock.mode} on ${created}, ${blocks}: new in this plan, no other session uses it yet`)
  else if (step.lock.mode !== '' && step.lock.mode !== 'none')
    facts.push(`${step.lock.mode}${on ? ` on ${on}` : ''}, ${blocks}`)
  if (step.rewritesTable) facts.push('rewrites the table')
  else if (step.scansTable) facts.push('scans the table')
  if (step.dataLoss !== 'none') facts.push(`data loss: ${step.dataLoss}`)
  if (!step.transactional) facts.push('runs outside a transaction')
  if (step.noOnlineForm !== undefined) facts.push('no online form')
  return facts.length > 0 ? `${step.comment} [${facts.join('; ')}]` : step.comment
}
