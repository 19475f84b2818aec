import type { Rule } from '../rule.js'

/** An ignore that matches nothing hides the next real finding of its rule, or names a rule that does not exist. */
export const banUnusedLintIgnore: Rule = {
  id: 'ban-unused-lint-ignore',
  severity: 'warning',
  dialects: 'all',
  summary: '`-- keel:lint-ignore` that matches no finding, or names no known rule',
  why: 'An ignore comment that matches no finding either names a rule that does not exist (a typo, which silently suppresses nothing) or has outlived the statement it was written for, and would hide the next real finding of its rule in that place.',
  help: 'Remove the comment, or fix the rule id (`keel lint --rules` lists them).',
  examples: {
    bad: '-- keel:lint-ignore require-concurrent-index built concurrently anyway\ncreate index concurrently i on t (a);',
    good: '-- keel:no-transaction\ncreate index concurrently i on t (a);',
  },
}
