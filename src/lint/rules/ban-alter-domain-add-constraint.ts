import type { Rule } from '../rule.js'

/** ALTER DOMAIN ... ADD CONSTRAINT. */
export const banAlterDomainAddConstraint: Rule = {
  id: 'ban-alter-domain-add-constraint',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'ALTER DOMAIN ... ADD CONSTRAINT',
  why: 'ALTER DOMAIN ADD CONSTRAINT checks every column of every table that uses the domain, holding locks on each table for the scan.',
  help: 'Add it NOT VALID and VALIDATE it in a later transaction, or put the check on the columns instead.',
  examples: {
    bad: "alter domain email add constraint email_at check (value like '%@%');",
    good: "alter domain email add constraint email_at check (value like '%@%') not valid;\n-- next migration:\nalter domain email validate constraint email_at;",
  },
  statementKinds: ['AlterDomainStmt'],
  *checkStatement({ node }) {
    if (!('AlterDomainStmt' in node) || node.AlterDomainStmt.subtype !== 'C') return
    const def = node.AlterDomainStmt.def
    if (def !== undefined && 'Constraint' in def && def.Constraint.skip_validation === true) return
    yield {
      message: 'scans every column of every table that uses the domain, under locks, to validate the new constraint',
    }
  },
}
