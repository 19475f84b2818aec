import { isCancel, select } from '@clack/prompts'
import type { Rename, RenameQuestion } from '../diff/change.js'
import { displayName } from '../schema/name.js'

/**
 * Asks a person at a terminal whether each look-alike drop and add is a rename. Returns the renames
 * chosen (possibly none), or undefined when the person cancels. Never used in CI or under --json.
 */
export async function askRenames(questions: readonly RenameQuestion[]): Promise<readonly Rename[] | undefined> {
  const renames: Rename[] = []
  for (const question of questions) {
    const dropped =
      question.kind === 'table' ? displayName(question.dropped) : `${displayName(question.table)}.${question.dropped}`
    const candidates = question.kind === 'table' ? question.added.map(displayName) : question.added
    const answer = await select({
      message: `${dropped} is gone. Was it renamed?`,
      options: [
        ...candidates.map((name, i) => ({ value: String(i), label: `renamed to ${name}` })),
        { value: 'drop', label: 'no: drop it (its data is lost) and create the new one' },
      ],
    })
    if (isCancel(answer)) return undefined
    if (answer === 'drop') continue
    const index = Number(answer)
    if (question.kind === 'table') renames.push({ kind: 'table', from: question.dropped, to: question.added[index]! })
    else renames.push({ kind: 'column', table: question.table, from: question.dropped, to: question.added[index]! })
  }
  return renames
}
