import type { Rule } from './rule.js'

/**
 * The doc page of a rule (`docs/rules/ID.md`), rendered from the rule module so that page and code cannot
 * disagree; the registry test fails when a page is missing or stale (`KEEL_UPDATE=1` rewrites it).
 */
export function renderRuleDoc(rule: Rule): string {
  const dialects = rule.dialects === 'all' ? 'all' : rule.dialects.join(', ')
  return [
    `# ${rule.id}`,
    '',
    `Default severity: **${rule.severity}**. Dialects: ${dialects}.`,
    '',
    `Flags ${rule.summary}.`,
    '',
    '## Why',
    '',
    rule.why,
    '',
    '## Instead',
    '',
    rule.help,
    '',
    '## Example',
    '',
    'Flagged:',
    '',
    '```sql',
    rule.examples.bad,
    '```',
    '',
    'Safe:',
    '',
    '```sql',
    rule.examples.good,
    '```',
    '',
    '## Suppressing',
    '',
    `On the line above the statement, or at the top of the file for the whole file: \`-- keel:lint-ignore ${rule.id} <reason>\`.`,
    `To change its severity or turn it off for the project: \`lint: { rules: { '${rule.id}': 'warning' } }\` in keel.config.ts.`,
    '',
  ].join('\n')
}
