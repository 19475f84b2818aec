import type { Rule } from '../rule.js'
import { alterTable, builtinName, calledFunctions, columnConstraints, columnDefOf, typeOf } from '../sql/ast.js'
import { NOT_VOLATILE_FUNCTIONS, VOLATILE_FUNCTIONS } from '../sql/volatile-functions.js'
import { onExistingTable } from '../table-size.js'

/** ADD COLUMN with a volatile default (or serial, or identity) on an existing table. */
export const banVolatileDefault: Rule = {
  id: 'ban-volatile-default',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'ADD COLUMN with a volatile default (or serial, or identity) on an existing table',
  why: "Since PostgreSQL 11 a constant default is stored once in the catalog, but a volatile one (random(), gen_random_uuid(), clock_timestamp(), nextval() behind serial and identity columns) must be computed for every row: the table is rewritten under ACCESS EXCLUSIVE, blocking reads and writes until it ends. A function PostgreSQL does not ship is VOLATILE unless its CREATE FUNCTION said STABLE or IMMUTABLE, which lint cannot see in hand-written SQL: a warning. A step Keel generated carries the planner's verdict, read from the schema's own definition of the function.",
  help: 'Add the column without a default (or with a constant one), set the default for new rows with ALTER COLUMN SET DEFAULT, and backfill existing rows in batches.',
  examples: {
    bad: 'alter table users add column token uuid default gen_random_uuid();',
    good: 'alter table users add column token uuid;\nalter table users alter column token set default gen_random_uuid();\n-- backfill existing rows in batches',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node, step }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined) return
    // A generated step knows what lint cannot: the volatility the schema declares for a user's function. The planner
    // takes a function it does not know for VOLATILE, as this rule does (dialect/postgres/default-volatility.ts).
    if (step !== undefined && !step.rewritesTable) return
    for (const cmd of alter.cmds) {
      const column = cmd.subtype === 'AT_AddColumn' ? columnDefOf(cmd) : undefined
      if (column === undefined) continue
      const constraints = columnConstraints(column)
      const defaults = constraints.filter((c) => c.contype === 'CONSTR_DEFAULT').map((c) => c.raw_expr)
      const calls = defaults.flatMap((d) => calledFunctions(d))
      const volatile = calls.find((f) => VOLATILE_FUNCTIONS.has(f))
      // A function PostgreSQL does not ship is VOLATILE unless its CREATE FUNCTION said otherwise: likely a rewrite.
      const unknown = calls.find((f) => !VOLATILE_FUNCTIONS.has(f) && !NOT_VOLATILE_FUNCTIONS.has(f))
      const serial = SERIAL.has(builtinName(typeOf(column.typeName), ctx.traits.builtinTypes) ?? '')
      const identity = constraints.some((c) => c.contype === 'CONSTR_IDENTITY')
      if (volatile === undefined && unknown === undefined && !serial && !identity) continue
      const size = onExistingTable(ctx, alter.key)
      if (size === undefined) continue
      const what =
        volatile !== undefined
          ? `a volatile default (${volatile}())`
          : serial
            ? 'a serial type'
            : identity
              ? 'an identity'
              : `a default calling ${unknown}(), volatile unless it was declared STABLE or IMMUTABLE`
      yield {
        message: `adds ${alter.key}.${column.colname ?? '?'} with ${what}: the value is computed for every row, rewriting ${alter.key} under ACCESS EXCLUSIVE`,
        at: column.location,
        ...size,
        // Only a guess about a function Keel does not know: said, not enforced.
        ...(volatile === undefined && !serial && !identity ? { severity: 'warning' as const } : {}),
      }
    }
  },
}

const SERIAL = new Set(['serial', 'bigserial', 'smallserial', 'serial4', 'serial8', 'serial2'])
