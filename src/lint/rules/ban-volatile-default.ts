import type { Rule } from '../rule.js'
import { alterTable, builtinName, calledFunctions, columnConstraints, columnDefOf, typeOf } from '../sql/ast.js'
import { VOLATILE_FUNCTIONS } from '../sql/volatile-functions.js'
import { onExistingTable } from '../table-size.js'

/** ADD COLUMN with a volatile default (or serial, or identity) on an existing table. */
export const banVolatileDefault: Rule = {
  id: 'ban-volatile-default',
  severity: 'error',
  dialects: ['postgres', 'pglite'],
  summary: 'ADD COLUMN with a volatile default (or serial, or identity) on an existing table',
  why: 'Since PostgreSQL 11 a constant default is stored once in the catalog, but a volatile one (random(), gen_random_uuid(), clock_timestamp(), nextval() behind serial and identity columns) must be computed for every row: the table is rewritten under ACCESS EXCLUSIVE, blocking reads and writes until it ends.',
  help: 'Add the column without a default (or with a constant one), set the default for new rows with ALTER COLUMN SET DEFAULT, and backfill existing rows in batches.',
  examples: {
    bad: 'alter table users add column token uuid default gen_random_uuid();',
    good: 'alter table users add column token uuid;\nalter table users alter column token set default gen_random_uuid();\n-- backfill existing rows in batches',
  },
  statementKinds: ['AlterTableStmt'],
  *checkStatement({ node }, ctx) {
    const alter = alterTable(node, ctx.traits.defaultNamespace)
    if (alter === undefined) return
    for (const cmd of alter.cmds) {
      const column = cmd.subtype === 'AT_AddColumn' ? columnDefOf(cmd) : undefined
      if (column === undefined) continue
      const constraints = columnConstraints(column)
      const defaults = constraints.filter((c) => c.contype === 'CONSTR_DEFAULT').map((c) => c.raw_expr)
      const calls = defaults.flatMap((d) => calledFunctions(d))
      const volatile = calls.find((f) => VOLATILE_FUNCTIONS.has(f))
      // A function PostgreSQL does not ship is VOLATILE unless its CREATE FUNCTION said otherwise: likely a rewrite.
      const unknown = calls.find((f) => !VOLATILE_FUNCTIONS.has(f) && !NOT_VOLATILE.has(f))
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

/**
 * Built-in functions that are STABLE or IMMUTABLE (pg_proc.provolatile 's' or 'i'), as defaults are written: their
 * value is computed once for ADD COLUMN and stored in the catalog, with no rewrite. Any other function is taken
 * for VOLATILE, PostgreSQL's own default for CREATE FUNCTION.
 */
const NOT_VOLATILE = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'txid_current',
  'pg_current_xact_id',
  'timezone',
  'date_trunc',
  'date_part',
  'extract',
  'make_date',
  'make_time',
  'make_interval',
  'make_timestamp',
  'make_timestamptz',
  'to_timestamp',
  'to_date',
  'to_char',
  'to_number',
  'age',
  'lower',
  'upper',
  'concat',
  'concat_ws',
  'format',
  'md5',
  'encode',
  'decode',
  'length',
  'substr',
  'substring',
  'left',
  'right',
  'lpad',
  'rpad',
  'trim',
  'btrim',
  'ltrim',
  'rtrim',
  'replace',
  'abs',
  'round',
  'floor',
  'ceil',
  'ceiling',
  'power',
  'greatest',
  'least',
  'array_fill',
  'jsonb_build_object',
  'jsonb_build_array',
  'json_build_object',
  'json_build_array',
  'to_jsonb',
  'to_json',
  'current_setting',
  'current_database',
  'current_schema',
  'inet_client_addr',
])
const SERIAL = new Set(['serial', 'bigserial', 'smallserial', 'serial4', 'serial8', 'serial2'])
