/**
 * PostgreSQL's built-in functions whose value differs per row (pg_proc.provolatile = 'v') as column defaults are
 * written: a default calling one is computed for every existing row when the column is added, which rewrites the
 * table. The one list for the planner's facts (dialect/postgres/steps-table.ts) and the lint rule
 * (ban-volatile-default), so that a generated step and the rule never disagree about a default.
 */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
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
])

/**
 * Built-in functions that are STABLE or IMMUTABLE (pg_proc.provolatile 's' or 'i'), as defaults are written: their
 * value is computed once for ADD COLUMN and stored in the catalog, with no rewrite. Any other function is taken
 * for VOLATILE, PostgreSQL's own default for CREATE FUNCTION (unless the schema declares it otherwise:
 * dialect/postgres/default-volatility.ts).
 */
export const NOT_VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
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
const volatileCall = new RegExp(`\\b(${[...VOLATILE_FUNCTIONS].join('|')})\\s*\\(`, 'i')

/** Whether default SQL (as the server prints it: `nextval('s'::regclass)`) calls a volatile built-in function. */
export function callsVolatileFunction(sql: string): boolean {
  return volatileCall.test(sql)
}
