import type { Rule } from '../rule.js'

/** VACUUM FULL. */
export const banVacuumFull: Rule = {
  id: 'ban-vacuum-full',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'VACUUM FULL',
  why: 'VACUUM FULL rewrites the table into a new file under ACCESS EXCLUSIVE: no reads or writes until it ends, and it needs room for a second copy of the table. It also cannot run in a transaction.',
  help: 'Use plain VACUUM (no exclusive lock), or pg_repack / pg_squeeze to compact a table online.',
  examples: {
    bad: 'vacuum full users;',
    good: 'vacuum (analyze) users;',
  },
  statementKinds: ['VacuumStmt'],
  *checkStatement({ node }) {
    if (!('VacuumStmt' in node) || node.VacuumStmt.is_vacuumcmd !== true) return
    const full = (node.VacuumStmt.options ?? []).some(
      (o) => 'DefElem' in o && o.DefElem.defname === 'full' && !isOff(o.DefElem.arg),
    )
    if (!full) return
    yield { message: 'VACUUM FULL rewrites each table it names under ACCESS EXCLUSIVE, blocking reads and writes' }
  },
}

function isOff(arg: unknown): boolean {
  const text = JSON.stringify(arg ?? '')
  return /"(false|off|0)"|"ival":0|"boolval":false/.test(text) && !/"boolval":true/.test(text)
}
