import type { Rule } from '../rule.js'

/** SET lock_timeout or statement_timeout to 0 (off). */
export const banTimeoutOff: Rule = {
  id: 'ban-timeout-off',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'SET lock_timeout or statement_timeout to 0 (off)',
  why: 'Keel runs each migration with a lock_timeout, so that a statement waiting for a lock gives up (and retries) instead of stalling every query queued behind it. Turning it off lets one waiting ALTER TABLE block the application for as long as the longest transaction it waits for. Not flagged: the session header of a `pg_dump` file pasted in as a baseline migration (the `SET statement_timeout = 0; SET lock_timeout = 0; ...` run right after pg_dump\'s "PostgreSQL database dump" banner): a baseline creates objects that do not exist yet, so nothing waits for its locks. A SET further down the same file is flagged.',
  help: 'Keep the timeouts; for a statement that needs longer, give the migration its own with `-- keel:lock-timeout 30s` or `-- keel:statement-timeout 10min`.',
  examples: {
    bad: 'set lock_timeout = 0;',
    good: '-- keel:statement-timeout 30min\nalter table users validate constraint users_email_nn;',
  },
  statementKinds: ['VariableSetStmt'],
  *checkStatement({ node, parsed }) {
    if (!('VariableSetStmt' in node)) return
    if (parsed.dumpHeader === true) return
    const name = node.VariableSetStmt.name ?? ''
    if (name !== 'lock_timeout' && name !== 'statement_timeout') return
    const value = JSON.stringify(node.VariableSetStmt.args ?? [])
    const off =
      node.VariableSetStmt.kind === 'VAR_SET_VALUE' &&
      (/"ival":\{\}|"ival":\{"ival":0\}/.test(value) || /"sval":"0(ms|s|min)?"/.test(value))
    if (!off) return
    yield {
      message: `turns ${name} off: a statement waiting for a lock then waits, and blocks the queries queued behind it, without limit`,
    }
  },
}
