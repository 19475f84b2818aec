import type { Rule } from '../rule.js'
import { alterTable, builtinName, columnDefOf, displayType, typeOf } from '../sql/ast.js'
import { onExistingTable } from '../table-size.js'

/**
 * ALTER COLUMN TYPE rewrites the table (and rebuilds its indexes) under ACCESS EXCLUSIVE, unless the new type is
 * binary-compatible (varchar widened, varchar to text). A generated step says which; for hand-written SQL the live
 * column type decides, and without it the worst is assumed.
 */
export const banAlterColumnType: Rule = {
  id: 'ban-alter-column-type',
  severity: 'error',
  dialects: 'all',
  summary: 'ALTER COLUMN ... TYPE on an existing table (rewrites it under ACCESS EXCLUSIVE)',
  why: 'Most type changes rewrite the whole table and rebuild every index under ACCESS EXCLUSIVE: no reads and no writes until the rewrite ends, which on a large table means minutes to hours. Only binary-compatible changes (varchar widened, varchar to text) are catalog-only; with `--url` Keel reads the current type and stays quiet for those, and a generated step says itself whether it rewrites.',
  help: 'Expand/contract: add a column of the new type, keep both written (trigger), backfill in batches, switch reads, then drop the old column.',
  examples: {
    bad: 'alter table users alter column id type bigint;',
    good: 'alter table users add column id_new bigint;\n-- backfill in batches, dual-write trigger, then switch and drop the old column',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node, step }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined) return
    if (step !== undefined && !step.rewritesTable && !step.scansTable) return
    for (const cmd of alter.cmds) {
      if (cmd.subtype !== 'AT_AlterColumnType') continue
      const size = onExistingTable(ctx, alter.key)
      if (size === undefined) continue
      const to = typeOf(columnDefOf(cmd)?.typeName)
      const from = ctx.live.columnTypes?.get(`${alter.key}.${cmd.name ?? ''}`)
      if (from !== undefined && isMetadataOnly(from, to, ctx.traits.builtinTypes)) continue
      const locked = step?.lock.on.map((n) => (n.schema ? `${n.schema}.${n.name}` : n.name)).join(', ') ?? alter.key
      yield {
        message: `changes the type of ${alter.key}.${cmd.name ?? '?'}${from === undefined ? '' : ` from ${from}`} to ${displayType(to, ctx.traits)}: rewrites the table and its indexes under ACCESS EXCLUSIVE on ${locked}, blocking reads and writes`,
        at: alter.relation?.location,
        ...size,
      }
    }
  },
}

/** Changes PostgreSQL makes in the catalog only: varchar(n) widened or made unbounded, varchar to text. */
function isMetadataOnly(from: string, to: ReturnType<typeof typeOf>, builtinTypes: string | undefined): boolean {
  const varchar = /^character varying(?:\((\d+)\))?$/.exec(from)
  if (varchar === null && from !== 'text') return false
  const name = builtinName(to, builtinTypes)
  if (name === 'text') return true
  if (name !== 'varchar' || varchar === null) return false
  const old = varchar[1] === undefined ? Number.POSITIVE_INFINITY : Number(varchar[1])
  const next = to.mods[0] ?? Number.POSITIVE_INFINITY
  return next >= old
}
