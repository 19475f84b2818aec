import type { Rule } from '../rule.js'

/** A lint-ignore comment must say why: the reason is what a reviewer checks. The engine reports it (lint.ts). */
export const requireLintIgnoreReason: Rule = {
  id: 'require-lint-ignore-reason',
  severity: 'error',
  dialects: 'all',
  summary: '`-- keel:lint-ignore RULE` without a reason (it is then not honoured)',
  why: 'A suppression is a decision that a reviewer must be able to check: the reason ("the table holds 12 rows", "renamed in 20261201 and unused since") is what they check. An ignore without a reason is reported and not honoured.',
  help: 'Write why the finding is safe to ignore after the rule id: `-- keel:lint-ignore RULE the table is empty`.',
  examples: {
    bad: '-- keel:lint-ignore require-concurrent-index\ncreate index i on t (a);',
    good: '-- keel:lint-ignore require-concurrent-index t holds 12 rows, read once a day\ncreate index i on t (a);',
  },
}
