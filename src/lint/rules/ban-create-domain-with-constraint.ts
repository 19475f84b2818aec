import type { Rule } from '../rule.js'

/** CREATE DOMAIN with a CHECK constraint. */
export const banCreateDomainWithConstraint: Rule = {
  id: 'ban-create-domain-with-constraint',
  severity: 'warning',
  dialects: ['postgres', 'pglite'],
  summary: 'CREATE DOMAIN with a CHECK constraint',
  why: "A domain's constraints cannot be added NOT VALID later without a scan of every column that uses it, across all tables; changing one is ALTER DOMAIN ADD CONSTRAINT, which scans them all under locks.",
  help: 'Put the CHECK on the columns (where it can be added NOT VALID and validated online), and keep domains unconstrained.',
  examples: {
    bad: "create domain email as text check (value like '%@%');",
    good: "create table users (email text check (email like '%@%'));",
  },
  statementKinds: ['CreateDomainStmt'],
  *checkStatement({ node }) {
    if (!('CreateDomainStmt' in node)) return
    const checks = (node.CreateDomainStmt.constraints ?? []).filter(
      (c) => 'Constraint' in c && c.Constraint.contype === 'CONSTR_CHECK',
    )
    if (checks.length === 0) return
    yield { message: 'a domain CHECK is hard to change later: every column using the domain is scanned' }
  },
}
