import type { Rule } from '../rule.js'
import { alterTable, calledFunctions, columnConstraints, columnDefOf, typeOf } from '../sql/ast.js'
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
  *checkStatement({ node }, ctx) {
    const alter = alterTable(node)
    if (alter === undefined) return
    for (const cmd of alter.cmds) {
      const column = cmd.subtype === 'AT_AddColumn' ? columnDefOf(cmd) : undefined
      if (column === undefined) continue
      const constraints = columnConstraints(column)
      const defaults = constraints.filter((c) => c.contype === 'CONSTR_DEFAULT').map((c) => c.raw_expr)
      const volatile = defaults.flatMap((d) => calledFunctions(d)).find((f) => VOLATILE.has(f))
      const serial = SERIAL.has(typeOf(column.typeName).name)
      const identity = constraints.some((c) => c.contype === 'CONSTR_IDENTITY')
      if (volatile === undefined && !serial && !identity) continue
      const size = onExistingTable(ctx, alter.key)
      if (size === undefined) continue
      const what =
        volatile !== undefined ? `a volatile default (${volatile}())` : serial ? 'a serial type' : 'an identity'
      yield {
        message: `adds ${alter.key}.${column.colname ?? '?'} with ${what}: the value is computed for every row, rewriting ${alter.key} under ACCESS EXCLUSIVE`,
        at: column.location,
        ...size,
      }
    }
  },
}

/** Functions whose value differs per row: as a default of an added column they force a rewrite. */
const VOLATILE = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'txid_current',
  'statement_timestamp',
])
const SERIAL = new Set(['serial', 'bigserial', 'smallserial', 'serial4', 'serial8', 'serial2'])
