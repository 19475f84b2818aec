import type { RenameQuestion } from '../../diff/change.js'
import { displayName } from '../../schema/name.js'

/** One line per unanswered rename question, naming the candidates. */
export function describeQuestion(question: RenameQuestion): string {
  if (question.kind === 'table') {
    return `table ${displayName(question.dropped)} is dropped while ${question.added.map(displayName).join(', ')} ${question.added.length > 1 ? 'are' : 'is'} added: a rename?`
  }
  return `column ${displayName(question.table)}.${question.dropped} is dropped while ${question.added.join(', ')} ${question.added.length > 1 ? 'are' : 'is'} added: a rename?`
}
