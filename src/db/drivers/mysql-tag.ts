/**
 * MariaDB has no application_name. The runner's sessions (application name `keel-run ...`) put it in a
 * comment in front of every statement they send, which the processlist shows while the statement runs:
 * that is how a later runner finds the sessions of an earlier one that died mid-statement.
 */
export function runnerTag(applicationName: string): string {
  if (!applicationName.startsWith('keel-run')) return ''
  return `/* ${applicationName.replace(/\*\//g, '* /')} */ `
}

/** The comment runnerTag puts in front of a runner's statements, as a LIKE pattern for the processlist. */
export const RUNNER_TAG_PATTERN = '/* keel-run %'
